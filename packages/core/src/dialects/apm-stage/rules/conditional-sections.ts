import { frontmatterData } from '../../../document.ts';
import { show, valueRange } from '../../../rules/locate.ts';
import { defineRule } from '../../../rules/rule.ts';
import { h2Index } from './sections-required.ts';

/** Flag → the section it calls for. */
export const conditionalSections = [
  { flag: 'compatibility_issues', section: 'Compatibility Concerns' },
  { flag: 'important_findings', section: 'Important Findings' },
  { flag: 'delegation', section: 'Delegation' },
] as const;

export const conditionalSectionsRule = defineRule({
  meta: {
    id: 'conditional-sections',
    description: 'A task log has Compatibility Concerns, Important Findings and Delegation sections exactly when their flags are true.',
    severity: 'error',
    family: 'apm',
    dialects: ['apm-stage'],
  },
  checkDocument(doc, { report }) {
    if (doc.kind !== 'task-log' || !doc.frontmatter || doc.frontmatter.errors.length > 0) return;
    const data = frontmatterData(doc);
    for (const { flag, section } of conditionalSections) {
      const value = data[flag];
      const at = h2Index(doc, section);
      if (value === true && at === -1) {
        report(doc, valueRange(doc, flag), `\`${flag}: true\` but the log has no \`## ${section}\` section: add it, or set the flag to false`);
      } else if (value !== true && at !== -1) {
        const why = value === undefined ? `there is no \`${flag}\` flag` : `\`${flag}\` is ${show(value)}`;
        report(doc, doc.sections[at]!.heading.range, `\`## ${section}\` is present but ${why}: set \`${flag}: true\` or remove the section`);
      }
    }
  },
});
