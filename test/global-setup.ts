import { spawnSync } from 'node:child_process';

// Scenario tests drive the bundled CLI exactly as a user would, so build it once first. A failed
// build is reported here and fails those tests, not the unit tests that do not need the bundle.
export default function setup(): void {
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { encoding: 'utf8' });
  if (r.status !== 0) process.stderr.write(`\n[global-setup] building the CLI bundle failed:\n${r.stderr}\n`);
}
