import type { MemoryDocument } from '../../document.ts';
import { boldLabelAt } from '../../markdown/structure.ts';
import type { Range } from '../../text/source-text.ts';

/** The labels of a v0.3 Memory Bank entry, in the order the format writes them. */
export const ENTRY_LABELS = [
  { key: 'agent', label: 'Agent' },
  { key: 'task', label: 'Task Reference' },
  { key: 'summary', label: 'Summary' },
  { key: 'details', label: 'Details' },
  { key: 'output', label: 'Output/Result' },
  { key: 'status', label: 'Status' },
  { key: 'issues', label: 'Issues/Blockers' },
  { key: 'next', label: 'Next Steps (Optional)' },
] as const;
export type LabelKey = (typeof ENTRY_LABELS)[number]['key'];

/** Every label an entry must have (Next Steps is optional). */
export const REQUIRED_LABELS: readonly LabelKey[] = ['agent', 'task', 'summary', 'details', 'output', 'status', 'issues'];

// How agents write each label (lower case, spaces collapsed, around a `/` too).
const SPELLINGS: Record<string, LabelKey> = {
  agent: 'agent',
  'agent id': 'agent',
  'task reference': 'task',
  'task ref': 'task',
  summary: 'summary',
  details: 'details',
  'output/result': 'output',
  'output/results': 'output',
  output: 'output',
  outputs: 'output',
  result: 'output',
  results: 'output',
  'result/output': 'output',
  status: 'status',
  'issues/blockers': 'issues',
  'issue/blockers': 'issues',
  'issues/blocker': 'issues',
  issues: 'issues',
  blockers: 'issues',
  'blockers/issues': 'issues',
  'next steps (optional)': 'next',
  'next steps': 'next',
  'next step': 'next',
};

// A label longer than this is none of the format's (the lookup below never lower-cases a long text).
const LONGEST_LABEL = 40;

/** The entry label a written label is (`Output/Result`, `output`, `Issues / Blockers`), or null. */
export function labelKey(label: string): LabelKey | null {
  if (label.length > LONGEST_LABEL) return null;
  const norm = label.toLowerCase().replace(/\s*\/\s*/g, '/').replace(/\s+/g, ' ').trim();
  return SPELLINGS[norm] ?? null;
}

export interface EntryLabel {
  key: LabelKey | null;
  /** As written (without the bold and the colon). */
  label: string;
  line: number;
  /** The bold label, colon included. */
  labelRange: Range;
  value: string;
  valueRange: Range;
}

export interface Entry {
  /** 1-based line where the entry starts: its first line after the `---`, or the heading or label that opens it. */
  line: number;
  /** Offsets of the entry's text: from its first line to just before the next entry or break. */
  start: number;
  end: number;
  /** Whether a `---` line comes before it (or it is the first entry of the file). */
  separated: boolean;
  /** Whether another entry comes before it in the file. */
  first: boolean;
  /** Bold labels at the start of a line (not in a list, a quote or a code block), in order. */
  labels: EntryLabel[];
}

const cache = new WeakMap<MemoryDocument, Entry[]>();

const isBlank = (line: string) => line.trim() === '';

/**
 * Whether a line is a thematic break made of `-`, `*` or `_` (`---`, `- - -`, `***`), up to three
 * spaces in. Scanned by hand: linear in the line.
 */
export function isBreak(line: string): boolean {
  let p = 0;
  while (p < 3 && line.charCodeAt(p) === 32) p++;
  const c = line[p];
  if (c !== '-' && c !== '*' && c !== '_') return false;
  let count = 0;
  for (let i = p; i < line.length; i++) {
    const ch = line[i];
    if (ch === c) count++;
    else if (ch !== ' ' && ch !== '\t') return false;
  }
  return count >= 3;
}

// An ATX heading: up to three spaces, 1–6 `#`, then a space or the end of the line.
const isHeading = (line: string) => /^ {0,3}#{1,6}(?:[ \t]|$)/.test(line.slice(0, 12));

/**
 * The entries of a Memory Bank or task log, in order: text between `---` lines (outside code
 * fences and frontmatter) that holds at least one of the format's labels. A label that opens an
 * entry (`**Agent:**`, `**Task Reference:**`) seen again in the same entry starts another one,
 * which has no `---` before it. One pass over the lines: linear in the file.
 */
