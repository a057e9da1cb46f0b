import { frontmatterData } from '../../document.ts';
import { h2Index } from '../../markdown/sections.ts';
import { show, valueRange } from '../locate.ts';
import { defineRule } from '../rule.ts';
import { dialectsWhere } from '../../dialects/registry.ts';

export const conditionalSectionsRule = defineRule({
  meta: {
    id: 'conditional-sections',
    description: 'A task log has its Compatibility Concerns, Important Findings (and Stage-era Delegation) sections exactly when their flags are true.',
    severity: 'error',
    family: 'apm',
    dialects: dialectsWhere((d) => Boolean(d.conditionalSections?.length)),
    kinds: ['task-log'],
  },
  checkDocument(doc, { workspace, report, settings }) {
    const conditional = workspace.root.dialect.conditionalSections?.filter((c) => c.kind === doc.kind) ?? [];
    if (conditional.length === 0 || !doc.frontmatter || doc.frontmatter.errors.length > 0) return;
    const data = frontmatterData(doc);
    for (const { flag, section } of conditional) {
      const value = data[flag];
      const at = h2Index(doc, section, settings.sectionAliases);
      if (value === true && at === -1) {
        report(doc, valueRange(doc, flag), `\`${flag}: true\` but the log has no \`## ${section}\` section: add it, or set the flag to false`);
      } else if (value !== true && at !== -1) {
        const why = value === undefined ? `there is no \`${flag}\` flag` : `\`${flag}\` is ${show(value)}`;
        report(doc, doc.sections[at]!.heading.range, `\`## ${section}\` is present but ${why}: set \`${flag}: true\` or remove the section`);
      }
    }
  },
});
