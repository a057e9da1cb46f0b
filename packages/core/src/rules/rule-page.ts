/**
 * Rule pages (`rules/<id>.md`) and the examples in them, which `test/rule-pages.test.ts` runs.
 *
 * A page is frontmatter, then prose, then `## Valid` and `## Invalid`. Under those, each `###`
 * heading starts an example, and the fenced code blocks after it until the next heading are the
 * example's memory tree. The fence's info string says what a block is:
 *
 * - `file=<path>`: a file of the tree, at that path inside the memory root (`Memory/Memory_Root.md`,
 *   `memory/stage-01/task-01-01.log.md`, `metadata.json`). Along with it:
 *   - `expect="<line>[:<column>],…"` (invalid examples): where the rule's findings on this file
 *     start, in order. A file of an invalid example without `expect` must get no finding.
 *   - `message="<text>"` (with `expect`; repeatable): a stable part of the finding's message. One
 *     `message` applies to every expected finding of the file; otherwise there is one per place,
 *     in the order of `expect`. Backticks in the message are ignored when matching, since a
 *     backtick fence's info string cannot hold one: `message="incoming: 4 must be"` matches
 *     the message ``` `incoming: 4` must be … ```. Quote with `'…'` when the text has a `"`.
 *   - `escapes`: `\xNN` in the block stands for the byte NN (BOMs, CRLF, NUL, invalid UTF-8).
 *   - `unreadable=<errno>`: the file exists but cannot be read.
 *   - `dialect=<id>`, `max-file-size=<bytes>`: the example's settings, as `--dialect` and
 *     `--max-file-size` would give them.
 * - `fixed` (invalid examples of fixable rules): the whole text of the file above it (the last
 *   `file=` block) once `--fix` has run with this rule; `fixed=<path>` names another file of the
 *   example. A `fixed` block equal to its file says that `--fix` leaves this file alone. With
 *   `escapes`, the bytes are compared (a BOM and CRLF line ends are kept by `--fix`).
 *
 * A block with neither `file=` nor `fixed` is only shown (prose for the reader).
 */
import { frontmatterData, parseDocument } from '../document.ts';
import type { VirtualFile } from '../workspace/load.ts';
import type { DialectId } from '../dialects/dialect.ts';

/** Where an invalid example says the rule fires: a line, or a line and column, and what it says. */
export interface ExpectedPlace {
  line: number;
  column?: number;
  /** A part of the message (backticks ignored). */
  message?: string;
}

/** What a file holds after `--fix`: text, or bytes when the block was written with `escapes`. */
export interface FixedContent {
  text?: string;
  bytes?: Uint8Array;
  /** 1-based line of the `fixed` block in the page. */
  line: number;
}

export interface ExampleFile extends VirtualFile {
  /** null: the rule must stay silent on this file. */
  expect: ExpectedPlace[] | null;
  /** The file's content after `--fix`, when the example states it. */
  fixed?: FixedContent;
}

export interface RuleExample {
  kind: 'valid' | 'invalid';
  name: string;
  /** 1-based line of the example's heading in the page. */
  line: number;
  files: ExampleFile[];
  dialect?: DialectId;
  maxFileSize?: number;
}

export interface RulePage {
  id: string;
  data: Record<string, unknown>;
  examples: RuleExample[];
}

const ATTRIBUTE = /([\w-]+)(?:=("([^"]*)"|'([^']*)'|\S+))?/g;

/** `file=Memory/X.md expect="4,7:3" escapes` → attributes (of a repeated one, the last). */
export function parseMeta(meta: string | null): Record<string, string> {
  return Object.fromEntries(parseMetaList(meta));
}

/** The attributes in the order written, repeated ones included. */
export function parseMetaList(meta: string | null): [string, string][] {
  return [...(meta ?? '').matchAll(ATTRIBUTE)].map((m) => [m[1]!, m[3] ?? m[4] ?? m[2] ?? '']);
}

