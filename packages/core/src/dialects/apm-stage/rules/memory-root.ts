import { findField } from '../../../document.ts';
import { defineRule } from '../../../rules/rule.ts';

const plural = (n: number) => `${n} Manager handoff log${n === 1 ? '' : 's'}`;

export const memoryRootHandoffCount = defineRule({
  meta: {
    id: 'memory-root-handoff-count',
    description: 'The Memory Root\'s **Manager Handoffs:** count equals the Manager handoff logs on disk.',
    severity: 'error',
    family: 'apm',
    dialects: ['apm-stage'],
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
      report(doc, field.valueRange, `**Manager Handoffs:** is a count, got "${field.value}" (${plural(logs)} exist)`, { expected: [String(logs)] });
    } else if (Number(m[1]) !== logs) {
      const { start, end } = { start: field.valueRange.start.offset, end: field.valueRange.end.offset };
      report(doc, field.valueRange, `**Manager Handoffs:** says ${m[1]} but ${plural(logs)} ${logs === 1 ? 'exists' : 'exist'}`, {
        expected: [String(logs)],
        fix: [{ start, end, text: String(logs) }],
      });
    }
  },
});

const SUMMARY = /^Stage\s+\d+\s*[-–—:].*\bSummary$/i;
const LOG_NAME = /\b(?:Task|Delegation)_Log_\d+_\d+[\w.-]*?\.md\b/g;

export const memoryRootStageLogs = defineRule({
  meta: {
    id: 'memory-root-stage-logs',
    description: 'Every task log a Stage Summary in the Memory Root lists exists.',
    severity: 'error',
    family: 'apm',
    dialects: ['apm-stage'],
    crossFile: true,
  },
  checkDocument(doc, { workspace, report }) {
    if (doc.kind !== 'memory-root') return;
    const names = new Set(
      workspace.documents.filter((d) => d.kind === 'task-log' || d.kind === 'delegation-log').map((d) => d.relPath.split('/').pop()!),
    );
    for (const section of doc.sections) {
      if (!SUMMARY.test(section.heading.text)) continue;
      const text = doc.source.text.slice(section.contentStart, section.contentEnd);
      const seen = new Set<string>();
      for (const m of text.matchAll(LOG_NAME)) {
        const line = doc.source.pointAt(section.contentStart + m.index).line;
        const key = `${line}:${m[0]}`;
        if (seen.has(key)) continue; // `[name](dir/name)` names it twice on one line
        seen.add(key);
        if (names.has(m[0])) continue;
        const range = doc.source.rangeAt(section.contentStart + m.index, section.contentStart + m.index + m[0].length);
        report(doc, range, `${section.heading.text} lists ${m[0]}, but no task or delegation log of that name exists in the memory tree`);
      }
    }
  },
});
