// `memlint hook` as Claude Code runs it after a Write, Edit or MultiEdit: recorded PostToolUse
// payloads on stdin, the answer in the hook protocol (exit 0; a blocking decision with the findings
// on stdout, or nothing).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyExample, memlintBin, repoRoot, tempDir } from './support/run.ts';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'hook');

/** A recorded payload, its paths pointed at a tree. */
export function payload(name: string, tree: string): string {
  return readFileSync(path.join(fixtures, name), 'utf8').replaceAll('__TREE__', tree);
}

export function hook(input: string, cwd: string, args: string[] = []) {
  const started = performance.now();
  const r = spawnSync(process.execPath, [memlintBin, 'hook', ...args], { cwd, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - started };
}

describe('memlint hook', () => {
  it('blocks with the finding when the handoff just written has the wrong incoming', () => {
    const tree = copyExample('apm-v1', tempDir('hook-v1'));
    const file = path.join(tree, '.apm/memory/handoffs/backend-agent/handoff-02.log.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('incoming: 3', 'incoming: 4'));
    const r = hook(payload('write-handoff.json', tree), repoRoot);
    expect(r.status).toBe(0);
    const answer = JSON.parse(r.stdout) as { decision: string; reason: string };
    expect(answer.decision).toBe('block');
    expect(answer.reason).toContain('.apm/memory/handoffs/backend-agent/handoff-02.log.md:4:11');
    expect(answer.reason).toContain('handoff-instances');
    expect(answer.reason).toContain('memlint --fix');
  });

  it('with --cache gives the same answers, the finding following the file and its siblings as they change', () => {
    const tree = copyExample('apm-v1', tempDir('hook-cache'));
    const cache = path.join(tree, 'hook-cache.v8');
    const args = ['--cache', '--cache-location', cache];
    const file = path.join(tree, '.apm/memory/handoffs/backend-agent/handoff-02.log.md');
    const clean = readFileSync(file, 'utf8');
    const input = payload('write-handoff.json', tree);
    // Clean, twice (the second from the cache), then broken, then clean again: each answer as without the cache.
    expect(hook(input, repoRoot, args).stdout).toBe('');
    expect(hook(input, repoRoot, args).stdout).toBe('');
    writeFileSync(file, clean.replace('incoming: 3', 'incoming: 4'));
    const broken = hook(input, repoRoot, args);
    expect(broken.stdout).toBe(hook(input, repoRoot).stdout);
    expect((JSON.parse(broken.stdout) as { decision: string }).decision).toBe('block');
    writeFileSync(file, clean);
    expect(hook(input, repoRoot, args).stdout).toBe('');
    // A sibling breaks the chain the written handoff sits in: the cross-file finding is found with the cache too.
    const first = path.join(tree, '.apm/memory/handoffs/backend-agent/handoff-01.log.md');
    writeFileSync(first, readFileSync(first, 'utf8').replace(/^handoff: 1$/m, 'handoff: 2'));
    const withCache = hook(input, repoRoot, args);
    expect(withCache.stdout).toBe(hook(input, repoRoot).stdout);
    expect(withCache.stderr).toBe('');
  });

  it('blocks a dump that reports success (aops, outside any .apm/ tree)', () => {
    const tree = copyExample('aops', tempDir('hook-aops'));
    const r = hook(payload('multiedit-dump.json', tree), tree);
    expect(r.status).toBe(0);
    const answer = JSON.parse(r.stdout) as { decision: string; reason: string };
    expect(answer.decision).toBe('block');
    expect(answer.reason).toContain('reflection-dump-outcome');
  });

  it('passes a clean memory file in silence (a relative file_path, read from the payload cwd)', () => {
    const tree = copyExample('apm-v1', tempDir('hook-clean'));
    const r = hook(payload('edit-task-log.json', tree), repoRoot);
    expect(r).toMatchObject({ status: 0, stdout: '', stderr: '' });
  });

  it('passes files outside memory trees in silence: a source file, a plain README', () => {
    const tree = copyExample('apm-v1', tempDir('hook-outside'));
    mkdirSync(path.join(tree, 'docs'), { recursive: true });
    writeFileSync(path.join(tree, 'docs', 'README.md'), '# Spoke\n\nThe workshop\'s repair tracker.\n');
    for (const name of ['write-source.json', 'write-readme.json']) {
      const r = hook(payload(name, tree), tree);
      expect(r, name).toMatchObject({ status: 0, stdout: '', stderr: '' });
    }
  });

  it('never blocks the agent on bad input: a note on stderr and exit 0', () => {
    for (const input of ['', 'not json', '[1,2]', '{"tool_input": 3}']) {
      const r = hook(input, repoRoot);
      expect(r.status, input).toBe(0);
      expect(r.stdout, input).toBe('');
      expect(r.stderr, input).toMatch(/memlint hook: expected the hook's JSON/);
    }
    const gone = hook(JSON.stringify({ hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: '/nonexistent/x/.apm/memory/index.md' } }), repoRoot);
    expect(gone.status).toBe(0);
    expect(gone.stdout).toBe('');
  });
});

describe('the README\'s hook settings', () => {
  it('are valid JSON that run `memlint hook` after Write, Edit and MultiEdit, calling the binary itself', () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const block = /```json file=\.claude\/settings\.json\n([\s\S]*?)^```$/m.exec(readme);
    expect(block).not.toBeNull();
    const settings = JSON.parse(block![1]!) as { hooks: { PostToolUse: { matcher: string; hooks: { type: string; command: string }[] }[] } };
    const entry = settings.hooks.PostToolUse[0]!;
    expect(entry.matcher.split('|').sort()).toEqual(['Edit', 'MultiEdit', 'Write']);
    expect(entry.hooks[0]).toMatchObject({ type: 'command' });
    expect(entry.hooks[0]!.command).toMatch(/node_modules\/\.bin\/memlint hook( --cache)?$/);
    expect(entry.hooks[0]!.command).not.toMatch(/npx|pnpm/);
  });
});
