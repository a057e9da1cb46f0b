import { defineRule } from '../rule.ts';
import { bodyStart } from '../locate.ts';
import { dialectsWhere } from '../../dialects/registry.ts';

export const titleFormat = defineRule({
  meta: {
    id: 'title-format',
    description: 'Each file opens with the H1 title its kind prescribes (a task log names its task id, a handoff its numbers).',
    severity: 'error',
    family: 'apm',
    // The dialects with titles, and every kind one of them prescribes a title for.
    dialects: dialectsWhere((d) => Boolean(d.titles)),
    kinds: ['task-log', 'delegation-log', 'worker-handoff-log', 'manager-handoff-log', 'memory-root', 'implementation-plan', 'specifications', 'tracker', 'memory-index'],
  },
  checkDocument(doc, { workspace, report }) {
    const check = workspace.root.dialect.titles?.[doc.kind];
    if (!check || doc.problem || (doc.source.text.trim() === '' && doc.kind !== 'memory-root')) return;
    if (check.skip?.(doc)) return;
    const expected = check.expected(doc);
    if (!doc.title) {
      report(doc, bodyStart(doc), `missing H1 title: expected \`# ${expected}\``);
      return;
    }
    const first = doc.headings[0]!;
    if (first !== doc.title) {
      report(doc, doc.title.range, `the title \`# ${doc.title.text}\` must open the file, before \`${'#'.repeat(first.depth)} ${first.text}\``);
      return;
    }
    if (!check.ok(doc.title.text, doc)) {
      const concrete = check.concrete ? check.concrete(doc) : !expected.includes('<');
      report(doc, doc.title.textRange, `title \`# ${doc.title.text}\` does not match \`# ${expected}\``, concrete ? { expected: [expected] } : {});
    }
  },
});