export function entriesOf(doc: MemoryDocument): Entry[] {
  let entries = cache.get(doc);
  if (!entries) {
    entries = parseEntries(doc);
    cache.set(doc, entries);
  }
  return entries;
}

function parseEntries(doc: MemoryDocument): Entry[] {
  const src = doc.source;
  const out: Entry[] = [];
  if (doc.problem || src.text.length === 0) return out;
  const blocks = doc.codeBlocks;
  let b = 0;
  let firstLine = 1;
  if (doc.frontmatter) firstLine = doc.frontmatter.closeFence ? doc.frontmatter.closeFence.end.line + 1 : src.lineCount + 1;
  // The chunk between two breaks: whether a break opened it, its first text line, its last heading line.
  let separated = false;
  let chunkFirst = 0;
  let heading = 0;
  let current: Entry | null = null;
  let lastLabelLine = 0;
  // The opening labels the current entry has.
  let opened = new Set<LabelKey>();
  const close = (endOffset: number) => {
    if (current) current.end = Math.max(current.start, endOffset);
    current = null;
  };
  const open = (line: number, isSeparated: boolean) => {
    current = { line, start: src.lineStart(line), end: src.text.length, separated: isSeparated, first: out.length === 0, labels: [] };
    out.push(current);
    opened = new Set();
  };
  for (let line = firstLine; line <= src.lineCount; line++) {
    const start = src.lineStart(line);
    const end = src.lineEnd(line);
    while (b < blocks.length && blocks[b]!.end < start) b++;
    const inCode = b < blocks.length && blocks[b]!.start <= end && start <= blocks[b]!.end;
    if (inCode) {
      if (chunkFirst === 0) chunkFirst = line;
      continue;
    }
    const text = src.text.slice(start, end);
    if (isBlank(text)) continue;
    if (isBreak(text)) {
      close(start);
      separated = true;
      chunkFirst = 0;
      heading = 0;
      continue;
    }
    if (chunkFirst === 0) chunkFirst = line;
    if (isHeading(text)) {
      heading = line;
      continue;
    }
    const match = boldLabelAt(text);
    // Only a label at the start of the line: one in a list or a quote is part of the entry's text.
    if (!match || match.lead > 3 || !isBlank(text.slice(0, match.lead))) continue;
    const key = labelKey(match.label);
    const entry = current as Entry | null;
    if (key && !entry) {
      // A chunk a break opened starts at its first line; the file's opening text, at the heading above the label.
      open(separated ? chunkFirst : heading > 0 ? heading : line, separated || out.length === 0);
    } else if (key && entry && (key === 'agent' || key === 'task') && opened.has(key)) {
      // A second entry in the same chunk: it starts at the heading above it when one comes after the last label.
      const at = heading > lastLabelLine ? heading : line;
      close(src.lineStart(at));
      open(at, false);
    }
    const target = current as Entry | null;
    if (!target) continue;
    if (key === 'agent' || key === 'task') opened.add(key);
    target.labels.push({
      key,
      label: match.label,
      line,
      labelRange: src.rangeAt(start + match.lead, start + match.labelEnd),
      value: text.slice(match.valueStart, match.valueEnd),
      valueRange: src.rangeAt(start + match.valueStart, start + match.valueEnd),
    });
    lastLabelLine = line;
  }
  close(src.text.length);
  return out;
}

/** The first label of a key in an entry. */
export function labelOf(entry: Entry, key: LabelKey): EntryLabel | undefined {
  return entry.labels.find((l) => l.key === key);
}

/**
 * A label's value: on its own line (`**Status:** Completed`), else the entry's next non-blank
 * line when that is not another label (`**Status:**` then `Completed` below it).
 */
export function valueOf(doc: MemoryDocument, entry: Entry, label: EntryLabel): { value: string; range: Range } | null {
  if (label.value !== '') return { value: label.value, range: label.valueRange };
  const src = doc.source;
  for (let line = label.line + 1; line <= src.lineCount && src.lineStart(line) < entry.end; line++) {
    const text = src.lineText(line);
    if (isBlank(text)) continue;
    if (isBreak(text) || isHeading(text) || boldLabelAt(text)) return null;
    const lead = text.length - text.trimStart().length;
    const value = text.trim();
    const start = src.lineStart(line) + lead;
    return { value, range: src.rangeAt(start, start + value.length) };
  }
  return null;
}
