import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildHistory, gitDates, parseGitLog, ruleTextForReaders, type History } from '@memlint/astro';
import { writeTree } from '../../../test/support/run.ts';

const repo = path.resolve(import.meta.dirname, '..', '..', '..');
const examples = path.join(repo, 'examples');

const made: string[] = [];
/** A directory under the system's temporary folder: outside this repository, so outside git. */
function scratch(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'memlint-dashboard-'));
  made.push(dir);
  return dir;
}
function writeFiles(dir: string, files: Record<string, string>): string {
  writeTree(dir, files);
  return dir;
}
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const tree = (h: History, label: string) => {
  const t = h.trees.find((x) => x.label === label);
  if (!t) throw new Error(`no tree ${label}: ${h.trees.map((x) => x.label).join(', ')}`);
  return t;
};

let gitAvailable = true;
try {
  execFileSync('git', ['--version'], { stdio: 'ignore' });
} catch {
  gitAvailable = false;
}

/** Runs git in `dir` as a fixed author, the commit dates set to `date`. */
const git = (dir: string, args: string[], date?: string) =>
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd: dir,
    stdio: 'pipe',
    env: { ...process.env, ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}) },
  });

describe('the dashboard of each example tree', () => {
  const history = buildHistory(examples, { git: false });

  it.each([
    ['apm-stage/.apm', 'Harbor', 'Stage 3'],
    ['apm-stage-defects/.apm', 'Harbor', 'Stage 3'],
    ['apm-v1/.apm', 'Spoke', 'Stage 4'],
    ['apm-v1-defects/.apm', 'Spoke', 'Stage 4'],
    ['apm-v05/.apm', 'Kilnroom', 'Phase 3'],
    ['apm-v05-defects/.apm', 'Kilnroom', 'Phase 2'],
    ['apm-v03/.apm', 'Fernhouse', 'Phase 2'],
  ])('%s: the project is %s, at %s', (label, project, stage) => {
    const d = tree(history, label).dashboard;
    expect(d.project.name).toBe(project);
    expect(d.project.file).not.toBeNull();
    expect(d.currentStage?.label).toBe(stage);
    expect(d.currentStage?.reason).toMatch(/follows|first|every/);
    expect(d.limits).toEqual([]);
  });

  it('names the project from the plan\'s title or heading, never `.apm`', () => {
    for (const t of history.trees) expect(t.dashboard.project.name).not.toMatch(/^\.apm$|APM|Implementation Plan/);
    expect(tree(history, 'apm-v1/.apm').dashboard.project).toMatchObject({ from: 'title', file: 'apm-v1/.apm/plan.md' });
    expect(tree(history, 'apm-stage/.apm').dashboard.project).toMatchObject({ from: 'heading', file: 'apm-stage/.apm/Implementation_Plan.md' });
  });

  it('counts every task of a tree in one progress segment', () => {
    const d = tree(history, 'apm-stage/.apm').dashboard;
    expect(Object.fromEntries(d.progress.map((p) => [p.key, p.count]))).toEqual({ done: 9, partial: 1, blocked: 1, failed: 0, other: 0, 'not-logged': 2 });
    for (const t of history.trees) expect(t.dashboard.progress.reduce((n, p) => n + p.count, 0)).toBe(t.dashboard.tasks);
    const v1 = tree(history, 'apm-v1/.apm').dashboard;
    expect(v1.progress.find((p) => p.key === 'failed')!.count).toBe(1);
  });

  it('gives each agent its current session and latest handoff, linked', () => {
    const agents = tree(history, 'apm-stage/.apm').dashboard.agents;
    const backend = agents.find((a) => a.name === 'Agent_Backend')!;
    expect(backend.instance).toBe(4);
    expect(backend.latestHandoff).toMatchObject({ label: 'handoff 3', page: '/handoffs/apm-stage-apm-agent-backend-handoff-3/', timestamp: '2026-03-04T15:10:00Z' });
    const phase = tree(history, 'apm-v05/.apm').dashboard.agents.find((a) => a.role === 'manager')!;
    expect(phase.latestHandoff?.label).toBe('handover 2');
  });

  it('lists the worst findings first, linked to their files', () => {
    const d = tree(history, 'apm-stage-defects/.apm').dashboard;
    expect(d.findings.errors).toBe(7);
    expect(d.findings.worst).toHaveLength(5);
    for (const f of d.findings.worst) expect(history.documents.some((doc) => doc.url === f.page && doc.file === f.file)).toBe(true);
    const v05 = tree(history, 'apm-v05-defects/.apm').dashboard.findings;
    expect(v05.worst.map((f) => f.severity)).toEqual([...v05.worst.map((f) => f.severity)].sort());
  });

  it('without git: no commit dates, the latest stated date as the last activity', () => {
    expect(history.documents.every((d) => d.firstCommit === null && d.lastCommit === null)).toBe(true);
    const d = tree(history, 'apm-stage/.apm').dashboard;
    expect(d.git).toBe(false);
    expect(d.landed).toEqual([]);
    expect(d.lastActivity).toMatchObject({ source: 'stated', date: '2026-03-04T15:10:00Z' });
  });

  it('says in words what it cannot model: files outside .apm/', () => {
    const loose = tree(history, 'files outside .apm/').dashboard;
    expect(loose.project).toMatchObject({ name: 'fieldkit', from: 'project' });
    expect(loose.currentStage).toBeNull();
    expect(loose.limits.join(' ')).toMatch(/outside any \.apm\/ tree.*no plan.*Shown: their findings and 4 reflections/);
  });
});

