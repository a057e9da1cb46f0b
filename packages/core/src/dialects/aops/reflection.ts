import { frontmatterData, type MemoryDocument } from '../../document.ts';
import type { Range } from '../../text/source-text.ts';
import { labelAliases, reflectionProfiles } from './profiles.ts';
import { firstAtLeast, inCodeBlock, trimSpan } from '../../markdown/structure.ts';

/** How the block was opened: `## Framework Reflection` is the form; the others are drift the aops parser still reads. */
export type ReflectionForm = 'h2' | 'h3' | 'h4' | 'bold' | 'bold-inline' | 'bare';

export interface ReflectionLabel {
  /** The label as written, without colon or suffix (`Root cause`). */
  raw: string;
  /** The profile label it stands for (`Accomplishments` for `Accomplishment`), or null when unknown. */
  key: string | null;
  /** Whether `key` was reached through an older or variant spelling. */
  alias: boolean;
  /** The value on the label's line. */
  value: string;
  /** The value with the lines that follow it (until the next label). */
  fullValue: string;
  /** The value aops reads: the line's value, else the first line after the label. */
  firstValue: string;
  line: number;
  lineRange: Range;
  /** From `**` to `**` (and the colon when it sits inside). */
  labelRange: Range;
  valueRange: Range;
  /** `**Outcome:** x` instead of `**Outcome**: x` (the aops parser does not read the former). */
  colonInside: boolean;
  /** No colon at all. */
  colonMissing: boolean;
}

export interface Reflection {
  form: ReflectionForm;
  /** The opening heading or line. */
  openerRange: Range;
  /** From the opener to the end of the block. */
  range: Range;
  contentStart: number;
  contentEnd: number;
  labels: ReflectionLabel[];
  /** Known labels that share a line with text before them (`… **Outcome**: x`). */
  inlineLabels: { raw: string; range: Range }[];
  /** `Answered user's question: "…"`. */
  quickExit: { range: Range; summary: string } | null;
  /** Other lines with text in the block (besides labels and their continuation). */
  otherLines: number[];
  /** The halt message after the block (`Work COMPLETE: …` / `Next: /pull <task-id> to resume.`). */
  halt: Range | null;
}

const KNOWN = new Map<string, string>();
for (const profile of Object.values(reflectionProfiles)) for (const label of profile.known) KNOWN.set(label.toLowerCase(), label);

/** A label's canonical form, and whether an alias led there. */
export function canonicalLabel(raw: string): { key: string | null; alias: boolean } {
  // `Root cause (if not success):` → `root cause`
  const lower = splitLabel(raw).name.toLowerCase().replace(/\s+/g, ' ').trim();
  if (KNOWN.has(lower)) return { key: KNOWN.get(lower)!, alias: false };
  if (labelAliases[lower]) return { key: labelAliases[lower]!, alias: true };
  return { key: null, alias: false };
}

/**
 * A label's parts: `Root cause (if not success):` → name `Root cause`, note ` (if not success)`.
 * Trailing colons and spaces are dropped; scanned by hand, in linear time (regexps such as
 * `\s*\([^)]*\)\s*$` restart at every space of a long run).
 */
export function splitLabel(raw: string): { name: string; note: string } {
  let end = raw.length;
  while (end > 0 && (raw[end - 1] === ':' || /\s/.test(raw[end - 1]!))) end--;
  let nameEnd = end;
  if (raw[end - 1] === ')') {
    const open = raw.lastIndexOf('(', end - 1);
    if (open !== -1 && raw.indexOf(')', open) === end - 1) {
      nameEnd = open;
      while (nameEnd > 0 && /\s/.test(raw[nameEnd - 1]!)) nameEnd--;
    }
  }
  let start = 0;
  while (start < nameEnd && /\s/.test(raw[start]!)) start++;
  return { name: raw.slice(start, nameEnd), note: raw.slice(nameEnd, end) };
}

// `Framework Reflection`, optionally with a note in brackets; `Framework Reflection Format` is a heading about reflections.
const HEADING = /^Framework Reflection\s*(?:\([^)]*\))?\s*:?$/i;
// Each pattern matches a line's start; the rest of the line is trimmed by hand (`(.*?)[ \t]*$` is
// quadratic on long runs of spaces).
const BOLD_OPENER = /^[ \t]*\*\*Framework Reflection(:?)\*\*(:?)/i;
const BARE_OPENER = /^[ \t]*Framework Reflection:/i;
const LABEL_LINE = /^([ \t]*(?:[-*+][ \t]+)?)\*\*([^*\n]+?)\*\*([ \t]*\([^)\n]*\))?(:?)/;
const QUICK_EXIT = /^[ \t]*Answered user'?s question:/i;

/** The text after a match, without the spaces at its edges, and where it starts in the line. */
function rest(line: string, from: number): { value: string; at: number } {
  const [start, end] = trimSpan(line, from, line.length);
  return { value: line.slice(start, end), at: start };
}

