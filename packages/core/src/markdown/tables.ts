import type { MemoryDocument } from '../document.ts';
import type { Range } from '../text/source-text.ts';

export interface TableCell {
  text: string;
  range: Range;
}

export interface Table {
  header: string[];
  rows: TableCell[][];
}

const SEPARATOR = /^\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$/;

/** The pipe tables between two offsets (a section's content), with each cell's text and range. */
export function tablesIn(doc: MemoryDocument, start: number, end: number): Table[] {
  const { source } = doc;
  const tables: Table[] = [];
  let current: Table | null = null;
  let header: TableCell[] | null = null;
  for (let line = source.pointAt(start).line; line <= source.lineCount; line++) {
    const lineStart = source.lineStart(line);
    if (lineStart >= end) break;
    const text = source.lineText(line);
    const trimmed = text.trim();
    if (!trimmed.startsWith('|')) {
      current = null;
      header = null;
      continue;
    }
    if (header && !current && SEPARATOR.test(trimmed)) {
      current = { header: header.map((c) => c.text), rows: [] };
      tables.push(current);
      continue;
    }
    const cells = splitRow(text, lineStart, doc);
    if (current) current.rows.push(cells);
    else header = cells;
  }
  return tables;
}

function splitRow(text: string, lineStart: number, doc: MemoryDocument): TableCell[] {
  const cells: TableCell[] = [];
  let from = text.indexOf('|') + 1;
  for (let i = from; i <= text.length; i++) {
    if (i < text.length && (text[i] !== '|' || text[i - 1] === '\\')) continue;
    let a = from;
    let b = i;
    while (a < b && /\s/.test(text[a]!)) a++;
    while (b > a && /\s/.test(text[b - 1]!)) b--;
    if (i < text.length || a < b) cells.push({ text: text.slice(a, b), range: doc.source.rangeAt(lineStart + a, lineStart + b) });
    from = i + 1;
  }
  return cells;
}
