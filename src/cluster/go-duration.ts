// Go's durations, as the Kubernetes tools read and print them: time.ParseDuration for kubectl's
// duration flags (--timeout=1m30s, --since=5s, `cluster advance 30s`) and Duration.String for
// what components print (the kubelet's "Successfully pulled image ... in 1.204s", top's windows).

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** time.ParseDuration, in milliseconds; throws Go's error text. */
export function parseGoDuration(s: string): number {
  const bad = () => new Error(`time: invalid duration ${JSON.stringify(s)}`);
  let rest = s;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest[0] === '-') sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw bad();
  let total = 0;
  while (rest !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(rest)!;
    if (m[0] === '' || m[0] === '.') throw bad();
    rest = rest.slice(m[0].length);
    const unit = /^[^\d.]+/.exec(rest)?.[0];
    if (!unit) throw new Error(`time: missing unit in duration ${JSON.stringify(s)}`);
    if (!(unit in UNITS)) throw new Error(`time: unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(s)}`);
    rest = rest.slice(unit.length);
    total += Number(`${m[1] || '0'}.${m[2] || '0'}`) * UNITS[unit];
  }
  return sign * total;
}

/** Duration.String of a number of milliseconds (truncated to the millisecond): 1h30m0s, 5m0s, 1.5s, 250ms, 0s */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  ms = Math.abs(Math.trunc(ms));
  let out: string;
  if (ms < 1000) out = `${ms}ms`;
  else {
    const h = Math.floor(ms / 3_600_000);
    const m = Math.floor((ms % 3_600_000) / 60_000);
    const secMs = ms % 60_000;
    const sec = secMs % 1000 ? (secMs / 1000).toFixed(3).replace(/0+$/, '') : String(secMs / 1000);
    out = h ? `${h}h${m}m${sec}s` : m ? `${m}m${sec}s` : `${sec}s`;
  }
  return neg ? `-${out}` : out;
}

