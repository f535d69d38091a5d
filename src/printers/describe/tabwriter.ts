// A port of the column rules of Go's text/tabwriter as kubectl configures it for describe
// (minwidth 0, tabwidth 8, padding 2, padchar ' ', no flags). The rules that matter:
//  - a cell is text terminated by '\t'; the text after the last tab of a line is not part of any column;
//  - a column block is a run of consecutive lines that all have a cell in that column, and every cell of
//    the block is padded to (widest cell + padding), so a line without that column breaks the block;
//  - the last cell of a line is never padded (so "IP:\t\n" leaves trailing spaces from the first cell only).

const PADDING = 2;
const MINWIDTH = 0;

function width(s: string): number {
  // Go counts runes (utf8.RuneCount), not UTF-16 units.
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export function formatTabbed(text: string): string {
  if (text === '') return '';
  const endsWithNewline = text.endsWith('\n');
  const rawLines = (endsWithNewline ? text.slice(0, -1) : text).split('\n');
  const lines: string[][] = rawLines.map((l) => l.split('\t'));
  const out: string[] = [];
  const widths: number[] = [];

  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const cells = lines[i];
      let s = '';
      for (let j = 0; j < cells.length; j++) {
        const c = cells[j];
        s += c;
        if (j < widths.length && j < cells.length - 1) s += ' '.repeat(Math.max(0, widths[j] - width(c)));
      }
      out.push(s);
    }
  };

  const format = (line0: number, line1: number) => {
    const column = widths.length;
    for (let self = line0; self < line1; self++) {
      if (column >= lines[self].length - 1) continue;
      writeLines(line0, self);
      line0 = self;
      let w = MINWIDTH;
      for (; self < line1; self++) {
        const cells = lines[self];
        if (column >= cells.length - 1) break;
        const cw = width(cells[column]) + PADDING;
        if (cw > w) w = cw;
      }
      widths.push(w);
      format(line0, self);
      widths.pop();
      line0 = self;
      // the for-loop increment must not skip the line that ended the block
      self--;
    }
    writeLines(line0, line1);
  };

  format(0, lines.length);
  return out.join('\n') + (endsWithNewline ? '\n' : '');
}
