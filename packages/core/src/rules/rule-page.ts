import { frontmatterData, parseDocument } from '../document.ts';
import type { VirtualFile } from '../workspace/load.ts';
import type { DialectId } from '../dialects/dialect.ts';

/** Where an invalid example says the rule fires: a line, or a line and column. */
export interface ExpectedPlace {
  line: number;
  column?: number;
}

export interface ExampleFile extends VirtualFile {
  /** null: the rule must stay silent on this file. */
  expect: ExpectedPlace[] | null;
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

/** `file=Memory/X.md expect="4,7:3" escapes` → attributes. */
export function parseMeta(meta: string | null): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of (meta ?? '').matchAll(/([\w-]+)(?:=("([^"]*)"|'([^']*)'|\S+))?/g)) {
    attrs[m[1]!] = m[3] ?? m[4] ?? m[2] ?? '';
  }
  return attrs;
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

/**
 * Reads a rule page (`rules/<id>.md`): frontmatter, then `## Valid` and `## Invalid`, each
 * example a `###` heading followed by code blocks with `file=<path in the memory root>`.
 * An invalid example's files say where the rule fires with `expect="<line>[:<column>],…"`.
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
    const attrs = parseMeta(block.meta);
    if (!attrs.file) continue;
    const content = block.value.length > 0 ? `${block.value}\n` : '';
    const file: ExampleFile =
      'escapes' in attrs
        ? { relPath: attrs.file, bytes: unescapeBytes(content), expect: parseExpect(attrs.expect) }
        : { relPath: attrs.file, text: content, expect: parseExpect(attrs.expect) };
    if (attrs.unreadable) file.unreadable = attrs.unreadable;
    current.files.push(file);
    if (attrs.dialect) current.dialect = attrs.dialect as DialectId;
    if (attrs['max-file-size']) current.maxFileSize = Number(attrs['max-file-size']);
  }
  return { id, data: frontmatterData(doc), examples };
}
