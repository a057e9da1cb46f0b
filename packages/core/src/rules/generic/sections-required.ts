import { h2Index } from '../../markdown/sections.ts';
import { bodyStart } from '../locate.ts';
import { longestIncreasing } from '../order.ts';
import { defineRule } from '../rule.ts';
import { aKind } from '../words.ts';
import { dialectsWhere } from '../../dialects/registry.ts';

export const sectionsRequired = defineRule({
  meta: {
    id: 'sections-required',
    description: 'Handoff, task and delegation logs (and a v1.0 tracker and memory index) have their required `##` sections, in order.',
    severity: 'error',
    family: 'apm',
    // The dialects with required sections, and every kind one of them requires sections of.
    dialects: dialectsWhere((d) => Boolean(d.requiredSections)),
    kinds: ['task-log', 'delegation-log', 'worker-handoff-log', 'manager-handoff-log', 'tracker', 'memory-index'],
  },
  checkDocument(doc, { workspace, report, settings }) {
    const required = workspace.root.dialect.requiredSections?.[doc.kind];
    // An empty file is frontmatter-missing's finding; listing every absent section adds nothing.
    if (!required || doc.problem || doc.source.text.trim() === '') return;
    const found = required.map((title) => h2Index(doc, title, settings.sectionAliases));
    // The headings already in order are the longest increasing run of positions; the rest moved.
    const inOrder = longestIncreasing(found.map((at, i) => ({ at, i })).filter((x) => x.at !== -1));
    required.forEach((title, i) => {
      const at = found[i]!;
      if (at === -1) {
        // Point where it belongs: at the next required heading, else the previous one, else the title.
        const next = found.slice(i + 1).find((x) => x !== -1) ?? found.slice(0, i).findLast((x) => x !== -1);
        const range = next !== undefined ? doc.sections[next]!.heading.range : bodyStart(doc);
        const where = i === 0 ? 'first' : `after \`## ${required[i - 1]}\``;
        report(doc, range, `missing section \`## ${title}\` (expected ${where}); ${aKind(workspace.root.dialect, doc.kind)} has ${required.map((r) => `\`## ${r}\``).join(', ')}`);
      } else if (!inOrder.has(i)) {
        const before = required.slice(0, i).filter((_, k) => inOrder.has(k)).at(-1);
        report(doc, doc.sections[at]!.heading.range, `section \`## ${title}\` is out of order: it belongs ${before ? `after \`## ${before}\`` : 'first'} (order: ${required.join(' → ')})`);
      }
    });
  },
});