/** `\xNN` escapes → raw bytes (for examples of encodings, BOMs, CRLF and NUL). */
function unescapeBytes(text: string): Uint8Array {
  const chunks: number[] = [];
  const parts = text.split(/(\\x[0-9a-fA-F]{2})/);
  for (const part of parts) {
    if (/^\\x[0-9a-fA-F]{2}$/.test(part)) chunks.push(parseInt(part.slice(2), 16));
    else chunks.push(...Buffer.from(part, 'utf8'));
  }
  return Uint8Array.from(chunks);
}

function parseExpect(value: string | undefined): ExpectedPlace[] | null {
  if (value === undefined) return null;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [line, column] = s.split(':').map(Number);
      return column ? { line: line!, column } : { line: line! };
    });
}

/** Backticks are markup in a message, and a fence's info string cannot hold them: both sides drop them. */
export function messageMatches(message: string, part: string): boolean {
  const plain = (s: string) => s.replace(/`/g, '');
  return plain(message).includes(plain(part));
}

/**
 * Reads a rule page: its frontmatter and its examples (see the top of this file for the syntax).
 * Throws on an example that cannot mean anything: messages without places, a count of messages
 * that matches neither one nor the places, a `fixed` block with no file or in a valid example.
 */
export function parseRulePage(text: string, id: string): RulePage {
  const doc = parseDocument({ path: `${id}.md`, relPath: `${id}.md`, kind: 'other', text });
  const examples: RuleExample[] = [];
  let current: RuleExample | null = null;
  let group: 'valid' | 'invalid' | null = null;
  const events = [
    ...doc.headings.map((h) => ({ at: h.range.start.offset, heading: h })),
    ...doc.codeBlocks.map((b) => ({ at: b.start, block: b })),
  ].sort((a, b) => a.at - b.at);
  const fail = (line: number, why: string): never => {
    throw new Error(`rules/${id}.md:${line}: ${why}`);
  };
  for (const event of events) {
    if ('heading' in event && event.heading) {
      const h = event.heading;
      if (h.depth <= 2) {
        group = /^valid\b/i.test(h.text) ? 'valid' : /^invalid\b/i.test(h.text) ? 'invalid' : null;
        current = null;
      } else if (h.depth === 3 && group) {
        current = { kind: group, name: h.text, line: h.range.start.line, files: [] };
        examples.push(current);
      }
      continue;
    }
    const block = 'block' in event ? event.block : undefined;
    if (!block || !current) continue;
    const list = parseMetaList(block.meta);
    const attrs = Object.fromEntries(list);
    const content = block.value.length > 0 ? `${block.value}\n` : '';
    const line = block.range.start.line;
    if ('fixed' in attrs) {
      if (current.kind !== 'invalid') fail(line, 'a `fixed` block belongs to an invalid example');
      const target = attrs.fixed ? current.files.find((f) => f.relPath === attrs.fixed) : current.files.at(-1);
      if (!target) fail(line, attrs.fixed ? `\`fixed=${attrs.fixed}\` names no file of the example above it` : 'a `fixed` block comes after the file it fixes');
      if (target!.fixed) fail(line, `${target!.relPath} already has a \`fixed\` block`);
      target!.fixed = 'escapes' in attrs ? { bytes: unescapeBytes(content), line } : { text: content, line };
      continue;
    }
    if (!attrs.file) continue;
    const expect = parseExpect(attrs.expect);
    const messages = list.filter(([k]) => k === 'message').map(([, v]) => v);
    if (messages.length > 0) {
      if (!expect || expect.length === 0) fail(line, '`message=` needs `expect=` places');
      if (messages.length !== 1 && messages.length !== expect!.length) {
        fail(line, `${messages.length} messages for ${expect!.length} places: give one for all, or one per place`);
      }
      expect!.forEach((p, i) => (p.message = messages.length === 1 ? messages[0] : messages[i]));
    }
    const file: ExampleFile =
      'escapes' in attrs ? { relPath: attrs.file, bytes: unescapeBytes(content), expect } : { relPath: attrs.file, text: content, expect };
    if (attrs.unreadable) file.unreadable = attrs.unreadable;
    current.files.push(file);
    if (attrs.dialect) current.dialect = attrs.dialect as DialectId;
    if (attrs['max-file-size']) current.maxFileSize = Number(attrs['max-file-size']);
  }
  return { id, data: frontmatterData(doc), examples };
}
