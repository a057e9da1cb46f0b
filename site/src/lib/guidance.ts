import { getCollection } from 'astro:content';
import { readFileSync } from 'node:fs';

/** The guidance as plain markdown, for /llms.txt and /llms-full.txt. */
export async function guidance(full: boolean, site: URL | undefined): Promise<string> {
  const base = site ? site.href.replace(/\/$/, '') : '';
  const rules = (await getCollection('rules')).sort((a, b) => a.id.localeCompare(b.id));
  const formats = (await getCollection('docs')).filter((d) => d.id.startsWith('formats/'));
  const lines = [
    '# memlint',
    '',
    '> Guidance for agents that write APM memory logs and handoffs or aops session-end reflections: the formats, and one rule per check memlint makes, with valid and invalid examples.',
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
  for (const f of formats) body.push(`\n---\n\n# ${f.data.title}\n\n${f.body ?? ''}`);
  for (const r of rules) {
    const text = r.filePath ? readFileSync(r.filePath, 'utf8').replace(/^---[\s\S]*?\n---\n/, '') : (r.body ?? '');
    body.push(`\n---\n\n# ${r.id}\n\n${r.data.description}\n${text}`);
  }
  return body.join('\n');
}
