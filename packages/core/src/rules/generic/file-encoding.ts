import { defineRule } from '../rule.ts';

export const fileEncoding = defineRule({
  meta: { id: 'file-encoding', description: 'Memory files are UTF-8 text: no NUL bytes, no invalid byte sequences.', severity: 'error', family: 'generic', dialects: ['apm-stage', 'apm-v1', 'apm-phase', 'apm-v03', 'aops', 'unknown'], kinds: 'all' },
  checkDocument(doc, { report }) {
    const problem = doc.problem;
    if (problem?.reason === 'binary') {
      report(doc, doc.source.lineRange(1), `not a text file (${problem.detail}): memory files are UTF-8 markdown, nothing else was checked`);
    }
    const [first, ...rest] = doc.invalidUtf8;
    if (first) {
      report(
        doc,
        doc.source.rangeAt(first.offset, first.offset + 1),
        `byte ${first.byteOffset} is not valid UTF-8 (read as U+FFFD): re-save the file as UTF-8; --fix leaves this file alone`,
        rest.length > 0 ? { note: `${rest.length}${rest.length >= 19 ? '+' : ''} more invalid sequences, first at line ${doc.source.pointAt(rest[0]!.offset).line}` } : {},
      );
    }
  },
});
