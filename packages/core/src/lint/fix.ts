import type { MemoryDocument } from '../document.ts';
import type { Diagnostic, TextEdit } from './diagnostic.ts';

export interface FixOutcome {
  /** The fixed file's bytes (BOM restored), or null when nothing applies or the file must not be rewritten. */
  bytes: Uint8Array | null;
  applied: Diagnostic[];
  /** Why the file was left alone, when it was. */
  skipped?: string;
}

/**
 * Applies the fixes of the given diagnostics to a document: only the characters each edit
 * covers change; edits that overlap an earlier one wait for the next run. Files that were not
 * read faithfully (binary, invalid UTF-8, too large) are never rewritten.
 */
export function applyFixes(doc: MemoryDocument, diagnostics: readonly Diagnostic[]): FixOutcome {
  const fixable = diagnostics.filter((d) => d.fix && d.fix.length > 0);
  if (fixable.length === 0) return { bytes: null, applied: [] };
  if (doc.problem) return { bytes: null, applied: [], skipped: 'the file was not read as text' };
  if (doc.invalidUtf8.length > 0) return { bytes: null, applied: [], skipped: 'the file has invalid UTF-8, which rewriting would lose' };
  const chosen: { edits: TextEdit[]; diagnostic: Diagnostic }[] = [];
  const taken: TextEdit[] = [];
  const overlaps = (e: TextEdit) => taken.some((t) => e.start < t.end && t.start < e.end);
  for (const d of [...fixable].sort((a, b) => a.fix![0]!.start - b.fix![0]!.start)) {
    if (d.fix!.some(overlaps)) continue;
    taken.push(...d.fix!);
    chosen.push({ edits: d.fix!, diagnostic: d });
  }
  let text = doc.source.text;
  for (const edit of [...taken].sort((a, b) => b.start - a.start)) {
    text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
  }
  if (text === doc.source.text) return { bytes: null, applied: [] };
  const body = Buffer.from(text, 'utf8');
  const bytes = doc.source.hasBom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
  return { bytes: new Uint8Array(bytes), applied: chosen.map((c) => c.diagnostic) };
}
