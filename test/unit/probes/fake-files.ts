// A tiny stand-in for the kubelet's process model: reads a container's `sh -c` script the way it
// runs (touch, rm, echo > FILE, sleep N, each command taking 1 ms) and answers which files exist
// when. Only for the prober's tests.
export interface FakeFiles {
  fileAt(path: string, sinceStartMs: number): boolean;
  fileChanges: number[];
}

export function fakeFiles(script: string): FakeFiles {
  const timeline: { at: number; path: string; exists: boolean }[] = [];
  let t = 0;
  for (const raw of script.split(/;|&&|\n/)) {
    const cmd = raw.trim();
    if (!cmd) continue;
    const sleep = /^sleep\s+(\d+(?:\.\d+)?)$/.exec(cmd);
    const touch = /^touch\s+(\S+)$/.exec(cmd);
    const rm = /^rm\s+(?:-f\s+)?(\S+)$/.exec(cmd);
    const echo = /^echo\s+.*>\s*(\S+)$/.exec(cmd);
    if (sleep) t += Number(sleep[1]) * 1000;
    else if (touch || echo) timeline.push({ at: t, path: (touch ?? echo)![1], exists: true });
    else if (rm) timeline.push({ at: t, path: rm[1], exists: false });
    t += 1;
  }
  return {
    fileAt(path, ms) {
      let exists = false;
      for (const e of timeline) if (e.path === path && e.at <= ms) exists = e.exists;
      return exists;
    },
    fileChanges: [...new Set(timeline.map((e) => e.at))].sort((a, b) => a - b),
  };
}

/** files from explicit intervals: path exists on [from, to) */
export function intervals(path: string, spans: [number, number][]): FakeFiles {
  return {
    fileAt: (p, ms) => p === path && spans.some(([a, b]) => ms >= a && ms < b),
    fileChanges: [...new Set(spans.flat())].filter(Number.isFinite).sort((a, b) => a - b),
  };
}
