import { describe, expect, it } from 'vitest';
import { allocate, newIpamState, release } from '../../../src/kubelet/cni/ipam.js';
import { goDuration } from '../../../src/kubelet/images.js';
import { defaultPullPolicy, lookupImage, parseReference } from '../../../src/kubelet/catalogue.js';
import { behaviourOf } from '../../../src/kubelet/runtime.js';
import { containerLogs } from '../../../src/kubelet/logs.js';
import { podUsage } from '../../../src/kubelet/usage.js';

describe('host-local IPAM', () => {
  it('skips network and gateway, goes round-robin, and never hands out an address twice', () => {
    const st = newIpamState();
    expect(allocate(st, '10.244.1.0/24', 'a')).toBe('10.244.1.2');
    expect(allocate(st, '10.244.1.0/24', 'b')).toBe('10.244.1.3');
    expect(allocate(st, '10.244.1.0/24', 'a')).toBe('10.244.1.2');
    release(st, 'a');
    expect(allocate(st, '10.244.1.0/24', 'c')).toBe('10.244.1.4');
    for (let i = 0; i < 250; i++) allocate(st, '10.244.1.0/24', `p${i}`);
    expect(Object.keys(st.used)).toHaveLength(252);
    expect(allocate(st, '10.244.1.0/24', 'last')).toBe('10.244.1.2');
    expect(Object.keys(st.used)).not.toContain('10.244.1.255');
    expect(Object.keys(st.used)).not.toContain('10.244.1.1');
    expect(allocate(st, '10.244.1.0/24', 'full')).toBeUndefined();
  });
});

describe('image references and pulls', () => {
  it('normalises references the way containerd reports them', () => {
    expect(parseReference('nginx')).toEqual({ repository: 'docker.io/library/nginx', tag: 'latest', digest: undefined });
    expect(parseReference('user/app:1')).toMatchObject({ repository: 'docker.io/user/app', tag: '1' });
    expect(parseReference('localhost:5000/app')).toMatchObject({ repository: 'localhost:5000/app', tag: 'latest' });
    expect(lookupImage('gcr.io/google-samples/hello-app:1.0').name).toBe('gcr.io/google-samples/hello-app:1.0');
    expect(defaultPullPolicy('nginx')).toBe('Always');
    expect(defaultPullPolicy('nginx:1.25')).toBe('IfNotPresent');
  });

  it('resolves any reference: unknown images get a stable size and digest', () => {
    const a = lookupImage('your-image:latest');
    expect(a.known).toBe(false);
    expect(a.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(lookupImage('your-image:latest').digest).toBe(a.digest);
    expect(lookupImage('nginx:1.25')).toMatchObject({ known: true, size: 71000000, ports: [80], sigterm: true });
  });

  it('prints durations as Go does, truncated to the millisecond', () => {
    expect(goDuration(1204)).toBe('1.204s');
    expect(goDuration(512)).toBe('512ms');
    expect(goDuration(2000)).toBe('2s');
    expect(goDuration(62_500)).toBe('1m2.5s');
  });
});

describe('container behaviour', () => {
  it('servers run; one-shot commands end; sleep ignores SIGTERM', () => {
    expect(behaviourOf({ image: 'nginx:1.25' })).toEqual({ exitCode: 0, sigterm: true });
    expect(behaviourOf({ image: 'registry.k8s.io/etcd:3.5.16-0', command: ['etcd', '--client-cert-auth=true'] }).exitsAfterMs).toBeUndefined();
    expect(behaviourOf({ image: 'busybox', command: ['sleep', '3600'] })).toMatchObject({ exitsAfterMs: 3_600_020, sigterm: false });
    expect(behaviourOf({ image: 'busybox', command: ['sh', '-c', 'while true; do echo hi; sleep 5; done'] }).exitsAfterMs).toBeUndefined();
    expect(behaviourOf({ image: 'busybox', command: ['sh', '-c', 'echo bye; exit 3'] })).toMatchObject({ exitCode: 3 });
    expect(behaviourOf({ image: 'hello-world' }).exitsAfterMs).toBeDefined();
  });
});

const runningPod = (image: string, extra: any = {}) => ({
  metadata: { name: 'p', uid: 'u-1' },
  spec: { containers: [{ name: 'c', image, ...extra }] },
  status: { podIP: '10.244.1.2', containerStatuses: [{ name: 'c', state: { running: { startedAt: '2026-01-01T00:00:00Z' } } }] },
});

describe('logs and usage', () => {
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  it('nginx prints its entrypoint lines and its version; nothing before the container started', () => {
    const lines = containerLogs(runningPod('nginx:1.25'), 'c', t0 + 5000)!;
    expect(lines[0].text).toBe('/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration');
    expect(lines.some((l) => l.text === '2026/01/01 00:00:00 [notice] 1#1: nginx/1.25')).toBe(true);
    expect(containerLogs({ ...runningPod('nginx:1.25'), status: {} }, 'c', t0)).toBeUndefined();
  });

  it('a loop that echoes writes a line per period up to now', () => {
    const lines = containerLogs(runningPod('busybox', { command: ['sh', '-c', 'while true; do echo hello; sleep 10; done'] }), 'c', t0 + 35_000)!;
    expect(lines.map((l) => l.text)).toEqual(['hello', 'hello', 'hello', 'hello']);
  });

  it('usage is deterministic and follows the image', () => {
    const a = podUsage(runningPod('redis:7'), t0);
    expect(a).toEqual(podUsage(runningPod('redis:7'), t0 + 1000));
    expect(a[0].memoryBytes).toBeGreaterThan(2 * 1024 * 1024);
    expect(podUsage({ ...runningPod('redis:7'), status: {} }, t0)).toEqual([]);
  });
});
