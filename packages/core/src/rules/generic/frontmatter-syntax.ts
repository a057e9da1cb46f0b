import { isMap } from 'yaml';
import { defineRule } from '../rule.ts';

export const frontmatterSyntax = defineRule({
  meta: { id: 'frontmatter-syntax', description: 'A frontmatter block is closed, is valid YAML, and maps keys to values.', severity: 'error', family: 'generic', dialects: ['apm-stage', 'apm-v1', 'apm-phase', 'apm-v03', 'aops', 'unknown'], kinds: 'all' },
  checkDocument(doc, { report }) {
    const fm = doc.frontmatter;
    if (!fm) return;
    // The first YAML error is the cause; the ones after it are mostly its echoes.
    const [first] = fm.errors;
    if (first) {
      const more = fm.errors.length - 1;
      report(doc, first.range, first.message, more > 0 ? { note: `${more} more YAML error${more === 1 ? '' : 's'} after this one` } : {});
    }
    // Data that is a mapping came from a YAML mapping: nothing to say (and no need to parse a fast-path block's YAML).
    if (fm.errors.length > 0 || (fm.data !== null && typeof fm.data === 'object' && !Array.isArray(fm.data)) || !fm.document) return;
    const contents = fm.document.contents;
    if (contents !== null && !isMap(contents)) {
      const [start, end] = contents.range ?? [0, 0];
      report(doc, doc.source.rangeAt(fm.contentOffset + start, fm.contentOffset + end), 'frontmatter must be a mapping of keys to values (`key: value` lines)');
    }
  },
});
