// kubectl logs: which pod, which container, which lines, and the server's refusals.
import { describe, expect, it } from 'vitest';
import { allContainerNames, byLogging, logStatusError, selectLines, logTimestamp, parseGoDuration } from '../../../src/cli/commands/logs.js';

const pod = (status: any, spec: any = {}) => ({ metadata: { name: 'web', namespace: 'default' }, spec: { nodeName: 'n1', containers: [{ name: 'nginx' }], ...spec }, status });

describe('logStatusError (apiserver + kubelet refusals)', () => {
  it('refuses an unscheduled pod, an unknown status and a waiting container', () => {
    expect(logStatusError(pod({}, { nodeName: undefined }), 'nginx', false)).toBe('pod web does not have a host assigned');
    expect(logStatusError(pod({}), 'nginx', false)).toBe('container "nginx" in pod "web" is not available');
    const waiting = (reason: string) => pod({ containerStatuses: [{ name: 'nginx', state: { waiting: { reason } } }] });
    expect(logStatusError(waiting('ContainerCreating'), 'nginx', false)).toBe('container "nginx" in pod "web" is waiting to start: ContainerCreating');
    expect(logStatusError(waiting('ErrImagePull'), 'nginx', false)).toBe('container "nginx" in pod "web" is waiting to start: image can\'t be pulled');
    expect(logStatusError(waiting('ImagePullBackOff'), 'nginx', false)).toBe('container "nginx" in pod "web" is waiting to start: trying and failing to pull image');
  });

  it('serves a running container, and -p only when a previous instance terminated', () => {
    const running = pod({ containerStatuses: [{ name: 'nginx', state: { running: {} } }] });
    expect(logStatusError(running, 'nginx', false)).toBeUndefined();
    expect(logStatusError(running, 'nginx', true)).toBe('previous terminated container "nginx" in pod "web" not found');
    const restarted = pod({ containerStatuses: [{ name: 'nginx', state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { containerID: 'containerd://x' } } }] });
    expect(logStatusError(restarted, 'nginx', false)).toBeUndefined();
    expect(logStatusError(restarted, 'nginx', true)).toBeUndefined();
  });
});

describe('lines', () => {
  const lines = [1, 2, 3, 4].map((i) => ({ time: i * 1000, text: `line ${i}` }));
  it('--tail keeps the last lines, --since the recent ones', () => {
    expect(selectLines(lines, 5000, { tail: 2 }).map((l) => l.text)).toEqual(['line 3', 'line 4']);
    expect(selectLines(lines, 5000, { tail: 0 })).toEqual([]);
    expect(selectLines(lines, 5000, { sinceMs: 2000 }).map((l) => l.text)).toEqual(['line 3', 'line 4']);
    expect(selectLines(lines, 5000, { sinceTime: 4000 }).map((l) => l.text)).toEqual(['line 4']);
  });

  it('timestamps are RFC3339Nano in UTC', () => {
    expect(logTimestamp(Date.parse('2026-01-01T10:00:00.120Z'))).toBe('2026-01-01T10:00:00.12Z');
    expect(logTimestamp(Date.parse('2026-01-01T10:00:00Z'))).toBe('2026-01-01T10:00:00Z');
  });

  it('parses Go durations and refuses a bare number', () => {
    expect(parseGoDuration('--since', '1m30s')).toBe(90_000);
    expect(() => parseGoDuration('--since', '5')).toThrow('missing unit in duration');
  });
});

describe('picking pods and containers', () => {
  it('lists containers, ephemeral and init ones as kubectl names them', () => {
    expect(allContainerNames({ spec: { containers: [{ name: 'a' }, { name: 'b' }], initContainers: [{ name: 'i' }], ephemeralContainers: [{ name: 'd' }] } })).toBe('a, b, d (ephem), i (init)');
  });

  it('prefers scheduled, running, ready, long-ready pods (ByLogging)', () => {
    const mk = (name: string, o: any) => ({ metadata: { name, creationTimestamp: o.created ?? '2026-01-01T00:00:00Z' }, spec: { nodeName: o.node ?? 'n1' }, status: { phase: o.phase ?? 'Running', conditions: o.ready ? [{ type: 'Ready', status: 'True', lastTransitionTime: o.ready }] : [] } });
    const pods = [
      mk('unscheduled', { node: '', phase: 'Pending' }),
      mk('pending', { phase: 'Pending' }),
      mk('running', {}),
      mk('ready-late', { ready: '2026-01-01T00:05:00Z' }),
      mk('ready-early', { ready: '2026-01-01T00:01:00Z' }),
    ];
    expect([...pods].sort(byLogging).map((p) => p.metadata.name)).toEqual(['ready-early', 'ready-late', 'running', 'pending', 'unscheduled']);
  });
});
