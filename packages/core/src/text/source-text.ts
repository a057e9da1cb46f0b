/** A position in a file: 1-based line and column (as editors count), 0-based offset into `text`. */
export interface Point {
  line: number;
  column: number;
  offset: number;
}

export interface Range {
  start: Point;
  end: Point;
}

/**
 * The decoded text of one file with its line index. A UTF-8 BOM is removed from `text` and
 * remembered in `hasBom`, so columns match what editors show and fixes can put it back;
 * CRLF is kept as it is, so offsets are offsets into the original characters.
 */
export class SourceText {
  readonly text: string;
  readonly hasBom: boolean;
  readonly lineStarts: number[];

  constructor(text: string, hasBom = false) {
    this.text = text;
    this.hasBom = hasBom;
    // LF, CRLF and a lone CR each end a line, as editors and LSP count them (U+2028 does not).
    const starts = [0];
    if (text.indexOf('\r') === -1) {
      // LF only (most files): indexOf finds each line end far faster than a loop over the characters.
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** The point at a 0-based offset (clamped to the text; an offset inside a CRLF is the line's end). */
  pointAt(offset: number): Point {
    let at = Math.max(0, Math.min(Number.isFinite(offset) ? Math.floor(offset) : 0, this.text.length));
    if (at > 0 && this.text.charCodeAt(at) === 10 && this.text.charCodeAt(at - 1) === 13) at -= 1;
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid]! <= at) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: at - this.lineStarts[low]! + 1, offset: at };
  }

  rangeAt(start: number, end: number): Range {
    return { start: this.pointAt(start), end: this.pointAt(Math.max(start, end)) };
  }

  /** Offset of the start of a 1-based line. */
  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line - 1, this.lineStarts.length - 1))]!;
  }

  /** Offset just past the last visible character of a 1-based line (before its CR, LF or CRLF). */
  lineEnd(line: number): number {
    const start = this.lineStart(line);
    if (line < 1 || line >= this.lineStarts.length) return line < 1 ? start : this.text.length;
    let end = this.lineStarts[line]! - 1;
    if (this.text.charCodeAt(end) === 10 && end > start && this.text.charCodeAt(end - 1) === 13) end -= 1;
    return Math.max(start, end);
  }

  /** The range of a whole line, without its line ending. */
  lineRange(line: number): Range {
    return this.rangeAt(this.lineStart(line), this.lineEnd(line));
  }

  /** The text of a 1-based line without its line ending. */
  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }
}

export type DecodeResult =
  | { ok: true; source: SourceText; invalid: InvalidSequence[] }
  | { ok: false; reason: 'binary'; detail: string; offset: number };

/** A byte sequence that is not UTF-8, and where its replacement character sits in the text. */
export interface InvalidSequence {
  byteOffset: number;
  offset: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lossy = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * Bytes → text. Refuses binary content (a NUL byte). Invalid UTF-8 is decoded with U+FFFD in
 * its place and listed, so the rest of the file can still be checked (and is never rewritten).
 */
export function decodeBytes(bytes: Uint8Array): DecodeResult {
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return { ok: false, reason: 'binary', detail: `a NUL byte at byte ${nul}`, offset: nul };
  }
  let text: string;
  const invalid: InvalidSequence[] = [];
  try {
    text = utf8.decode(bytes);
  } catch {
    text = lossy.decode(bytes);
    for (let bad = invalidUtf8At(bytes, 0); bad && invalid.length < 20; bad = invalidUtf8At(bytes, bad.at + bad.length)) {
      invalid.push({ byteOffset: bad.at, offset: lossy.decode(bytes.subarray(0, bad.at)).length });
    }
  }
  const hasBom = text.charCodeAt(0) === 0xfeff;
  if (hasBom) for (const i of invalid) i.offset -= 1;
  return { ok: true, source: new SourceText(hasBom ? text.slice(1) : text, hasBom), invalid };
}

/** Text that is already decoded (an editor buffer, a test string). */
export function sourceFromString(value: string): SourceText {
  const hasBom = value.charCodeAt(0) === 0xfeff;
  return new SourceText(hasBom ? value.slice(1) : value, hasBom);
}

/**
 * Offset of the first invalid UTF-8 sequence at or after `from`, or -1, and how many bytes it
 * spans (the maximal subpart, as decoders replace it with one U+FFFD).
 */
function invalidUtf8At(bytes: Uint8Array, from: number): { at: number; length: number } | null {
  let i = from;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    const need = b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (need < 0) return { at: i, length: 1 };
    // The second byte's range is narrower after some leads (no overlongs, surrogates or > U+10FFFF).
    const low = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const high = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      const ok = c !== undefined && (k === 1 ? c >= low && c <= high : c >= 0x80 && c <= 0xbf);
      if (!ok) return { at: i, length: k };
    }
    i += need + 1;
  }
  return null;
}
