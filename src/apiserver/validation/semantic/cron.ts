// The cron syntax CronJobs accept (robfig/cron's standard parser), reporting the parser's errors.

const BOUNDS: [number, number, Record<string, number>?][] = [
  [0, 59], [0, 23], [1, 31],
  [1, 12, { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 }],
  [0, 6, { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 }],
];
const DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

function atoi(s: string): number {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  return parseInt(s, 10);
}

function parseIntOrName(s: string, names?: Record<string, number>): number {
  if (names && s.toLowerCase() in names) return names[s.toLowerCase()];
  let n: number;
  try { n = atoi(s); } catch (e) { throw new Error(`failed to parse int from ${s}: ${(e as Error).message}`); }
  if (n < 0) throw new Error(`negative number (${n}) not allowed: ${s}`);
  return n;
}

function checkRange(expr: string, [min, max, names]: [number, number, Record<string, number>?]): void {
  const slash = expr.split('/');
  const hyphen = slash[0].split('-');
  if (slash.length > 2) throw new Error(`too many slashes: ${expr}`);
  let start: number; let end: number;
  if (hyphen[0] === '*' || hyphen[0] === '?') { start = min; end = max; } else {
    start = parseIntOrName(hyphen[0], names);
    if (hyphen.length === 1) end = start;
    else if (hyphen.length === 2) end = parseIntOrName(hyphen[1], names);
    else throw new Error(`too many hyphens: ${expr}`);
  }
  if (slash.length === 2) {
    const step = parseIntOrName(slash[1]);
    if (step <= 0) throw new Error(`step of range should be a positive number: ${expr}`);
    if (hyphen.length === 1 && hyphen[0] !== '*' && hyphen[0] !== '?') end = max;
  }
  if (start < min) throw new Error(`beginning of range (${start}) below minimum (${min}): ${expr}`);
  if (end > max) throw new Error(`end of range (${end}) above maximum (${max}): ${expr}`);
  if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
}

/** The parser's error message, or undefined when the schedule parses. */
export function cronError(spec: string): string | undefined {
  try {
    if (!spec.length) return 'empty spec string';
    let s = spec;
    if (s.startsWith('TZ=') || s.startsWith('CRON_TZ=')) {
      const i = s.indexOf(' ');
      if (i < 0) return 'provided bad location: ' + s;
      s = s.slice(i).trim();
    }
    if (s.startsWith('@')) {
      if (DESCRIPTORS.includes(s)) return undefined;
      if (s.startsWith('@every ')) {
        return /^([0-9.]+(ns|us|µs|ms|s|m|h))+$/.test(s.slice(7).trim()) ? undefined : `failed to parse duration ${s}: time: invalid duration ${JSON.stringify(s.slice(7).trim())}`;
      }
      return `unrecognized descriptor: ${s}`;
    }
    const fields = s.split(/\s+/).filter(Boolean);
    if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`;
    fields.forEach((f, i) => { for (const part of f.split(',')) checkRange(part, BOUNDS[i]); });
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
