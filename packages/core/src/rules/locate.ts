import { frontmatterKeyRange, frontmatterValueRange } from '../frontmatter/frontmatter.ts';
import type { MemoryDocument } from '../document.ts';
import type { TextEdit } from '../lint/diagnostic.ts';
import type { Range } from '../text/source-text.ts';

/** The range of a frontmatter value, else its key, else the opening fence, else line 1. */
export function valueRange(doc: MemoryDocument, key: string | readonly PropertyKey[]): Range {
  const path = typeof key === 'string' ? [key] : key;
  const fm = doc.frontmatter;
  if (!fm) return doc.source.lineRange(1);
  return frontmatterValueRange(doc.source, fm, path) ?? fm.openFence;
}

/**
 * A value a file states and where (its frontmatter value's range), the range looked up only when
 * it is read: the index states many claims, and a rule asks where one is only to report it.
 */
export function claimAt<T>(doc: MemoryDocument, key: string, value: T, extra: { written?: (value: T) => string } = {}): { value: T; readonly range: Range; written?: (value: T) => string } {
  let range: Range | undefined;
  return {
    value,
    get range() {
      return (range ??= valueRange(doc, key));
    },
    ...extra,
  };
}

/** The range of a frontmatter key, else the opening fence, else line 1. */
export function keyRange(doc: MemoryDocument, key: string): Range {
  const fm = doc.frontmatter;
  if (!fm) return doc.source.lineRange(1);
  return frontmatterKeyRange(doc.source, fm, [key]) ?? fm.openFence;
}

/** An edit that replaces a frontmatter value (plain scalar) with new text; null when there is no value node. */
export function replaceValue(doc: MemoryDocument, key: string, text: string): TextEdit[] | undefined {
  const fm = doc.frontmatter;
  if (!fm) return undefined;
  const range = frontmatterValueRange(doc.source, fm, [key]);
  const keyAt = frontmatterKeyRange(doc.source, fm, [key]);
  if (!range || !keyAt || range.start.offset === keyAt.start.offset) return undefined;
  return [{ start: range.start.offset, end: range.end.offset, text: yamlScalar(text) }];
}

/** A value as a YAML scalar: as written when it reads back as the same plain string, else double-quoted. */
function yamlScalar(text: string): string {
  const plain = /^[A-Za-z0-9_(][^\r\n\u0085\u2028\u2029:#'"{}[\],&*!|>%@`]*$/.test(text) && text.trim() === text;
  return plain || text === 'null' ? text : JSON.stringify(text);
}

/** Where a missing heading or label is reported: the title, else the line after the frontmatter. */
export function bodyStart(doc: MemoryDocument): Range {
  if (doc.title) return doc.title.range;
  // The first line with text after the frontmatter (where a title would go).
  let line = doc.frontmatter?.closeFence ? Math.min(doc.frontmatter.closeFence.end.line + 1, doc.source.lineCount) : 1;
  while (line < doc.source.lineCount && doc.source.lineText(line).trim() === '') line++;
  return doc.source.lineRange(line);
}

/** A value for a message: strings quoted, the rest as YAML would show them. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) return Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
  let text: string;
  try {
    text = JSON.stringify(value, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? show(v) : typeof v === 'bigint' ? String(v) : v)) ?? String(value);
  } catch {
    text = Array.isArray(value) ? 'a list' : 'a mapping';
  }
  // Long values are cut: the message names the value, the range shows it.
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** Edit distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
