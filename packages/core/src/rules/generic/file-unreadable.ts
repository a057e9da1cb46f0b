import { defineRule } from '../rule.ts';

export const fileUnreadable = defineRule({
  meta: {
    id: 'file-unreadable',
    description: 'Every memory file can be read: one memlint cannot open or read (permission denied, a broken link, a FIFO, a name that is not UTF-8) is reported, not skipped.',
    severity: 'error',
    family: 'generic',
    dialects: ['apm-stage', 'apm-v1', 'apm-phase', 'apm-v03', 'aops', 'unknown'],
    kinds: 'all',
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
