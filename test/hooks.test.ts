// The hook setups the README documents ("In hooks and CI"), each tried for real: a throwaway git
// repository in the system's temp directory, the recipe's text taken from the README, the hook
// installed the way its tool installs it, and real `git commit`s that the hook must let through or
// block. The hooks call the memlint binary, here `<repo>/node_modules/.bin/memlint`: a shim that
// runs this checkout's `packages/cli/bin/memlint.js` with the project's Node 22.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memlintBin, repoRoot, writeTree } from './support/run.ts';

const projectNode = path.join(repoRoot, 'node_modules', '.bin', 'node');
const projectBin = (name: string) => path.join(repoRoot, 'node_modules', '.bin', name);

// ---------------------------------------------------------------------------------------------
// The recipes, as the README states them.

const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
const sectionStart = readme.indexOf('\n### In hooks and CI\n');
const bodyStart = readme.indexOf('\n', sectionStart + 1);
const sectionEnd = readme.slice(bodyStart).search(/^#{2,3} /m);
const section = sectionStart < 0 ? '' : readme.slice(sectionStart, sectionEnd < 0 ? undefined : bodyStart + sectionEnd);

/** The README's code blocks marked `file=<name>` in the hooks section, in order. */
function recipes(file: string): string[] {
  const out: string[] = [];
  for (const m of section.matchAll(/^```\w+ file=(\S+)\n([\s\S]*?)^```$/gm)) if (m[1] === file) out.push(m[2]!);
  return out;
}
function recipe(file: string, index = 0): string {
  const found = recipes(file)[index];
  if (found === undefined) throw new Error(`README, "In hooks and CI": no code block #${index + 1} for ${file}`);
  return found;
}

// ---------------------------------------------------------------------------------------------
// The memory tree: an APM v1.0 tree, clean, with api-agent at instance 2 after its first handoff.

const TASK_LOG = '.apm/memory/stage-01/task-01-01.log.md';
const TRACKER = '.apm/tracker.md';
const HANDOFF_1 = '.apm/memory/handoffs/api-agent/handoff-01.log.md';
const HANDOFF_2 = '.apm/memory/handoffs/api-agent/handoff-02.log.md';

const handoff = (n: number, incoming: number) => `---
agent: api-agent
outgoing: ${n}
incoming: ${incoming}
handoff: ${n}
stage: 1
---

# Api Agent Handoff ${n} (Api Agent ${n} → Api Agent ${n + 1})

## Summary

This instance worked on Stage 1.

## Working Context

- Migrations with goose; queries with sqlc.

## Working Notes

- Run \`sqlc generate\` from \`api/\`.
`;

const tracker = (instance: number) => `---
title: Hooks
---

# APM Tracker

## Task Tracking

**Stage 1:**

| Task | Status | Agent | Branch |
|------|--------|-------|--------|
| 1.1 | Done | api-agent | feat/schema |
| 1.2 | Active | api-agent | feat/sessions |

## Worker Tracking

| Agent | Instance | Notes |
|-------|----------|-------|
| api-agent | ${instance} | Handoff after Task 1.1 |
`;

const taskLog = `---
stage: 1
task: 1
title: Schema
agent: api-agent
status: Success
important_findings: false
compatibility_issues: false
---

# Task 1.1 - Schema

## Summary

Wrote the migrations.

## Details

- Five tables.

## Output

- \`api/migrations/\`

## Validation

- \`make migrate\`: 5 applied.

## Issues

None
`;

const TREE: Record<string, string> = {
  '.apm/metadata.json': '{ "source": "official", "releaseVersion": "v1.0.2", "cliVersion": "1.0.2" }\n',
  '.apm/plan.md': `---
title: Hooks
---

# APM Plan

## Workers

| Worker | Domain | Description |
|---|---|---|
| Api Agent | HTTP API | The API and its database. |

## Stages

| Stage | Name | Tasks | Agents |
|---|---|---|---|
| 1 | Foundation | 2 | Api |

## Stage 1: Foundation

### Task 1.1: Schema - Api Agent

* **Objective:** Create the schema.
* **Output:** Migrations.
* **Validation:** They run up and down.
* **Guidance:** Keep it small.
* **Dependencies:** None

1. Write the migrations.

### Task 1.2: Sessions - Api Agent

* **Objective:** Sign-in.
* **Output:** Session endpoints.
* **Validation:** Handler tests.
* **Guidance:** Cookie sessions.
* **Dependencies:** Task 1.1

1. Write the handlers.
`,
  [TRACKER]: tracker(2),
  '.apm/memory/index.md': `---
title: Hooks
---

# APM Memory Index

## Memory Notes

- **Migrations first.**

## Stage Summaries
`,
  [TASK_LOG]: taskLog,
  [HANDOFF_1]: handoff(1, 2),
  '.gitignore': 'node_modules/\n',
};

// ---------------------------------------------------------------------------------------------
// Throwaway repositories.

const bases: string[] = [];
afterAll(() => {
  for (const base of bases) rmSync(base, { recursive: true, force: true });
});

interface Result {
  status: number | null;
  stdout: string;
  /** stdout and stderr together: git passes a hook's output on to either. */
  output: string;
}

function result(r: SpawnSyncReturns<string>): Result {
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, output: `${r.stdout}${r.stderr}` };
}

