import type { MemoryDocument } from '../../document.ts';
import type { Report } from '../rule.ts';
import { defineRule } from '../rule.ts';

export const fileEncoding = defineRule({
  meta: { id: 'file-encoding', description: 'Memory files are UTF-8 text: no NUL bytes, no invalid byte sequences, no stray control characters.', severity: 'error', family: 'generic', dialects: ['apm-stage', 'apm-v1', 'apm-phase', 'apm-v03', 'aops', 'unknown'], kinds: 'all' },
  checkDocument(doc, { report }) {
    const problem = doc.problem;
    if (problem?.reason === 'binary') {
      report(doc, doc.source.lineRange(1), `not a text file (${problem.detail}): memory files are UTF-8 markdown, nothing else was checked`);
    }
    const [first, ...rest] = doc.invalidUtf8;
    if (first) {
      report(
        doc,
        doc.source.rangeAt(first.offset, first.offset + 1),
        `byte ${first.byteOffset} is not valid UTF-8 (read as U+FFFD): re-save the file as UTF-8; --fix leaves this file alone`,
        rest.length > 0 ? { note: `${rest.length}${rest.length >= 19 ? '+' : ''} more invalid sequences, first at line ${doc.source.pointAt(rest[0]!.offset).line}` } : {},
      );
    }
    reportControlCharacters(doc, report);
  },
});

/**
 * A control character memory files never hold: C0 but TAB, LF, CR and FF (CommonMark's
 * whitespace), DEL, C1. NUL never gets here: it makes the file binary.
 */
function isStrayControl(c: number): boolean {
  return c < 0x20 ? c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c : c >= 0x7f && c <= 0x9f;
}

/** The lines of further occurrences a note names, at most. */
const NOTE_LINES = 8;

/** Where each stray control character first is, how often it comes, and on which lines. */
interface Occurrences {
  first: number;
  count: number;
  lines: number[];
}

/**
 * One warning per distinct control character, at its first occurrence, with a note that counts
 * the others and names their lines: a file a conversion mangled holds the same few characters
 * many times over, and each is put right once, by replacing it throughout. One pass over the text.
 */
/** Any character isStrayControl accepts (a regular expression finds the first far faster than a loop). */
const STRAY_CONTROL = /[\u0000-\u0008\u000B\u000E-\u001F\u007F-\u009F]/;

function reportControlCharacters(doc: MemoryDocument, report: Report): void {
  const { text, lineStarts } = doc.source;
  const start = text.search(STRAY_CONTROL);
  if (start === -1) return;
  const found = new Map<number, Occurrences>();
  let line = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) continue;
    if (!isStrayControl(c)) continue;
    while (line + 1 < lineStarts.length && lineStarts[line + 1]! <= i) line++;
    const seen = found.get(c);
    if (!seen) found.set(c, { first: i, count: 1, lines: [] });
    else {
      seen.count++;
      if (seen.lines.length <= NOTE_LINES && seen.lines.at(-1) !== line + 1) seen.lines.push(line + 1);
    }
  }
  for (const [c, { first, count, lines }] of found) {
    const heading = doc.headings.find((h) => h.range.start.offset <= first && first < h.range.end.offset);
    const where = heading ? ` in the heading \`${shown(doc.source.lineText(heading.range.start.line))}\`` : '';
    const more = count - 1;
    const listed = lines.slice(0, NOTE_LINES);
    const note =
      more > 0
        ? `${more} more ${hex(c)} in this file, on line${listed.length === 1 && lines.length <= NOTE_LINES ? '' : 's'} ${listed.join(', ')}${lines.length > NOTE_LINES ? ', …' : ''}`
        : undefined;
    report(doc, doc.source.rangeAt(first, first + 1), `control character ${hex(c)}${name(c)}${where}: ${meaning(c, text.charCodeAt(first + 1))}`, {
      severity: 'warning',
      ...(note ? { note } : {}),
    });
  }
}

const hex = (c: number) => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;

const C0_NAMES = 'NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US'.split(' ');

function name(c: number): string {
  return c < 0x20 ? ` (${C0_NAMES[c]})` : c === 0x7f ? ' (DEL)' : '';
}

/**
 * Characters a lossy conversion turns into a C0 control by keeping only the low byte of the
 * code point: U+20xx punctuation and the U+27xx check marks agents write.
 */
const LOW_BYTE: Record<number, [string, string][]> = {
  0x05: [['\u2705', 'check mark button']],
  0x0b: [['\u200b', 'zero-width space']],
  0x10: [['\u2010', 'hyphen']],
  0x11: [['\u2011', 'non-breaking hyphen']],
  0x13: [['\u2013', 'en dash'], ['\u2713', 'check mark']],
  0x14: [['\u2014', 'em dash'], ['\u2714', 'heavy check mark']],
  0x17: [['\u2717', 'ballot x']],
  0x18: [['\u2018', 'left single quotation mark'], ['\u2718', 'heavy ballot x']],
  0x19: [['\u2019', 'right single quotation mark']],
  0x1c: [['\u201c', 'left double quotation mark']],
  0x1d: [['\u201d', 'right double quotation mark']],
};

/** What Windows-1252 has at 0x80–0x9F: its bytes read as Latin-1 become these C1 controls. */
const WINDOWS_1252 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

const codeOf = (ch: string) => hex(ch.codePointAt(0)!);

/** What the character probably stood for, or what to do with it. */
function meaning(c: number, next: number): string {
  if (c === 0x1b && next === 0x5b) return 'the start of a terminal colour code (ESC [ … m), from terminal output pasted with its colours; delete the codes';
  const candidates = LOW_BYTE[c];
  if (candidates) {
    const list = candidates.map(([ch, what]) => `${ch} (${codeOf(ch)}, ${what})`).join(' or ');
    return `probably ${list}, whose high byte a lossy conversion dropped; put the character back`;
  }
  if (c >= 0x80) {
    const ch = WINDOWS_1252[c - 0x80]!;
    if (ch.charCodeAt(0) >= 0xa0) return `probably ${ch} (${codeOf(ch)}), Windows-1252 text read as Latin-1; put the character back`;
  }
  return 'invisible in most editors and meaningless in markdown; delete it or put back the character that was meant';
}

/** A heading as a message shows it: control characters as their pictures (␓), long ones cut. */
function shown(line: string): string {
  let out = '';
  let n = 0;
  for (const ch of line) {
    if (n++ === 48) return `${out}…`;
    const c = ch.charCodeAt(0);
    out += c < 0x20 ? String.fromCharCode(0x2400 + c) : c === 0x7f ? '\u2421' : c >= 0x80 && c <= 0x9f ? '\ufffd' : ch;
  }
  return out;
}
