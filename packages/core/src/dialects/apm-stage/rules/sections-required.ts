import type { DocumentKind, MemoryDocument } from '../../../document.ts';
import { bodyStart } from '../../../rules/locate.ts';
import { longestIncreasing } from '../../../rules/order.ts';
import { defineRule } from '../../../rules/rule.ts';

/** The `##` sections each kind must have, in this order. */
export const requiredSections: Partial<Record<DocumentKind, readonly string[]>> = {
  'worker-handoff-log': ['Session Summary', 'Working Context', 'Technical Notes', 'Continuation Guidance'],
  'manager-handoff-log': ['Tracked Worker Handoffs', 'User Preferences', 'Coordination Insights', 'Working Notes'],
  'task-log': ['Summary', 'Details', 'Output', 'Validation', 'Issues', 'Next Steps'],
  'delegation-log': ['Summary', 'Delegation Context', 'Findings', 'Resolution', 'Integration Notes'],
};

const LONGEST_TITLE = Math.max(...Object.values(requiredSections).flatMap((titles) => titles!.map((t) => t.length)), 64);
const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();
const h2Titles = new WeakMap<MemoryDocument, Map<string, number>>();

/** Index of the first `##` heading with this text, or -1 (each heading normalised once per document). */
export function h2Index(doc: MemoryDocument, title: string): number {
  let titles = h2Titles.get(doc);
  if (!titles) {
    titles = new Map();
    for (const [i, s] of doc.sections.entries()) {
      // Lower-casing never shortens a text: a heading longer than every title is none of them.
      if (s.heading.depth !== 2 || s.heading.text.length > LONGEST_TITLE) continue;
      const key = norm(s.heading.text);
      if (!titles.has(key)) titles.set(key, i);
    }
    h2Titles.set(doc, titles);
  }
  return titles.get(norm(title)) ?? -1;
}

export const sectionsRequired = defineRule({
  meta: { id: 'sections-required', description: 'Handoff, task and delegation logs have their required `##` sections, in order.', severity: 'error', family: 'apm', dialects: ['apm-stage'] },
  checkDocument(doc, { report }) {
    const required = requiredSections[doc.kind];
    // An empty file is frontmatter-missing's finding; listing every absent section adds nothing.
    if (!required || doc.problem || doc.source.text.trim() === '') return;
    const found = required.map((title) => h2Index(doc, title));
    // The headings already in order are the longest increasing run of positions; the rest moved.
    const inOrder = longestIncreasing(found.map((at, i) => ({ at, i })).filter((x) => x.at !== -1));
    required.forEach((title, i) => {
      const at = found[i]!;
      if (at === -1) {
        // Point where it belongs: at the next required heading, else the previous one, else the title.
        const next = found.slice(i + 1).find((x) => x !== -1) ?? found.slice(0, i).findLast((x) => x !== -1);
        const range = next !== undefined ? doc.sections[next]!.heading.range : bodyStart(doc);
        const where = i === 0 ? 'first' : `after \`## ${required[i - 1]}\``;
        report(doc, range, `missing section \`## ${title}\` (expected ${where}); a ${doc.kind.replace(/-/g, ' ')} has ${required.map((r) => `\`## ${r}\``).join(', ')}`);
      } else if (!inOrder.has(i)) {
        const before = required.slice(0, i).filter((_, k) => inOrder.has(k)).at(-1);
        report(doc, doc.sections[at]!.heading.range, `section \`## ${title}\` is out of order: it belongs ${before ? `after \`## ${before}\`` : 'first'} (order: ${required.join(' → ')})`);
      }
    });
  },
});