describe('trees the site cannot fully model', () => {
  it('a tree in no format memlint knows', () => {
    const dir = writeFiles(scratch(), { 'project/.apm/notes.md': '# Notes\n\nSome notes.\n' });
    const h = buildHistory(dir, { git: false });
    const d = h.trees[0]!.dashboard;
    expect(h.trees[0]!.dialectId).toBe('unknown');
    expect(d.project).toMatchObject({ name: 'project', from: 'folder' });
    expect(d.currentStage).toBeNull();
    expect(d.limits.join(' ')).toMatch(/could not tell which format/);
  });

  it('a plan that declares no tasks', () => {
    const dir = scratch();
    cpSync(path.join(examples, 'apm-v05'), dir, { recursive: true });
    writeFileSync(path.join(dir, '.apm', 'Implementation_Plan.md'), '# Kilnroom – Implementation Plan\n\nThe plan is still to be written.\n');
    const d = buildHistory(dir, { git: false }).trees[0]!.dashboard;
    expect(d.project.name).toBe('Kilnroom');
    expect(d.limits.join(' ')).toMatch(/declares no task memlint can read: progress counts the tasks that have a log/);
    expect(d.progress.find((p) => p.key === 'not-logged')!.count).toBe(0);
  });
});

describe.skipIf(!gitAvailable)('dates from git', () => {
  const dir = scratch();
  cpSync(path.join(examples, 'apm-stage'), dir, { recursive: true });
  const backend = '.apm/Memory/Handoffs/Agent_Backend_Handoffs/Agent_Backend_Handoff_Log_3.md';
  const stage3 = '.apm/Memory/Stage_03_Payments_and_Reporting';
  const late = readdirSync(path.join(dir, stage3)).map((f) => `${stage3}/${f}`);
  git(dir, ['init', '-q']);
  // Everything but stage 3's logs and the backend's third handoff in January, those in February, one edit in March.
  git(dir, ['add', '.']);
  git(dir, ['reset', '-q', '--', ...late, backend]);
  git(dir, ['commit', '-qm', 'the first two stages'], '2026-01-10T09:00:00+01:00');
  git(dir, ['add', ...late.slice(0, 1)]);
  git(dir, ['commit', '-qm', 'task 3.1'], '2026-02-01T10:00:00Z');
  git(dir, ['add', '.']);
  git(dir, ['commit', '-qm', 'the rest of stage 3'], '2026-02-14T12:00:00Z');
  writeFileSync(path.join(dir, backend), `${readFileSync(path.join(dir, backend), 'utf8')}\n`);
  git(dir, ['commit', '-qam', 'an edit'], '2026-03-02T08:30:00Z');
  // A file on disk that git does not know: no dates.
  writeFileSync(path.join(dir, '.apm', 'Memory', 'draft.md'), '# Draft\n');

  it('parses one git log pass into first and last commits per file', () => {
    const dates = gitDates(dir)!;
    expect(dates.get(backend)).toEqual({ first: '2026-02-14T12:00:00.000Z', last: '2026-03-02T08:30:00.000Z' });
    expect(dates.get('.apm/Implementation_Plan.md')).toEqual({ first: '2026-01-10T08:00:00.000Z', last: '2026-01-10T08:00:00.000Z' });
    expect(dates.has('.apm/Memory/draft.md')).toBe(false);
  });

  it('puts each file\'s dates on its document and the dashboard', () => {
    const h = buildHistory(dir);
    const doc = (file: string) => h.documents.find((d) => d.file === file)!;
    expect(doc(backend)).toMatchObject({ firstCommit: '2026-02-14T12:00:00.000Z', lastCommit: '2026-03-02T08:30:00.000Z' });
    expect(doc('.apm/Memory/draft.md')).toMatchObject({ firstCommit: null, lastCommit: null });
    const d = h.trees[0]!.dashboard;
    expect(d.git).toBe(true);
    expect(d.lastActivity).toMatchObject({ source: 'git', date: '2026-03-02T08:30:00.000Z', file: backend });
    expect(d.agents.find((a) => a.name === 'Agent_Backend')!.latestHandoff?.firstCommit).toBe('2026-02-14T12:00:00.000Z');
    const stage = d.landed.find((s) => s.label.startsWith('Stage 3'))!;
    // Task 3.1's log landed first of the stage's task logs; the handoffs written in the stage are listed too.
    expect(stage.entries.find((e) => e.label.startsWith('Task'))).toMatchObject({ label: 'Task 3.1', firstCommit: '2026-02-01T10:00:00.000Z' });
    expect(stage.entries.some((e) => e.label === 'Agent_Backend handoff 3')).toBe(true);
    expect(stage.entries.map((e) => e.firstCommit)).toEqual([...stage.entries.map((e) => e.firstCommit)].sort());
    expect(d.landed.find((s) => s.label.startsWith('Stage 1'))!.entries.every((e) => e.firstCommit.startsWith('2026-01-10'))).toBe(true);
  });

  it('skips git cleanly when the executable is missing, or when turned off', () => {
    expect(gitDates(dir, { command: path.join(dir, 'no-such-git') })).toBeNull();
    for (const h of [buildHistory(dir, { git: path.join(dir, 'no-such-git') }), buildHistory(dir, { git: false })]) {
      expect(h.documents.every((d) => d.firstCommit === null)).toBe(true);
      expect(h.trees[0]!.dashboard.git).toBe(false);
    }
  });

  it('skips git cleanly outside a repository', () => {
    const outside = writeFiles(scratch(), { 'a.md': '# A\n' });
    expect(gitDates(outside)).toBeNull();
  });
});

