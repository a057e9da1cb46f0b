import { findField } from '../../../document.ts';
import { defineRule } from '../../../rules/rule.ts';

const plural = (n: number) => `${n} Manager handoff log${n === 1 ? '' : 's'}`;

export const memoryRootHandoffCount = defineRule({
  meta: {
    id: 'memory-root-handoff-count',
    description: 'The Memory Root\'s `**Manager Handoffs:**` count equals the Manager handoff logs on disk.',
    severity: 'error',
    family: 'apm',
    dialects: ['apm-stage'],
    kinds: ['memory-root'],
    crossFile: true,
    fixable: true,
  },
  checkDocument(doc, { workspace, report }) {
    if (doc.kind !== 'memory-root') return;
    const field = findField(doc, 'Manager Handoffs');
    if (!field) return; // test-5..7 roots have no count
    const logs = workspace.documents.filter((d) => d.kind === 'manager-handoff-log').length;
    const m = /^(\d+)$/.exec(field.value.trim());
    if (!m) {
      report(doc, field.valueRange, `**Manager Handoffs:** is a count, got "${field.value}" (${plural(logs)} ${logs === 1 ? 'exists' : 'exist'})`, { expected: [String(logs)] });
    } else if (Number(m[1]) !== logs) {
      const { start, end } = { start: field.valueRange.start.offset, end: field.valueRange.end.offset };
      report(doc, field.valueRange, `**Manager Handoffs:** says ${m[1]} but ${plural(logs)} ${logs === 1 ? 'exists' : 'exist'}`, {
        expected: [String(logs)],
        fix: [{ start, end, text: String(logs) }],
      });
    }
  },
});
