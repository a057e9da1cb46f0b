import { dialectsWhere } from '../../dialects/registry.ts';
import { defineRule } from '../rule.ts';

const SOURCE: Record<string, string> = {
  metadata: 'from metadata.json',
  layout: 'from its folder layout',
  option: 'as configured',
  none: '',
};

export const dialectUnsupported = defineRule({
  meta: {
    id: 'dialect-unsupported',
    description: 'Says when a memory tree is in a format memlint recognises but has no format rules for yet, or in no format it recognises.',
    severity: 'warning',
    family: 'generic',
    // The dialects without format rules (`rulesAvailable: false`); their files are all of kind other.
    dialects: dialectsWhere((d) => !d.rulesAvailable),
    kinds: ['other'],
  },
  checkWorkspace({ workspace, report }) {
    const { dialect, dialectSource, version } = workspace.root;
    if (dialect.rulesAvailable || workspace.root.loose || workspace.documents.length === 0) return;
    const anchor =
      workspace.documents.find((d) => /(^|\/)(Memory_Root|tracker|index|Memory_Bank)\.md$/.test(d.relPath)) ??
      [...workspace.documents].sort((a, b) => a.relPath.localeCompare(b.relPath))[0]!;
    const text =
      dialect.id === 'unknown'
        ? 'memlint cannot tell which memory format this tree uses (no metadata.json version, no known folder layout): only encoding and frontmatter syntax were checked; set the dialect (--dialect apm-v1 or apm-stage, or `dialect` in .memlintrc.json) to check more'
        : `this memory tree is ${dialect.label} (${dialect.versions}), recognised ${SOURCE[dialectSource]}${version ? ` "${version}"` : ''}; memlint has no format rules for it yet, so only encoding and frontmatter syntax were checked; if the tree is in fact in another format, set it (--dialect apm-v1, or \`dialect\` in .memlintrc.json), and \`memlint --explain-dialect\` shows the evidence for this one`;
    report(anchor, anchor.source.lineRange(1), text);
  },
});
