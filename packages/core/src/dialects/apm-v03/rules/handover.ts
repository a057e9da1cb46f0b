import { bodyStart } from '../../../rules/locate.ts';
import { defineRule } from '../../../rules/rule.ts';

// `## Section 3: Implementation Plan Status`, `## Section 3 - …`, `## Section 3`.
const SECTION = /^Section\s+(\d{1,4})(?![0-9])(?:[:.\-–—\s]|$)/i;

export const handoverSections = defineRule({
  meta: {
    id: 'handover-sections',
    description: 'A v0.3 Handover File has its numbered sections (`## Section 1: Handover Overview`, `## Section 2: …`) in sequence, with no gap and no number twice.',
    severity: 'error',
    family: 'apm',
    dialects: ['apm-v03'],
    kinds: ['manager-handoff-log'],
  },
  checkDocument(doc, { report }) {
    if (doc.kind !== 'manager-handoff-log' || doc.problem || doc.source.text.trim() === '') return;
    const numbered = doc.headings.flatMap((h) => {
      const m = h.depth === 2 || h.depth === 3 ? SECTION.exec(h.text.slice(0, 40)) : null;
      return m ? [{ heading: h, n: Number(m[1]) }] : [];
    });
    if (numbered.length === 0) {
      report(doc, bodyStart(doc), 'this Handover File has no numbered sections: the format has `## Section 1: Handover Overview` through `## Section 11: Key Project File Manifest`');
      return;
    }
    // The sections sit at one level: the level of the first.
    const depth = numbered[0]!.heading.depth;
    const seen = new Map<number, number>();
    let expected = 1;
    for (const { heading, n } of numbered) {
      if (heading.depth !== depth) continue;
      const hashes = '#'.repeat(depth);
      const earlier = seen.get(n);
      if (earlier !== undefined) {
        report(doc, heading.range, `\`${hashes} Section ${n}\` appears twice (also on line ${earlier}): number the sections 1, 2, 3, … once each`);
        continue;
      }
      seen.set(n, heading.range.start.line);
      if (n !== expected) {
        const missing = n > expected ? (n - expected === 1 ? `Section ${expected} is missing` : `Sections ${expected}–${n - 1} are missing`) : `it comes after Section ${expected - 1}`;
        report(doc, heading.range, `\`${hashes} Section ${n}\` is out of sequence: ${expected === 1 ? 'the sections start at Section 1' : `Section ${expected} comes next`} (${missing})`);
      }
      expected = Math.max(expected, n + 1);
    }
  },
});
