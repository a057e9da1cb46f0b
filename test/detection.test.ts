// How memlint decides each root's dialect, through `memlint --explain-dialect` and a lint run.
import { describe, expect, it } from 'vitest';
import { memlint, tempDir, writeTree } from './support/run.ts';

interface Explained {
  roots: { root: string; dialect: string; source: string; metadata: { key: string; version: string } | null }[];
  skipped: { dir: string; reason: string }[];
}
const explain = (dir: string): Explained => JSON.parse(memlint(['--explain-dialect', '.', '--report', 'json'], dir).stdout) as Explained;

const v1Log = '---\nstage: 1\ntask: 1\ntitle: Setup\nagent: backend-agent\nstatus: Success\nimportant_findings: false\ncompatibility_issues: false\n---\n\n# Task 1.1 - Setup\n';

describe('dialect detection', () => {
  it('a metadata.json whose only version is the project\'s own falls back to the layout', () => {
    const dir = tempDir('detect-version');
    writeTree(dir, { '.apm/metadata.json': '{"name":"shop","version":"0.4.1"}', '.apm/memory/stage-01/task-01-01.log.md': v1Log });
    expect(explain(dir).roots.map((r) => [r.root, r.dialect, r.source, r.metadata])).toEqual([['.apm', 'apm-v1', 'layout', null]]);
  });

  it('an archived session is a root of its own, with its own metadata (not the live tree\'s), else its layout', () => {
    const dir = tempDir('detect-archive');
    writeTree(dir, {
      '.apm/metadata.json': '{"releaseVersion":"v1.0.2"}',
      '.apm/tracker.md': '---\ntitle: x\n---\n\n# APM Tracker\n\n## Task Tracking\n',
      '.apm/archives/old/metadata.json': '{"releaseVersion":"v1.0.0-test-5"}',
      '.apm/archives/old/Memory/Memory_Root.md': '# X - APM Memory Root\n',
      '.apm/archives/bare/memory/stage-01/task-01-01.log.md': v1Log,
    });
    const roots = explain(dir).roots.map((r) => [r.root, r.dialect, r.source]);
    expect(roots).toEqual([
      ['.apm', 'apm-v1', 'metadata'],
      ['.apm/archives/bare', 'apm-v1', 'layout'],
      ['.apm/archives/old', 'apm-stage', 'metadata'],
    ]);
    // The archive's Memory/ folder belongs to it: its Memory Root is linted as that root's.
    const run = memlint(['.', '--report', 'json'], dir);
    const files = (JSON.parse(run.stdout) as { path: string }[]).map((f) => f.path).sort();
    expect(files).toContain('.apm/archives/old/Memory/Memory_Root.md');
  });

  it('the Agent Package Manager\'s .apm is not a memory tree: no APM findings', () => {
    const dir = tempDir('detect-apm-package');
    writeTree(dir, {
      'apm.yml': 'name: tools\nversion: 1.0.0\n',
      '.apm/instructions/python.instructions.md': '---\napplyTo: "**/*.py"\n---\n\n# Python\n',
      '.apm/skills/review/SKILL.md': '---\nname: review\n---\n\nReview code.\n',
    });
    const why = explain(dir);
    expect(why.roots).toEqual([]);
    expect(why.skipped.map((s) => s.dir)).toEqual(['.apm']);
    expect(why.skipped[0]!.reason).toMatch(/apm\.yml|Agent Package Manager/);
    const run = memlint(['.', '--report', 'json'], dir);
    expect(run.status, run.stderr).toBe(0);
    const messages = (JSON.parse(run.stdout) as { messages: { ruleId: string }[] }[]).flatMap((f) => f.messages.map((m) => m.ruleId));
    expect(messages.filter((r) => r === 'dialect-unsupported' || r.startsWith('frontmatter-missing'))).toEqual([]);
  });

  it('prints the evidence in words', () => {
    const dir = tempDir('detect-words');
    writeTree(dir, { '.apm/metadata.json': '{"templateVersion":"v0.5.3+templates.1"}', '.apm/Memory/Phase_01_Setup/Task_1_1_Setup.md': '# Task 1.1\n' });
    const run = memlint(['--explain-dialect', '.'], dir);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('dialect: apm-phase');
    expect(run.stdout).toContain('.apm/metadata.json has templateVersion "v0.5.3+templates.1"');
    expect(run.stdout).toMatch(/layout evidence .*apm-phase 2/);
  });
});
