import { defineRule } from '../rule.ts';

const mb = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${bytes} bytes`;

export const fileSize = defineRule({
  meta: { id: 'file-size', description: 'Files over the size limit (2 MB unless configured) are reported and skipped, not parsed.', severity: 'warning', family: 'generic', dialects: ['apm-stage', 'apm-v1', 'apm-phase', 'apm-v03', 'aops', 'unknown'], kinds: 'all' },
  checkDocument(doc, { report }) {
    const problem = doc.problem;
    if (problem?.reason !== 'too-large') return;
    report(
      doc,
      doc.source.lineRange(1),
      `file is ${mb(problem.size)}, over the ${mb(problem.limit)} limit: not checked (raise the limit with --max-file-size, or split the file)`,
    );
  },
});
