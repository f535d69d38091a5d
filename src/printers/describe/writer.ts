// kubectl's PrefixWriter: every level indents two spaces, and everything goes through one tabwriter
// whose Flush() (called before an Events table) ends the current alignment segment.
import { formatTabbed } from './tabwriter.js';

export const LEVEL_0 = 0;
export const LEVEL_1 = 1;
export const LEVEL_2 = 2;
export const LEVEL_3 = 3;
export const LEVEL_4 = 4;

/** kubectl escapes terminal control characters in describe output (printers.WriteEscaped). */
function escapeTerminal(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => {
    const code = c.charCodeAt(0);
    return code === 0x7f ? '^?' : '^' + String.fromCharCode(code + 64);
  });
}

export class PrefixWriter {
  private segments: string[] = [];
  private current = '';

  /** Write text indented by `level` (two spaces per level); text carries its own tabs and newline. */
  write(level: number, text: string): void {
    this.current += escapeTerminal('  '.repeat(level) + text);
  }

  /** Like Go's fmt.Sprintln on one value: the text and a newline, not indented. */
  writeLine(text = ''): void {
    this.current += escapeTerminal(text + '\n');
  }

  /** tabwriter.Flush(): what was written so far is aligned on its own. */
  flush(): void {
    this.segments.push(this.current);
    this.current = '';
  }

  toString(): string {
    return [...this.segments, this.current].map(formatTabbed).join('');
  }
}

/** A writer that adds `indent` levels to everything, like kubectl's nestedPrefixWriter. */
export class NestedWriter {
  constructor(private inner: PrefixWriter | NestedWriter, private indent: number) {}
  write(level: number, text: string): void {
    this.inner.write(level + this.indent, text);
  }
  writeLine(text = ''): void {
    this.inner.write(this.indent, text + '\n');
  }
  flush(): void {
    this.inner.flush();
  }
}

export type Writer = PrefixWriter | NestedWriter;

export function tabbed(fn: (w: PrefixWriter) => void): string {
  const w = new PrefixWriter();
  fn(w);
  return w.toString();
}