/** The Quick Exit's summary, its quotes removed, or null when the line is not one. */
function quickExitSummary(line: string): string | null {
  const m = QUICK_EXIT.exec(line);
  if (!m) return null;
  let summary = rest(line, m[0].length).value;
  if (/^["“']/.test(summary)) summary = summary.slice(1);
  if (summary.length > 1 && /["”']$/.test(summary)) summary = summary.slice(0, -1);
  return summary.length > 0 ? summary : null;
}
const HALT_WORK = /^[ \t]*Work COMPLETE:/im;
const HALT_NEXT = /^[ \t]*Next:[ \t]*`?\/pull\b/im;

const cache = new WeakMap<MemoryDocument, Reflection[]>();
const starts = new WeakMap<MemoryDocument, number[]>();

/** The offsets where the document's headings start, in order. */
function headingStarts(doc: MemoryDocument): number[] {
  let found = starts.get(doc);
  if (!found) starts.set(doc, (found = doc.headings.map((h) => h.range.start.offset)));
  return found;
}

/** Every Framework Reflection block in a document (never inside code blocks), parsed once. */
export function findReflections(doc: MemoryDocument): Reflection[] {
  let found = cache.get(doc);
  if (!found) cache.set(doc, (found = parseReflections(doc)));
  return found;
}

function inCode(doc: MemoryDocument, offset: number): boolean {
  return inCodeBlock(doc.codeBlocks, offset);
}

function parseReflections(doc: MemoryDocument): Reflection[] {
  if (!doc.structure || !/Framework Reflection/i.test(doc.source.text)) return [];
  const { source } = doc;
  const openers: { form: ReflectionForm; range: Range; contentStart: number; inline: string }[] = [];
  for (const h of doc.headings) {
    if (h.depth >= 2 && h.depth <= 4 && HEADING.test(h.text)) {
      openers.push({ form: `h${h.depth}` as ReflectionForm, range: h.range, contentStart: h.range.end.offset, inline: '' });
    }
  }
  for (const p of doc.structure.paragraphs) {
    const first = source.pointAt(p.start).line;
    const last = source.pointAt(p.end).line;
    for (let line = first; line <= last; line++) {
      const text = source.lineText(line);
      const bold = BOLD_OPENER.exec(text);
      const bare = bold ? null : BARE_OPENER.exec(text);
      if (!bold && !bare) continue;
      const inline = rest(text, (bold ?? bare)![0].length).value;
      const form: ReflectionForm = bold ? (inline ? 'bold-inline' : 'bold') : 'bare';
      openers.push({ form, range: source.lineRange(line), contentStart: source.lineEnd(line), inline });
    }
  }
  openers.sort((a, b) => a.range.start.offset - b.range.start.offset);
  // A `---` right under a label line makes it a setext heading in markdown; aops reads the raw
  // text, where that `---` ends the block and the line above is still a label.
  const setext = (h: (typeof doc.headings)[number]) => !/^[ \t]{0,3}#/.test(source.lineText(h.range.start.line));
  const ends = [
    ...doc.headings.filter((h) => h.depth <= 4).map((h) => (setext(h) ? source.lineStart(h.range.end.line) : h.range.start.offset)),
    ...doc.structure.breaks,
    ...openers.map((o) => o.range.start.offset),
    // The halt message is not part of the reflection, even without a `---` before it.
    ...[...source.text.matchAll(/^[ \t]*Work COMPLETE:/gm)].map((m) => m.index).filter((at) => !inCode(doc, at)),
  ].sort((a, b) => a - b);
  return openers.map((opener) => {
    const at = firstAtLeast(ends, Math.max(opener.range.start.offset + 1, opener.contentStart));
    const contentEnd = at < ends.length ? ends[at]! : source.text.length;
    return parseBlock(doc, opener.form, opener.range, opener.contentStart, contentEnd, opener.inline);
  });
}

function parseBlock(doc: MemoryDocument, form: ReflectionForm, openerRange: Range, contentStart: number, contentEnd: number, inline: string): Reflection {
  const { source } = doc;
  const labels: ReflectionLabel[] = [];
  const inlineLabels: Reflection['inlineLabels'] = [];
  const otherLines: number[] = [];
  let quickExit: Reflection['quickExit'] = null;
  const firstLine = source.pointAt(contentStart).line + (contentStart === source.lineEnd(source.pointAt(contentStart).line) ? 1 : 0);
  const lastLine = source.pointAt(Math.max(contentStart, contentEnd - 1)).line;
  for (let line = firstLine; line <= lastLine && line <= source.lineCount; line++) {
    const start = source.lineStart(line);
    if (start >= contentEnd || inCode(doc, start)) continue;
    const text = source.lineText(line);
    if (text.trim() === '') continue;
    const m = LABEL_LINE.exec(text);
    const colonInside = m ? m[2]!.trimEnd().endsWith(':') : false;
    // A bold lead-in inside a list (`- **Parser**: fixed`) is part of a value, unless it is a known label.
    const isLabel = m && (canonicalLabel(m[2]!).key || (!/[-*+]/.test(m[1]!) && (colonInside || m[4] === ':')));
    if (m && isLabel) {
      const [, lead, rawLabel, suffix = '', colonAfter] = m as unknown as [string, string, string, string | undefined, string];
      const { value, at } = rest(text, m[0].length);
      const raw = splitLabel(rawLabel).name;
      const labelStart = start + lead.length;
      const labelEnd = labelStart + rawLabel.length + 4;
      const valueStart = start + (value ? at : text.length);
      labels.push({
        raw,
        ...canonicalLabel(raw),
        value,
        fullValue: value,
        firstValue: value,
        line,
        lineRange: source.lineRange(line),
        labelRange: source.rangeAt(labelStart, labelEnd + suffix.length + colonAfter.length),
        valueRange: source.rangeAt(valueStart, valueStart + value.length),
        colonInside,
        colonMissing: !colonInside && colonAfter !== ':',
      });
      for (const inner of value.matchAll(/\*\*([^*\n]+?)\*\*:/g)) {
        if (!canonicalLabel(inner[1]!).key) continue;
        const at = valueStart + inner.index;
        inlineLabels.push({ raw: inner[1]!, range: source.rangeAt(at, at + inner[0].length) });
      }
      continue;
    }
    const summary: string | null = quickExit ? null : quickExitSummary(text);
    if (summary !== null) {
      quickExit = { range: source.lineRange(line), summary };
      continue;
    }
    for (const inner of text.matchAll(/\*\*([^*\n]+?)\*\*:/g)) {
      if (!canonicalLabel(inner[1]!).key) continue;
      const at = start + inner.index;
      inlineLabels.push({ raw: inner[1]!, range: source.rangeAt(at, at + inner[0].length) });
    }
    const previous = labels.at(-1);
    if (previous) {
      if (!previous.fullValue) previous.firstValue = text.trim();
      previous.fullValue = `${previous.fullValue}\n${text.trim()}`.trim();
    }
    else otherLines.push(line);
  }
  if (inline && !quickExit) {
    const summary = quickExitSummary(inline);
    if (summary !== null) quickExit = { range: openerRange, summary };
  }
  return {
    form,
    openerRange,
    range: source.rangeAt(openerRange.start.offset, Math.max(openerRange.end.offset, contentStart + source.text.slice(contentStart, contentEnd).trimEnd().length)),
    contentStart,
    contentEnd,
    labels,
    inlineLabels,
    quickExit,
    otherLines,
    halt: findHalt(doc, contentEnd),
  };
}

/** The halt message right after a block: within the next lines, before the next heading. */
function findHalt(doc: MemoryDocument, from: number): Range | null {
  // The halt block's closing `---` turns its `Next:` line into a setext heading: that one does not end the search.
  let next = firstAtLeast(headingStarts(doc), from);
  while (next < doc.headings.length && /^(?:Next:|Work COMPLETE:)/i.test(doc.headings[next]!.text)) next++;
  const nextHeading = next < doc.headings.length ? doc.headings[next]!.range.start.offset : doc.source.text.length;
  const window = doc.source.text.slice(from, Math.min(nextHeading, from + 1200));
  const work = HALT_WORK.exec(window);
  if (!work || !HALT_NEXT.test(window) || inCode(doc, from + work.index)) return null;
  const at = from + work.index + work[0].indexOf('Work');
  return doc.source.rangeAt(at, at + 'Work COMPLETE:'.length);
}

/** What marks a document or block as a dump (emergency handover: work incomplete). */
export interface DumpSignals {
  /** Frontmatter tags that mark a dump. */
  tags: string[];
  /** Memory-entry `reason` values (top-level or under `metadata`) that mark a dump. */
  reasons: string[];
  /** Whether the workflow's halt message after the block marks a dump. */
  halt: boolean;
}

export const DEFAULT_DUMP_SIGNALS: DumpSignals = { tags: ['dump'], reasons: ['interrupted'], halt: true };

export interface DumpEvidence {
  signal: 'tag' | 'reason' | 'halt';
  detail: string;
}

/** Why a reflection counts as a dump, or null. */
export function dumpEvidence(doc: MemoryDocument, reflection: Reflection, signals: DumpSignals): DumpEvidence | null {
  const data = frontmatterData(doc);
  const tags = Array.isArray(data.tags) ? data.tags.map(String) : typeof data.tags === 'string' ? data.tags.split(/[,\s]+/) : [];
  const tag = tags.find((t) => signals.tags.some((s) => s.toLowerCase() === t.toLowerCase().replace(/^#/, '')));
  if (tag) return { signal: 'tag', detail: `its frontmatter tags include "${tag}"` };
  const metadata = data.metadata && typeof data.metadata === 'object' ? (data.metadata as Record<string, unknown>) : {};
  const reasons = signals.reasons.map((r) => r.toLowerCase());
  const reason = [data.reason, metadata.reason].find((r) => typeof r === 'string' && reasons.includes(r.toLowerCase()));
  if (typeof reason === 'string') return { signal: 'reason', detail: `its memory entry says reason: ${reason}` };
  if (signals.halt && reflection.halt) return { signal: 'halt', detail: `the halt message follows it on line ${reflection.halt.start.line}` };
  return null;
}
