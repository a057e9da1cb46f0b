import { longestIncreasing } from '../../../rules/order.ts';
import { defineRule } from '../../../rules/rule.ts';
import { ENTRY_LABELS, entriesOf, REQUIRED_LABELS, type LabelKey } from '../entries.ts';

const NAME = Object.fromEntries(ENTRY_LABELS.map((l) => [l.key, l.label])) as Record<LabelKey, string>;
const bold = (key: LabelKey) => `**${NAME[key]}:**`;
const ORDER: readonly LabelKey[] = ENTRY_LABELS.map((l) => l.key);

/** `a`, `a and b`, `a, b and c`. */
export const listOf = (items: readonly string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

export const memoryBankEntry = defineRule({
  meta: {
    id: 'memory-bank-entry',
    description: 'Each v0.3 Memory Bank entry follows a `---` line and has the format\'s bold labels (Agent, Task Reference, Summary, Details, Output/Result, Status, Issues/Blockers), once each and in order.',
    severity: 'error',
    family: 'apm',
    dialects: ['apm-v03'],
    kinds: ['memory-root', 'task-log'],
  },
  checkDocument(doc, { report }) {
    if (doc.kind !== 'memory-root' && doc.kind !== 'task-log') return;
    for (const entry of entriesOf(doc)) {
      const first = new Map<LabelKey, (typeof entry.labels)[number]>();
      for (const label of entry.labels) {
        if (!label.key) continue;
        const earlier = first.get(label.key);
        if (!earlier) {
          first.set(label.key, label);
          continue;
        }
        report(doc, label.labelRange, `a second ${bold(label.key)} in this entry (the first is on line ${earlier.line}): an entry has each label once`);
      }
      // One finding per entry for what it lacks, at the entry's own first line.
      const missing = REQUIRED_LABELS.filter((k) => !first.has(k));
      const problems: string[] = [];
      if (!entry.separated) problems.push('no `---` line separates it from the entry before');
      if (missing.length > 0) problems.push(`it lacks ${listOf(missing.map(bold))}`);
      if (problems.length > 0) {
        report(doc, doc.source.lineRange(entry.line), `Memory Bank entry: ${problems.join(', and ')} (an entry is ${ORDER.filter((k) => k !== 'next').map((k) => NAME[k]).join(', ')}, after a \`---\` line)`);
      }
      // The labels already in order are the longest increasing run; the others moved.
      const present = ORDER.filter((k) => first.has(k)).map((k) => ({ key: k, label: first.get(k)! }));
      const kept = longestIncreasing(present.map((p, i) => ({ at: p.label.line, i })));
      present.forEach((p, i) => {
        if (kept.has(i)) return;
        const before = present.slice(0, i).filter((_, k) => kept.has(k)).at(-1);
        report(doc, p.label.labelRange, `${bold(p.key)} is out of order: it belongs ${before ? `after ${bold(before.key)}` : 'first'} (order: ${ORDER.filter((k) => k !== 'next').map((k) => NAME[k]).join(' → ')})`);
      });
    }
  },
});
