import { defineRule } from '../rule.ts';

export const fileUnreadable = defineRule({
  meta: {
    id: 'file-unreadable',
    description: 'Every memory file can be read: one memlint cannot open or read is reported, not skipped.',
    severity: 'error',
    family: 'generic',
  },
  checkDocument(doc, { report }) {
    const problem = doc.problem;
    if (problem?.reason !== 'unreadable') return;
    report(
      doc,
      doc.source.lineRange(1),
      `cannot read this file (${problem.detail}): nothing in it was checked, and --fix leaves the counts that depend on it alone`,
    );
  },
});
