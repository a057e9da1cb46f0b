import { parseDocument, type MemoryDocument } from '../document.ts';
import { classifyDocument } from '../dialects/detect.ts';
import type { Rule } from '../rules/rule.ts';
import { buildWorkspace, type Workspace } from '../workspace/workspace.ts';
import type { Diagnostic, TextEdit } from './diagnostic.ts';
import { lintWorkspace, type LintConfig } from './lint.ts';

export interface FixOutcome {
  /** The fixed file's bytes (BOM restored), or null when nothing applies or the file must not be rewritten. */
  bytes: Uint8Array | null;
  /** The fixed text (without the BOM), when `bytes` is set. */
  text?: string;
  applied: Diagnostic[];
  /** Why the file was left alone, when it was. */
  skipped?: string;
}

/** Why a document's text must not be rewritten, or null when fixes may apply. */
export function fixRefusal(doc: MemoryDocument): string | null {
  if (doc.problem) return 'the file was not read as text';
  if (doc.invalidUtf8.length > 0) return 'the file has invalid UTF-8, which rewriting would lose';
  return null;
}

/**
 * Picks the fixes that can apply together: in order of their first edit, each diagnostic's edits
 * all apply or none do, and an edit that overlaps one already taken waits for the next pass.
 * `taken` stays sorted by start (non-overlapping, so by end too), which makes each check a
 * binary search and keeps the whole choice near-linear.
 */
export function chooseFixes(diagnostics: readonly Diagnostic[]): { edits: TextEdit[]; applied: Diagnostic[] } {
  const fixable = diagnostics.filter((d) => d.fix && d.fix.length > 0);
  const order = fixable.map((d, i) => ({ d, i, start: Math.min(...d.fix!.map((e) => e.start)) }));
  order.sort((a, b) => a.start - b.start || a.i - b.i);
  const taken: TextEdit[] = [];
  const firstEndingAfter = (offset: number) => {
    let low = 0;
    let high = taken.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (taken[mid]!.end <= offset) low = mid + 1;
      else high = mid;
    }
    return low;
  };
  const overlaps = (e: TextEdit) => {
    const k = firstEndingAfter(e.start);
    // Two edits overlap when each starts before the other ends (an insertion inside a replaced range too).
    return k < taken.length && taken[k]!.start < e.end && e.start < taken[k]!.end;
  };
  const applied: Diagnostic[] = [];
  for (const { d } of order) {
    const edits = [...d.fix!].sort((a, b) => a.start - b.start);
    if (edits.some((e, k) => overlaps(e) || (k > 0 && e.start < edits[k - 1]!.end))) continue;
    for (const e of edits) {
      const last = taken[taken.length - 1];
      if (!last || last.start <= e.start) taken.push(e);
      else taken.splice(firstEndingAfter(e.start), 0, e);
    }
    applied.push(d);
  }
  return { edits: taken, applied };
}

/** The text with the edits (sorted, non-overlapping) applied, built once. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const e of edits) {
    parts.push(text.slice(at, e.start), e.text);
    at = e.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/**
 * Applies the fixes of the given diagnostics to a document: only the characters each edit
 * covers change; edits that overlap an earlier one wait for the next pass. Files that were not
 * read faithfully (binary, invalid UTF-8, too large) are never rewritten.
 */
export function applyFixes(doc: MemoryDocument, diagnostics: readonly Diagnostic[]): FixOutcome {
  if (!diagnostics.some((d) => d.fix && d.fix.length > 0)) return { bytes: null, applied: [] };
  const refusal = fixRefusal(doc);
  if (refusal) return { bytes: null, applied: [], skipped: refusal };
  const { edits, applied } = chooseFixes(diagnostics);
  const text = applyEdits(doc.source.text, edits);
  if (text === doc.source.text) return { bytes: null, applied: [] };
  return { bytes: encodeText(text, doc.source.hasBom), text, applied };
}

/** Text → the bytes of a file, with the BOM put back when the file had one. */
export function encodeText(text: string, bom: boolean): Uint8Array {
  const body = Buffer.from(text, 'utf8');
  return new Uint8Array(bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body);
}

export interface FixedDocument {
  /** The document as it was read (its text is what a writer must find on disk before replacing it). */
  original: MemoryDocument;
  /** The document after every pass. */
  document: MemoryDocument;
  /** The final bytes to write. */
  bytes: Uint8Array;
  /** Every diagnostic whose fix was applied, over all passes. */
  applied: Diagnostic[];
}

export interface FixRun {
  /** The documents that change, with their final text. */
  fixed: FixedDocument[];
  /** The workspace as it is once the fixes are in. */
  workspace: Workspace;
  /** Documents with fixes that were left alone, and why. */
  skipped: { document: MemoryDocument; reason: string }[];
  /** How many passes ran (a pass that changes nothing ends the run). */
  passes: number;
}

/**
 * Fixes the target documents until nothing more applies: one fix can make another possible
 * (a status corrected in one pass lets the failure point follow it in the next), so each pass
 * lints the workspace as the previous one left it. Bounded: `maxPasses` passes at most.
 */
export function fixWorkspace(
  ws: Workspace,
  config: LintConfig,
  targets?: ReadonlySet<MemoryDocument>,
  options: { maxPasses?: number; rules?: readonly Rule[] } = {},
): FixRun {
  const maxPasses = options.maxPasses ?? 10;
  const current = new Map<MemoryDocument, MemoryDocument>(); // original → current
  const byCurrent = new Map<MemoryDocument, MemoryDocument>(); // current → original
  const applied = new Map<MemoryDocument, Diagnostic[]>();
  const skipped = new Map<MemoryDocument, string>();
  let workspace = ws;
  let only = targets ? new Set(targets) : undefined;
  let passes = 0;
  while (passes < maxPasses) {
    passes++;
    const result = lintWorkspace(workspace, config, only, options.rules);
    const replaced = new Map<MemoryDocument, MemoryDocument>();
    for (const [doc, diagnostics] of result) {
      const outcome = applyFixes(doc, diagnostics);
      const original = byCurrent.get(doc) ?? doc;
      if (outcome.skipped) skipped.set(original, outcome.skipped);
      if (outcome.text === undefined) continue;
      const next = parseDocument(
        { path: doc.path, relPath: doc.relPath, kind: doc.kind, text: doc.source.hasBom ? `\ufeff${outcome.text}` : outcome.text },
        { maxFileSize: Number.POSITIVE_INFINITY },
      );
      classifyDocument(next, workspace.root.dialect);
      replaced.set(doc, next);
      current.set(original, next);
      byCurrent.set(next, original);
      applied.set(original, [...(applied.get(original) ?? []), ...outcome.applied]);
    }
    if (replaced.size === 0) break;
    workspace = buildWorkspace(workspace.root, workspace.documents.map((d) => replaced.get(d) ?? d), workspace.paths);
    if (only) only = new Set([...only].map((d) => replaced.get(d) ?? d));
  }
  const fixed: FixedDocument[] = [];
  for (const [original, document] of current) {
    if (document.source.text === original.source.text) continue;
    fixed.push({ original, document, bytes: encodeText(document.source.text, original.source.hasBom), applied: applied.get(original) ?? [] });
  }
  return { fixed, workspace, skipped: [...skipped].map(([document, reason]) => ({ document, reason })), passes };
}
