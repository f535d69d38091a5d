// The prober on the kubelet's real process model (src/kubelet/process.ts): the docs' exec-liveness
// example, with the files the container's own script creates and removes.
import { describe, expect, it } from 'vitest';
import * as proc from '../../../src/kubelet/process.js';
import { corpusPod, drive, IP, rel, T0 } from './helpers.js';

describe('exec-liveness.yaml on the process model', () => {
  it('the file the script touches keeps the probe passing until the script removes it at 30 s', () => {
    const spec = corpusPod('pods/probe/exec-liveness.yaml').spec.containers[0];
    const facts = {
      spec, podIP: IP,
      fileAt: (path: string, ms: number) => proc.fileAt(spec, path, ms),
      fileChanges: proc.fileChanges(spec),
    };
    const d = drive(facts, T0 + 120_000);
    expect(d.events.map((e) => [rel(e.at), e.message])).toEqual(
      [35, 40, 45].map((t) => [t, "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n"]),
    );
    expect(rel(d.last.restartAt!)).toBe(45);
  });
});
