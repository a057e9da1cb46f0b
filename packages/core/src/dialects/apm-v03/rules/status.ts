import type { MemoryDocument } from '../../../document.ts';
import type { Range } from '../../../text/source-text.ts';
import { defineRule } from '../../../rules/rule.ts';
import { entriesOf, labelOf, valueOf } from '../entries.ts';

/** The five statuses of a v0.3 entry. */
export const V03_STATUSES = ['Completed', 'Partially Completed', 'Blocked', 'Error', 'Information Only'] as const;

// Other words agents write, and the status each most likely means (offered, never applied).
const NEAR: Record<string, string> = {
  complete: 'Completed',
  done: 'Completed',
  finished: 'Completed',
  success: 'Completed',
  successful: 'Completed',
  partial: 'Partially Completed',
  'partially complete': 'Partially Completed',
  'in progress': 'Partially Completed',
  'in-progress': 'Partially Completed',
  wip: 'Partially Completed',
  failed: 'Error',
  failure: 'Error',
  errored: 'Error',
  info: 'Information Only',
  information: 'Information Only',
  'info only': 'Information Only',
};

// Longest first, so `Partially Completed` is not read as a bare `Completed`.
const KNOWN = [...V03_STATUSES].sort((a, b) => b.length - a.length);
const isWordChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

export interface StatusReading {
  /** The status it is, when it is one of the five (whatever the case). */
  status: (typeof V03_STATUSES)[number] | null;
  /** Offsets (into the value) of the status word(s) as written. */
  start: number;
  end: number;
  /** The word(s) read, for messages. */
  written: string;
}

/**
 * Reads a Status value: decoration before it (an emoji, `**`, a backtick) is skipped, and a note
 * after it (`Completed - all tests pass`, `Blocked (waiting on IT)`) is allowed.
 */
export function readStatus(value: string): StatusReading {
  let p = 0;
  // Skip what is not a letter or digit: emoji, markup, brackets.
  while (p < value.length && !isWordChar(value.charCodeAt(p))) p++;
  const rest = value.slice(p, p + 40);
  const lower = rest.toLowerCase();
  for (const status of KNOWN) {
    if (!lower.startsWith(status.toLowerCase())) continue;
    const after = rest.charCodeAt(status.length);
    if (!Number.isNaN(after) && isWordChar(after)) continue;
    return { status, start: p, end: p + status.length, written: rest.slice(0, status.length) };
  }
  // The first words, up to a separator, for the message.
  let cut = rest.length;
  for (const sep of [' - ', ' – ', ' — ', '(', ':', ';', ',', '. ']) {
    const i = rest.indexOf(sep);
    if (i > 0 && i < cut) cut = i;
  }
  const written = rest.slice(0, cut).trimEnd();
  return { status: null, start: p, end: p + written.length, written };
}

/** What an unknown status most likely means, if anything. */
export const nearStatus = (written: string) => NEAR[written.toLowerCase().replace(/\s+/g, ' ').trim()];

export const memoryBankStatus = defineRule({
  meta: {
    id: 'memory-bank-status',
    description: 'A v0.3 entry\'s `**Status:**` is one of Completed, Partially Completed, Blocked, Error or Information Only.',
    severity: 'error',
    family: 'apm',
    dialects: ['apm-v03'],
    kinds: ['memory-root', 'task-log'],
    fixable: true,
  },
  checkDocument(doc, { report }) {
    if (doc.kind !== 'memory-root' && doc.kind !== 'task-log') return;
    const list = V03_STATUSES.join(', ');
    for (const entry of entriesOf(doc)) {
      const label = labelOf(entry, 'status');
      if (!label) continue; // memory-bank-entry reports the missing label
      const found = valueOf(doc, entry, label);
      if (!found || found.value === '') {
        report(doc, label.labelRange, `\`**Status:**\` has no value: write one of ${list}`, { expected: [...V03_STATUSES] });
        continue;
      }
      const read = readStatus(found.value);
      const at = within(doc, found.range, read.start, read.end);
      if (read.status && read.written === read.status) continue;
      if (read.status) {
        // Only the case differs: the status is certain, so --fix writes it as the format does.
        report(doc, at, `status "${read.written}" is written "${read.status}"`, {
          expected: [read.status],
          fix: [{ start: at.start.offset, end: at.end.offset, text: read.status }],
        });
        continue;
      }
      const near = nearStatus(read.written);
      report(doc, at, `status "${read.written}" is not one of the format's five values (${list})${near ? `: did you mean ${near}?` : ''}`, { expected: near ? [near] : [...V03_STATUSES] });
    }
  },
});

/** The range of `[start, end)` of a value that sits at `range` on one line. */
function within(doc: MemoryDocument, range: Range, start: number, end: number): Range {
  const base = range.start.offset;
  return doc.source.rangeAt(base + start, base + Math.max(start, end));
}
