// Claims through the real CLI in instant time: a pod applied before its claim runs as soon as the
// claim is applied (the scheduler retries on the claim, and binds the pod once the claim is bound);
// deleting a claim in use leaves it Terminating with its protection finalizer until the pod goes.
import { describe, expect, it } from 'vitest';
import { freshHome, run } from './helpers.js';

const POD = `apiVersion: v1
kind: Pod
metadata: {name: early}
spec:
  containers: [{name: c, image: nginx}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: late}}]
`;
const CLAIM = `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: late}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`;

describe('claims and their pods (instant time)', () => {
  const home = freshHome();
  const cli = (args: string[], input?: string) => run(args, { home, input, env: { MINIKCTL_TIME: 'instant' } });
  const ok = (args: string[], input?: string) => {
    const r = cli(args, input);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return r.stdout;
  };

  it('runs a pod whose claim comes later, seconds after the claim', () => {
    expect(ok(['apply', '-f', '-'], POD)).toBe('pod/early created\n');
    expect(ok(['get', 'pods', '--no-headers'])).toMatch(/^early\s+0\/1\s+Pending\s+0\s+\d+s\n$/);
    expect(ok(['get', 'events', '-o', 'custom-columns=REASON:.reason,MESSAGE:.message', '--no-headers'])).toMatch(/^FailedScheduling\s+0\/4 nodes are available: persistentvolumeclaim "late" not found\./m);
    expect(ok(['apply', '-f', '-'], CLAIM)).toBe('persistentvolumeclaim/late created\n');
    // running, and not 5 minutes (nor the 10-minute bind timeout) later
    const line = ok(['get', 'pods', '--no-headers']);
    expect(line).toMatch(/^early\s+1\/1\s+Running\s+0\s+\d+s\n$/);
    expect(ok(['get', 'pvc', '--no-headers'])).toMatch(/^late\s+Bound\s+pvc-/);
  });

  it('keeps a claim in use Terminating, with its finalizer, until the pod is deleted', () => {
    expect(ok(['delete', 'pvc', 'late', '--wait=false'])).toBe('persistentvolumeclaim "late" deleted\n');
    expect(ok(['get', 'pvc', '--no-headers'])).toMatch(/^late\s+Terminating\s+pvc-/);
    const text = ok(['describe', 'pvc', 'late']);
    expect(text).toMatch(/^Status:\s+Terminating \(lasts \d+s\)$/m);
    expect(text).toMatch(/^Finalizers:\s+\[kubernetes\.io\/pvc-protection\]$/m);
    expect(text).toMatch(/^Used By:\s+early$/m);
    ok(['delete', 'pod', 'early']);
    const r = cli(['get', 'pvc,pv']);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('No resources found in default namespace.\n');
  });
});