const outsidePath = (process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin')
  .split(path.delimiter)
  .filter((entry) => entry !== '' && path.isAbsolute(entry) && !`${path.resolve(entry)}/`.startsWith(`${repoRoot}/`));

const shim = `#!/bin/sh\nexec '${projectNode}' '${memlintBin}' "$@"\n`;

class Repo {
  readonly base: string;
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;

  /** `globalBin`: memlint on PATH too, as after `npm install -g memlint`. */
  constructor(name: string, options: { globalBin?: boolean } = {}) {
    // Outside this checkout, with git's search for a repository stopped at the base: nothing done
    // here (`lefthook install`, `pre-commit install`, `husky`) can reach memlint's own repository.
    this.base = realpathSync(mkdtempSync(path.join(os.tmpdir(), `memlint-hooks-${name}-`)));
    bases.push(this.base);
    this.dir = path.join(this.base, 'repo');
    const bin = path.join(this.base, 'bin');
    mkdirSync(path.join(this.base, 'home'), { recursive: true });
    // `node` on PATH is the project's Node 22, as on a developer's machine (#!/usr/bin/env node).
    writeTree(bin, { node: `#!/bin/sh\nexec '${projectNode}' "$@"\n` });
    chmodSync(path.join(bin, 'node'), 0o755);
    const globalBin = path.join(this.base, 'global-bin');
    if (options.globalBin) {
      writeTree(globalBin, { memlint: shim });
      chmodSync(path.join(globalBin, 'memlint'), 0o755);
    }

    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
      // Nothing from the calling environment steers git or the hook tools (a test run from inside a
      // hook of memlint's own repository would pass GIT_DIR and GIT_INDEX_FILE on).
      if (/^(GIT_|HUSKY|LEFTHOOK|PRE_COMMIT|LINT_STAGED|MEMLINT_|npm_|NODE_OPTIONS$|NODE_PATH$)/i.test(key)) continue;
      env[key] = value;
    }
    this.env = {
      ...env,
      HOME: path.join(this.base, 'home'),
      XDG_CONFIG_HOME: path.join(this.base, 'home', '.config'),
      XDG_CACHE_HOME: path.join(this.base, 'home', '.cache'),
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CEILING_DIRECTORIES: this.base,
      // Without this checkout's node_modules/.bin (pnpm puts it on PATH for the tests): the hooks
      // must find memlint where the recipe says, not here.
      PATH: [...(options.globalBin ? [globalBin] : []), bin, ...outsidePath].join(path.delimiter),
      NO_COLOR: '1',
      FORCE_COLOR: '0',
      PRE_COMMIT_COLOR: 'never',
    };

    writeTree(this.dir, TREE);
    writeTree(this.dir, { 'node_modules/.bin/memlint': shim });
    chmodSync(path.join(this.dir, 'node_modules/.bin/memlint'), 0o755);
    this.git('init', '-q', '-b', 'main');
    this.git('config', 'user.name', 'Hook Test');
    this.git('config', 'user.email', 'hooks@memlint.invalid');
    this.git('config', 'commit.gpgsign', 'false');
    expect(this.git('rev-parse', '--show-toplevel').trim()).toBe(this.dir);
  }

  run(command: string, args: string[], cwd = this.dir): Result {
    return result(spawnSync(command, args, { cwd, env: this.env, encoding: 'utf8', timeout: 60_000 }));
  }

  git(...args: string[]): string {
    return this.gitIn(this.dir, ...args);
  }

  gitIn(cwd: string, ...args: string[]): string {
    const r = this.run('git', args, cwd);
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.output}`);
    return r.stdout;
  }

  write(files: Record<string, string>): void {
    writeTree(this.dir, files);
  }

  read(rel: string): string {
    return readFileSync(path.join(this.dir, rel), 'utf8');
  }

  /** Files the test commits without any hook, before the hook is installed. */
  initialCommit(): void {
    this.git('add', '-A');
    this.git('commit', '-q', '--no-verify', '-m', 'A clean memory tree');
  }

  head(): string {
    return this.git('rev-parse', 'HEAD').trim();
  }

  commit(message: string): Result {
    return this.run('git', ['commit', '-m', message]);
  }

  /** The memlint binary the hooks run, as a user runs it. */
  memlint(...args: string[]): Result {
    return this.run(path.join(this.dir, 'node_modules/.bin/memlint'), args);
  }

  /** Makes a tool from this checkout's node_modules available in the repository's node_modules. */
  link(from: string, to: string): void {
    mkdirSync(path.dirname(path.join(this.dir, to)), { recursive: true });
    symlinkSync(from, path.join(this.dir, to));
  }
}

/** A commit the hook must let through: HEAD moves. */
function expectCommitted(repo: Repo, message: string): void {
  const before = repo.head();
  const r = repo.commit(message);
  expect(r.status, r.output).toBe(0);
  expect(repo.head()).not.toBe(before);
}

/** A commit the hook must block: non-zero, HEAD unchanged, memlint's report in the output. */
function expectBlocked(repo: Repo, message: string): string {
  const before = repo.head();
  const r = repo.commit(message);
  expect(r.status, r.output).not.toBe(0);
  expect(repo.head()).toBe(before);
  expect(r.output).toMatch(/✖ \d+ errors?/);
  return r.output;
}

/**
 * The story every hook setup goes through. api-agent hands over a second time, and its new handoff
 * says `incoming: 4` where instance 2 hands over to 3: a fixable `handoff-instances` finding.
 */
function story(repo: Repo): void {
  // 1. Only the named files are reported: an unrelated clean file in the same tree passes while the
  //    broken handoff sits beside it (and makes the unstaged tracker wrong too).
  repo.write({ [HANDOFF_2]: handoff(2, 4), [TASK_LOG]: `${taskLog}\nIndexes follow in Task 1.2.\n` });
  repo.git('add', TASK_LOG);
  expectCommitted(repo, 'Task 1.1: a note');

  // 2. The trees are read: the staged tracker is checked against the handoff nobody staged.
  repo.write({ [TRACKER]: tracker(3) });
  repo.git('add', TRACKER);
  let output = expectBlocked(repo, 'Tracker: api-agent is instance 3');
  expect(output).toContain('tracker-worker-instance');
  expect(output).toContain('its last handoff (memory/handoffs/api-agent/handoff-02.log.md) hands over to instance 4');
  expect(output).not.toContain('handoff-instances'); // the handoff is not named

  // 3. The broken handoff itself.
  repo.git('add', HANDOFF_2);
  output = expectBlocked(repo, 'Api Agent handoff 2');
  expect(output).toContain('handoff-02.log.md');
  expect(output).toContain('`incoming: 4` must be `outgoing` + 1 = 3');
  expect(output).toContain('handoff-instances');

  // 4. `memlint --fix`, the files added again, the same commit goes through.
  const fix = repo.memlint('--fix', HANDOFF_2, TRACKER);
  expect(fix.status, fix.output).toBe(0);
  expect(fix.output).toContain('fixed 1 problem in 1 file');
  expect(repo.read(HANDOFF_2)).toBe(handoff(2, 3));
  repo.git('add', HANDOFF_2, TRACKER);
  expectCommitted(repo, 'Api Agent handoff 2');
  expect(repo.git('show', `HEAD:${HANDOFF_2}`)).toBe(handoff(2, 3));
  expect(repo.git('status', '--porcelain', '--', '.apm')).toBe('');
}

/** A broken handoff staged with the tracker, for the recipes that fix in the hook. */
function stageBrokenHandoff(repo: Repo): void {
  repo.write({ [HANDOFF_2]: handoff(2, 4), [TRACKER]: tracker(3) });
  repo.git('add', HANDOFF_2, TRACKER);
}

function expectFixedInCommit(repo: Repo): void {
  expect(repo.git('show', `HEAD:${HANDOFF_2}`)).toBe(handoff(2, 3));
  expect(repo.git('show', `HEAD:${TRACKER}`)).toBe(tracker(3));
  expect(repo.git('status', '--porcelain', '--', '.apm')).toBe('');
}

// ---------------------------------------------------------------------------------------------
// The setups.

function plainHook(): Repo {
  const repo = new Repo('plain');
  repo.initialCommit();
  const hook = path.join(repo.dir, '.git/hooks/pre-commit');
  writeFileSync(hook, recipe('.git/hooks/pre-commit'));
  chmodSync(hook, 0o755);
  return repo;
}

function huskyLintStaged(config = recipe('.lintstagedrc.json')): Repo {
  const repo = new Repo('husky');
  repo.write({ 'package.json': '{ "name": "hooked", "private": true }\n', '.lintstagedrc.json': config });
  repo.link(realpathSync(path.join(repoRoot, 'node_modules/lint-staged/bin/lint-staged.js')), 'node_modules/.bin/lint-staged');
  // `husky init`, as `npx husky init` runs it: core.hooksPath=.husky/_, a `prepare` script, .husky/pre-commit.
  const init = repo.run(projectBin('husky'), ['init']);
  expect(init.status, init.output).toBe(0);
  expect(repo.git('config', 'core.hooksPath').trim()).toBe('.husky/_');
  repo.write({ '.husky/pre-commit': recipe('.husky/pre-commit') });
  repo.initialCommit();
  return repo;
}

function lefthook(config = recipe('lefthook.yml')): Repo {
  const repo = new Repo('lefthook');
  repo.write({ 'lefthook.yml': config });
  repo.link(realpathSync(path.join(repoRoot, 'node_modules/lefthook')), 'node_modules/lefthook');
  repo.initialCommit();
  // In the throwaway repository only (its own .git, below GIT_CEILING_DIRECTORIES).
  const install = repo.run(projectBin('lefthook'), ['install']);
  expect(install.status, install.output).toBe(0);
  expect(readFileSync(path.join(repo.dir, '.git/hooks/pre-commit'), 'utf8')).toContain('call_lefthook run "pre-commit"');
  return repo;
}

const preCommitVersion = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
const preCommitMissing =
  preCommitVersion.error || preCommitVersion.status !== 0
    ? 'pre-commit (the Python tool) is not on PATH: install Debian\'s `pre-commit` package (.ci/run does)'
    : undefined;

function preCommitInstall(repo: Repo): void {
  repo.initialCommit(); // pre-commit refuses a configuration that is not committed or staged
  const install = repo.run('pre-commit', ['install']);
  expect(install.status, install.output).toBe(0);
}

/** `repo: local`, the README's recipe for a project with memlint as a devDependency. */
function preCommitLocal(config = recipe('.pre-commit-config.yaml', 1)): Repo {
  const repo = new Repo('pre-commit-local');
  repo.write({ '.pre-commit-config.yaml': config });
  preCommitInstall(repo);
  return repo;
}

/**
 * This repository's `.pre-commit-hooks.yaml`, used as a remote hook repository is: pre-commit clones
 * a repository holding the file (as it is in this checkout) at a commit. Its hook runs the memlint on
 * PATH, here a global-like install in `<base>/global-bin`.
 */
function preCommitHooksFile(): Repo {
  const repo = new Repo('pre-commit-remote', { globalBin: true });
  const hooksRepo = path.join(repo.base, 'memlint-hooks');
  writeTree(hooksRepo, { '.pre-commit-hooks.yaml': readFileSync(path.join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8') });
  const git = (...args: string[]) => repo.gitIn(hooksRepo, ...args);
  git('init', '-q', '-b', 'main');
  git('add', '.pre-commit-hooks.yaml');
  git('-c', 'user.name=Hook Test', '-c', 'user.email=hooks@memlint.invalid', 'commit', '-q', '-m', 'hooks');
  const rev = git('rev-parse', 'HEAD').trim();

  const config = recipe('.pre-commit-config.yaml', 0)
    .replace(/^(\s*- repo: ).*$/m, `$1${hooksRepo}`)
    .replace(/^(\s*rev: ).*$/m, `$1${rev}`);
  expect(config).toContain(`repo: ${hooksRepo}`);
  expect(config).toContain(`rev: ${rev}`);
  repo.write({ '.pre-commit-config.yaml': config });
  preCommitInstall(repo);
  return repo;
}

describe('hook setups from the README, each committing for real in a throwaway git repository', { timeout: 60_000 }, () => {
  it('the README gives every recipe, and none goes through npx or pnpm', () => {
    const blocks = [
      recipe('.git/hooks/pre-commit'),
      recipe('.husky/pre-commit'),
      recipe('.lintstagedrc.json'),
      recipe('lefthook.yml'),
      recipe('.pre-commit-config.yaml', 0),
      recipe('.pre-commit-config.yaml', 1),
    ];
    for (const block of blocks) expect(block).not.toMatch(/\b(npx|pnpm|yarn|npm)\b/);
    expect(recipe('lefthook.yml')).toContain('{staged_files}');
    const hooks = readFileSync(path.join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8');
    expect(hooks).toMatch(/^- id: memlint$/m);
    expect(hooks).toMatch(/^ {2}entry: memlint$/m);
    expect(hooks).toMatch(/^ {2}types: \[markdown\]$/m);
    expect(hooks).toMatch(/^ {2}pass_filenames: true$/m);
  });

  it('a plain .git/hooks/pre-commit script', () => {
    story(plainHook());
  });

  it('the plain hook runs nothing when no markdown file is staged', () => {
    const repo = plainHook();
    repo.write({ 'notes.txt': 'not markdown\n', [HANDOFF_2]: handoff(2, 4) });
    repo.git('add', 'notes.txt');
    expectCommitted(repo, 'A text file');
  });

  it('husky + lint-staged', () => {
    story(huskyLintStaged());
  });

  it('husky + lint-staged with memlint --fix: the fix goes into the commit', () => {
    const config = recipe('.lintstagedrc.json').replace('"memlint"', '"memlint --fix"');
    expect(config).toContain('memlint --fix');
    expect(section).toContain(`\`${config.trim()}\``);
    const repo = huskyLintStaged(config);
    stageBrokenHandoff(repo);
    expectCommitted(repo, 'Api Agent handoff 2');
    expectFixedInCommit(repo);
  });

  it('lefthook', () => {
    story(lefthook());
  });

  it('lefthook with memlint --fix and stage_fixed: the fix goes into the commit', () => {
    const run = 'run: node_modules/.bin/memlint --fix {staged_files}';
    expect(section).toContain(`\`${run}\``);
    expect(section).toContain('`stage_fixed: true`');
    const config = recipe('lefthook.yml').replace(/^( *)run: .*$/m, `$1${run}\n$1stage_fixed: true`);
    const repo = lefthook(config);
    stageBrokenHandoff(repo);
    expectCommitted(repo, 'Api Agent handoff 2');
    expectFixedInCommit(repo);
  });

  it('pre-commit, repo: local with node_modules/.bin/memlint', (ctx) => {
    if (preCommitMissing) ctx.skip(preCommitMissing);
    story(preCommitLocal());
  });

  it('pre-commit with args: [--fix]: blocked once with the file fixed, then committed', (ctx) => {
    if (preCommitMissing) ctx.skip(preCommitMissing);
    expect(section).toContain('`args: [--fix]`');
    const config = recipe('.pre-commit-config.yaml', 1).replace(/^( *)entry: .*$/m, '$&\n$1args: [--fix]');
    expect(config).toContain('args: [--fix]');
    const repo = preCommitLocal(config);
    stageBrokenHandoff(repo);
    const before = repo.head();
    const r = repo.commit('Api Agent handoff 2');
    expect(r.status, r.output).not.toBe(0);
    expect(repo.head()).toBe(before);
    expect(r.output).toContain('files were modified by this hook');
    expect(repo.read(HANDOFF_2)).toBe(handoff(2, 3));
    repo.git('add', HANDOFF_2, TRACKER);
    expectCommitted(repo, 'Api Agent handoff 2');
    expectFixedInCommit(repo);
  });

  it("pre-commit with this repository's .pre-commit-hooks.yaml at a commit (memlint on PATH)", (ctx) => {
    if (preCommitMissing) ctx.skip(preCommitMissing);
    story(preCommitHooksFile());
  });
});
