import { defineRule } from '../rule.ts';
import { PLACEHOLDER } from '../../skeleton.ts';
import { dialectIds } from '../../dialects/dialect.ts';

/** The hint of a placeholder as the message quotes it: short enough to read in a line. */
const quoted = (marker: string) => (marker.length > 72 ? `${marker.slice(0, 68)}…>` : marker);

/** Whether `offset` on its line sits inside an inline code span (an odd number of backticks before it). */
function inCodeSpan(line: string, column: number): boolean {
  let ticks = 0;
  for (let i = 0; i < column; i++) if (line[i] === '`') ticks++;
  return ticks % 2 === 1;
}

export const skeletonPlaceholder = defineRule({
  meta: {
    id: 'skeleton-placeholder',
    description: 'No `<fill: …>` placeholder of a skeleton (`memlint new`, the MCP `next_log` tool) is left in a log: each is replaced by what it asks for.',
    severity: 'error',
    // Markers are text: a skeleton of any format, or a file written from one by hand.
    family: 'generic',
    dialects: dialectIds,
    kinds: 'all',
  },
  checkDocument(doc, { report }) {
    const { text } = doc.source;
    if (doc.problem || !text.includes('<fill: ')) return;
    // A placeholder quoted as an example (in a code block or a code span) is not one left to fill.
    const blocks = doc.codeBlocks;
    for (const m of text.matchAll(PLACEHOLDER)) {
      const start = m.index;
      if (blocks.some((b) => start >= b.start && start < b.end)) continue;
      const range = doc.source.rangeAt(start, start + m[0].length);
      if (inCodeSpan(doc.source.lineText(range.start.line), range.start.column - 1)) continue;
      report(doc, range, `\`${quoted(m[0])}\` is still a placeholder: write what it asks for in its place`);
    }
  },
});
