// kubectl writes tables through Go's text/tabwriter with minwidth 6, padding 3 and ' ' as the pad
// character (printers.GetNewTabWriter). A cell is the text before a tab; the last cell of a line is
// not aligned, so it gets no trailing spaces.

const MIN_WIDTH = 6;
const PADDING = 3;

/** Display width as tabwriter counts it: one per Unicode code point. */
const width = (s: string): number => [...s].length;

/** Aligns rows of cells the way tabwriter does when every row has the same number of cells. */
export function tabwrite(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) {
    for (let i = 0; i < r.length - 1; i++) {
      widths[i] = Math.max(widths[i] ?? 0, width(r[i]));
    }
  }
  const colWidth = widths.map((w) => Math.max(w + PADDING, MIN_WIDTH));
  return rows
    .map((r) =>
      r.map((c, i) => (i < r.length - 1 ? c + ' '.repeat(colWidth[i] - width(c)) : c)).join(''),
    )
    .map((line) => line + '\n')
    .join('');
}