describe('parseGitLog', () => {
  it('takes the oldest and newest date of each name, whatever the offsets', () => {
    const log = '\x1e2026-03-01T00:30:00+02:00\0\nx.md\0y z.md\0\x1e2026-02-28T23:00:00Z\0\nx.md\0';
    expect(Object.fromEntries(parseGitLog(log))).toEqual({
      'x.md': { first: '2026-02-28T22:30:00.000Z', last: '2026-02-28T23:00:00.000Z' },
      'y z.md': { first: '2026-02-28T22:30:00.000Z', last: '2026-02-28T22:30:00.000Z' },
    });
  });
});

describe('ruleTextForReaders', () => {
  it('turns the test attributes of every rule page\'s examples into captions, and keeps the rest', () => {
    const dir = path.join(repo, 'rules');
    for (const name of readdirSync(dir)) {
      const text = readFileSync(path.join(dir, name), 'utf8');
      const out = ruleTextForReaders(text, name);
      expect(out, name).not.toMatch(/^\s*(?:`{3,}|~{3,})\S*[ \t]+\S/m);
      expect(out, name).not.toMatch(/\bexpect="|\bmessage="/);
      expect(out.replace(/^.*(?:File `|after `memlint --fix`|After `memlint --fix`).*\n\n/gm, '').replace(/^(\s*(?:`{3,}|~{3,})\S*).*$/gm, '$1'), name).toBe(
        text.replace(/^(\s*(?:`{3,}|~{3,})\S*).*$/gm, '$1'),
      );
    }
    const out = ruleTextForReaders('## Invalid\n\n### x\n\n```markdown file=Memory/A.md expect="3:1" message="bad"\n---\n---\n```\n\n```markdown fixed\nok\n```\n');
    expect(out).toBe('## Invalid\n\n### x\n\nFile `Memory/A.md`:\n\n```markdown\n---\n---\n```\n\nAfter `memlint --fix`:\n\n```markdown\nok\n```\n');
  });
});
