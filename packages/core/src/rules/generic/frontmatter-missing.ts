import { dialectsWhere } from '../../dialects/registry.ts';
import { defineRule } from '../rule.ts';
import { aKind } from '../words.ts';

export const frontmatterMissing = defineRule({
  meta: {
    id: 'frontmatter-missing',
    description: 'Logs whose format has frontmatter start with a `---` YAML block.',
    severity: 'error',
    family: 'generic',
    // The dialects whose formats have frontmatter (`frontmatterRequired`), and the kinds they require it of.
    dialects: dialectsWhere((d) => d.frontmatterRequired.length > 0),
    kinds: ['task-log', 'worker-handoff-log', 'manager-handoff-log', 'delegation-log'],
  },
  checkDocument(doc, { workspace, report }) {
    if (doc.problem || doc.frontmatter || !workspace.root.dialect.frontmatterRequired.includes(doc.kind)) return;
    const schema = workspace.root.dialect.schemas[doc.kind];
    const keys = schema ? Object.keys(schema.shape).filter((k) => !schema.shape[k]!.safeParse(undefined).success) : [];
    const what = `${aKind(workspace.root.dialect, doc.kind)} starts with YAML frontmatter between \`---\` lines${keys.length ? ` (${keys.join(', ')})` : ''}`;
    const empty = doc.source.text.trim() === '';
    // A log the format creates empty ahead of time is a task not logged yet: the dialect's rule says so.
    if (empty && workspace.root.dialect.precreated?.includes(doc.kind)) return;
    report(doc, doc.source.lineRange(1), empty ? `file is empty: ${what}` : `no frontmatter: ${what}`);
  },
});
