// From memlint's places (1-based lines and columns in UTF-16 code units, offsets into the text
// without its BOM) to LSP's (0-based lines, UTF-16 characters), and back. memlint's lines end at
// LF, CRLF or a lone CR, as LSP's do, so the conversion is arithmetic; the one shift is a BOM an
// editor kept in its buffer (LSP then counts it as the first character of line 0).
import type { Diagnostic as MemlintDiagnostic, MemoryDocument, TextEdit as MemlintEdit } from '@memlint/core';
import { DiagnosticSeverity, type Diagnostic, type Position, type Range, type TextEdit } from 'vscode-languageserver';

/** What a published diagnostic carries back to the server in a code action request. */
export interface DiagnosticData {
  fix?: MemlintEdit[];
  expected?: string[];
  /** The offsets of the finding's range: a code action request names the diagnostic, not the document's version. */
  offsets: [number, number];
}

export interface Placement {
  /** 1 when the editor's text starts with a BOM that memlint's text does not have. */
  bomShift: number;
}

export function toPosition(line: number, column: number, place: Placement): Position {
  return { line: line - 1, character: column - 1 + (line === 1 ? place.bomShift : 0) };
}

export function offsetToPosition(doc: MemoryDocument, offset: number, place: Placement): Position {
  const p = doc.source.pointAt(offset);
  return toPosition(p.line, p.column, place);
}

/** An LSP position → an offset into the document's text (clamped to the line). */
export function positionToOffset(doc: MemoryDocument, position: Position, place: Placement): number {
  const line = position.line + 1;
  const start = doc.source.lineStart(line);
  const end = doc.source.lineEnd(line);
  const character = position.character - (position.line === 0 ? place.bomShift : 0);
  return Math.max(start, Math.min(end, start + Math.max(0, character)));
}

export function toRange(start: number, end: number, doc: MemoryDocument, place: Placement): Range {
  return { start: offsetToPosition(doc, start, place), end: offsetToPosition(doc, end, place) };
}

export function toLspEdit(edit: MemlintEdit, doc: MemoryDocument, place: Placement): TextEdit {
  return { range: toRange(edit.start, edit.end, doc, place), newText: edit.text };
}

export function toLspDiagnostic(d: MemlintDiagnostic, place: Placement): Diagnostic {
  const data: DiagnosticData = { offsets: [d.range.start.offset, d.range.end.offset] };
  if (d.fix && d.fix.length > 0) data.fix = d.fix;
  if (d.expected && d.expected.length > 0) data.expected = d.expected;
  return {
    range: { start: toPosition(d.range.start.line, d.range.start.column, place), end: toPosition(d.range.end.line, d.range.end.column, place) },
    severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.ruleId,
    codeDescription: { href: d.url },
    source: 'memlint',
    message: d.note ? `${d.message}\n${d.note}` : d.message,
    data,
  };
}
