// The shape of a server-side Table as kubectl receives it (metav1.Table), reduced to what printing needs.

export interface ColumnDef {
  /** as the server sends it (`Nominated Node`); kubectl upper-cases it for the header */
  name: string;
  /** 0 = always shown; 1 = only with -o wide */
  priority?: number;
}

export type Cell = string | number | boolean | null | undefined;

/** A kind's printer: like printers.go, rows are built with every column (the apiserver always asks for wide). */
export interface TableDef {
  columns: ColumnDef[];
  row(obj: any, now: number): Cell[];
}
