import { getCollection } from './collections';
import { ruleTextForReaders } from '@memlint/astro';

/**
 * Where links in llms.txt point: the configured site URL (astro.config's `site`, from MEMLINT_SITE_URL),
 * or nothing (links from the site's root) when that is only the local default: the file is read elsewhere.
 */
export function linkBase(site: URL | undefined): string {
  if (!site || /^(?:localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0)$/i.test(site.hostname)) return '';
  return site.href.replace(/\/$/, '');
}

const day = (iso: string) => iso.slice(0, 10);

/** Each tree's state as markdown: current stage, progress, each agent's instance and latest handoff, open errors. */
export async function projectState(base: string): Promise<string[]> {
  const trees = (await getCollection('trees')).map((t) => t.data).sort((a, b) => a.id.localeCompare(b.id));
  const lines = ['## Project state', '', 'Where each memory tree stands, as memlint read and checked it when this site was built.', ''];
  for (const t of trees) {
    const d = t.dashboard;
    lines.push(`### ${d.project.name} (${t.label}, ${t.dialect})`, '');
    const stage = d.currentStage;
    lines.push(
      stage
        ? `- Current ${t.stageWord.toLowerCase()}: [${stage.label}: ${stage.name}](${base}/stages/${stage.id}/) (${stage.reason})`
        : `- Current ${t.stageWord.toLowerCase()}: none`,
    );
    if (d.tasks > 0) lines.push(`- Tasks: ${d.tasks}, ${d.progress.filter((p) => p.count > 0).map((p) => `${p.count} ${p.label}`).join(', ')}`);
    for (const a of d.agents) {
      const h = a.latestHandoff;
      lines.push(`- ${a.name}: session ${a.instance} now; latest ${h ? `[${h.label}](${base}${h.page})${h.timestamp ? ` (${h.timestamp})` : ''}` : 'handoff: none yet'}`);
    }
    if (d.lastActivity) lines.push(`- Last activity: ${day(d.lastActivity.date)} (${d.lastActivity.source === 'git' ? 'last commit' : 'latest date stated'})`);
    const errors = d.findings.worst.filter((f) => f.severity === 'error');
    lines.push(`- Open errors: ${d.findings.errors}${d.findings.errors ? '' : ' (warnings: ' + d.findings.warnings + ')'}`);
    for (const f of errors) lines.push(`  - [${f.file}:${f.line}](${base}${f.page}) ${f.ruleId}: ${f.message}`);
    for (const l of d.limits) lines.push(`- Not modelled: ${l}`);
    lines.push('');
  }
  return lines;
}

/** The guidance as plain markdown, for /llms.txt and /llms-full.txt. */
export async function guidance(full: boolean, site: URL | undefined): Promise<string> {
  const base = linkBase(site);
  const rules = (await getCollection('rules')).sort((a, b) => a.id.localeCompare(b.id));
  const docs = await getCollection('docs');
  const formats = docs.filter((d) => d.id.startsWith('formats/'));
  const guides = docs.filter((d) => d.id.startsWith('guide/'));
  const lines = [
    '# memlint',
    '',
    '> Guidance for agents that write APM memory logs and handoffs or aops session-end reflections: the formats, and one rule per check memlint makes, with valid and invalid examples.',
    '',
    ...(await projectState(base)),
    '## Tools for agents',
    '',
    `- [memlint for agents](${base}/guide/agents/): how to use memlint while writing a memory file.`,
    '- `memlint mcp` is an MCP server (stdio) with the tools `lint_file` (a path and, optionally, the content you are about to write: findings with line, column, rule and message, and the fixed text when a fix is certain), `lint_tree` (a summary and the findings of a tree), `next_log` (a path, the kind `handoff`, `task-log` or `reflection`, your agent or the task: the path and skeleton of the next log, numbers from the chain and ids from the plan) and `explain_rule` (a rule id: its page).',
    '- `memlint new <kind>` writes that skeleton from a shell (never over an existing log) and prints its path.',
    '- `memlint hook --cache` is a Claude Code `PostToolUse` hook (matcher `Write|Edit|MultiEdit`): after a memory file is written it answers with a blocking decision naming the findings when the file has errors, and says nothing otherwise.',
    '',
    '## Formats',
    '',
    ...formats.map((f) => `- [${f.data.title}](${base}/${f.id}/): ${f.data.description ?? ''}`),
    '',
    '## Rules',
    '',
    ...rules.map((r) => `- [${r.id}](${base}/rules/${r.id}/) (${r.data.severity}): ${r.data.description}`),
    '',
    '## Optional',
    '',
    `- [Everything in one file](${base}/llms-full.txt)`,
    `- [JSON Schemas](${base}/schemas/)`,
    '',
  ];
  if (!full) return lines.join('\n');
  const body = [lines.join('\n')];
  for (const f of [...guides, ...formats]) body.push(`\n---\n\n# ${f.data.title}\n\n${f.body ?? ''}`);
  for (const r of rules) {
    // The page as a reader needs it: its examples' test attributes (where findings are expected) left out.
    // The body as the loader kept it (its path is the project root's, not the working directory's).
    const text = ruleTextForReaders(r.body ?? '', r.id);
    body.push(`\n---\n\n# ${r.id}\n\n${r.data.description}\n${text}`);
  }
  return body.join('\n');
}
