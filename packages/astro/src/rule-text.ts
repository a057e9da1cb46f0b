import { parseDocument, parseMeta } from '@memlint/core';

// A rule page's fences carry attributes for the rule-page tests (`file=… expect="4:3" message="…"`,
// see core's rule-page.ts). Read as prose (llms-full.txt), a fence keeps only its language, and the
// attributes a reader needs become a line above it: which file the block is, or that it is the
// file after `memlint --fix`. Where the test expects findings is left out.

const FENCE_LINE = /^([ \t]*)(`{3,}|~{3,})[ \t]*([^\s`]*)/;

/** The caption a block's attributes amount to, or null when it has none worth saying. */
function caption(meta: Record<string, string>): string | null {
  const notes: string[] = [];
  if ('escapes' in meta) notes.push('`\\xNN` stands for the byte NN');
  if (meta.unreadable) notes.push(`a file that cannot be read: ${meta.unreadable}`);
  if (meta.dialect) notes.push(`read as the ${meta.dialect} dialect`);
  if (meta['max-file-size']) notes.push(`with a size limit of ${meta['max-file-size']} bytes`);
  const extra = notes.length ? ` (${notes.join('; ')})` : '';
  if ('fixed' in meta) return `${meta.fixed ? `\`${meta.fixed}\` after` : 'After'} \`memlint --fix\`${extra}:`;
  if (meta.file) return `File \`${meta.file}\`${extra}:`;
  return null;
}

/** A rule page's markdown with its fences' test attributes turned into captions (frontmatter kept as it is). */
export function ruleTextForReaders(text: string, id = 'rule'): string {
  const doc = parseDocument({ path: `${id}.md`, relPath: `${id}.md`, kind: 'other', text });
  const source = doc.source.text;
  let out = '';
  let last = 0;
  for (const block of doc.codeBlocks) {
    if (!block.meta?.trim()) continue;
    const lineStart = source.lastIndexOf('\n', block.start - 1) + 1;
    const lineEnd = source.indexOf('\n', block.start);
    const line = source.slice(lineStart, lineEnd === -1 ? source.length : lineEnd);
    const fence = FENCE_LINE.exec(line);
    if (!fence) continue;
    const [, indent, marks, lang] = fence;
    const said = caption(parseMeta(block.meta));
    out += source.slice(last, lineStart) + (said ? `${indent}${said}\n\n` : '') + `${indent}${marks}${lang}`;
    last = lineEnd === -1 ? source.length : lineEnd;
  }
  return out + source.slice(last);
}
