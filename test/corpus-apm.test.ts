// The APM corpus (../shared/corpus/apm, real trees from public repositories; skipped when absent):
// the dialect detected per repository matches what SOURCES.tsv says of it, every deviation it notes
// for a v1.0 file is reported, a file it says conforms gets no error, and a table of the findings
// per repository is kept in a snapshot so that changes show in review.
//
// The corpus holds a sample of each repository's files, not whole trees: the rules that need the
// rest of the tree (a log a summary lists, a task the tracker marks Done) are off here.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover, explainDialect, lintWorkspace, listMemoryRoot, loadPaths, type Diagnostic, type DialectId } from '@memlint/core';

const corpus = path.resolve(import.meta.dirname, '..', '..', 'shared', 'corpus', 'apm');
const SAMPLE_BLIND = ['memory-root-stage-logs', 'tracker-done-logged', 'tracker-worker-instance', 'handoff-stage-exists', 'handoff-chain-continuity', 'handoff-tasks-logged', 'stage-summary-present', 'memory-root-handoff-count'];

/** Deviations SOURCES.tsv notes in words, and the rule that checks each (for the v1.0 and Phase-era files). */
const NOTED: [RegExp, string][] = [
  [/\bno (?:YAML )?frontmatter\b/i, 'frontmatter-missing'],
  [/\bBROKEN FRONTMATTER\b/, 'frontmatter-syntax'],
  [/\bextra (?:frontmatter )?keys?\b/i, 'frontmatter-unknown-key'],
  [/\bnot in enum\b/i, 'frontmatter-schema'],
  [/\bH1\b/, 'title-format'],
  [/\b(?:required body sections missing|body sections replaced)\b/i, 'sections-required'],
  [/\bcontrol byte\b/i, 'file-encoding'],
  [/\bnon-pattern filename\b|\bdir (?:uses|named after)\b/i, 'handover-file-path'],
];

interface Row {
  repo: string;
  file: string;
  guess: string;
  notes: string;
}

function sources(): Row[] {
  const [, ...lines] = readFileSync(path.join(corpus, 'SOURCES.tsv'), 'utf8').trim().split('\n');
  return lines.map((line) => {
    const [repo, file, , , guess, notes] = line.split('\t') as [string, string, string, string, string, string];
    return { repo, file, guess, notes };
  });
}

/** The dialect an `apm_version_guess` names. */
function dialectOfGuess(guess: string): DialectId | null {
  if (/\bv1\.0/.test(guess)) return 'apm-v1';
  if (/\bv0\.[4-6]/.test(guess)) return 'apm-phase';
  if (/\bv0\.3/.test(guess)) return 'apm-v03';
  return null;
}

const folder = (repo: string) => path.join(corpus, repo.replace('/', '__'));

describe.skipIf(!existsSync(path.join(corpus, 'SOURCES.tsv')))('the APM corpus against SOURCES.tsv', () => {
  const rows = existsSync(path.join(corpus, 'SOURCES.tsv')) ? sources() : [];
  const repos = [...new Set(rows.map((r) => r.repo))];
  const config = { rules: Object.fromEntries(SAMPLE_BLIND.map((id) => [id, 'off' as const])) };
  const findings = new Map<string, Diagnostic[]>();
  const rootsOf = new Map<string, { root: string; dialect: DialectId }[]>();
  for (const repo of repos) {
    const dir = folder(repo);
    if (!existsSync(dir)) continue;
    const { roots } = loadPaths([dir]);
    rootsOf.set(repo, roots.map((r) => ({ root: path.relative(dir, r.workspace.root.dir), dialect: r.workspace.root.dialect.id })));
    for (const r of roots) for (const [doc, list] of lintWorkspace(r.workspace, config)) findings.set(path.relative(corpus, doc.path), list);
  }

  it('detects each repository\'s dialect as its metadata or SOURCES.tsv says', () => {
    const wrong: string[] = [];
    for (const repo of repos) {
      const want = dialectOfGuess(rows.find((r) => r.repo === repo)!.guess);
      const dir = folder(repo);
      for (const root of discover([dir]).roots.keys()) {
        const why = explainDialect(root, listMemoryRoot(root).relPaths);
        if (want && why.id !== want) wrong.push(`${path.relative(corpus, root)}: ${why.id} (${why.source}), SOURCES.tsv says ${want}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('reports every deviation noted for a v1.0 or Phase-era file, and no error in a file noted as conforming', () => {
    const missed: string[] = [];
    const falseErrors: string[] = [];
    for (const row of rows) {
      const dialect = dialectOfGuess(row.guess);
      if (dialect !== 'apm-v1' && dialect !== 'apm-phase') continue;
      const file = path.join(row.repo.replace('/', '__'), row.file);
      const list = findings.get(file) ?? [];
      if (/^(?:DEVIATES|BROKEN)/.test(row.notes) && list.length === 0) missed.push(`${file}: ${row.notes}`);
      // What a deviation's note names, the rule that checks it must report.
      for (const [pattern, ruleId] of NOTED) {
        if (/^(?:DEVIATES|BROKEN)/.test(row.notes) && pattern.test(row.notes) && !list.some((d) => d.ruleId === ruleId)) missed.push(`${file}: the note says "${pattern.exec(row.notes)![0]}" but ${ruleId} reports nothing`);
      }
      if (/^Conforms/.test(row.notes)) {
        // The notes judge the format; bytes a repository's own conversion damaged are file-encoding's, reported apart.
        const errors = list.filter((d) => d.severity === 'error' && d.ruleId !== 'file-encoding');
        if (errors.length > 0) falseErrors.push(`${file}: ${errors.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.ruleId} ${d.message}`).join('; ')}`);
      }
    }
    expect(missed, 'deviations not reported').toEqual([]);
    expect(falseErrors, 'errors in conforming files').toEqual([]);
  });

  it('keeps a table of the findings per repository', async () => {
    const lines = ['# memlint on ../shared/corpus/apm', '', `Rules off (the corpus is a sample of each tree): ${SAMPLE_BLIND.join(', ')}.`, ''];
    for (const repo of repos) {
      lines.push(`## ${repo}`, '');
      for (const r of rootsOf.get(repo) ?? []) lines.push(`- root \`${r.root || '.'}\`: ${r.dialect}`);
      const prefix = repo.replace('/', '__') + path.sep;
      const files = [...findings].filter(([f]) => f.startsWith(prefix)).sort((a, b) => a[0].localeCompare(b[0]));
      const counts = new Map<string, number>();
      for (const [, list] of files) for (const d of list) counts.set(`${d.ruleId} (${d.severity})`, (counts.get(`${d.ruleId} (${d.severity})`) ?? 0) + 1);
      lines.push(`- ${files.length} files, ${[...counts.values()].reduce((a, b) => a + b, 0)} findings`);
      for (const [rule, n] of [...counts].sort()) lines.push(`  - ${rule}: ${n}`);
      lines.push('');
    }
    await expect(lines.join('\n')).toMatchFileSnapshot('snapshots/corpus-apm.md');
  });
});
