// What users' trees and shells do to memlint: files changed, linked, locked or oddly named while it
// runs; FIFOs and devices on the command line; a reader that goes away; names that need escaping.
// Every case runs the CLI as a process. Permission cases run as an ordinary user (nobody, when
// the tests run as root, whom permissions do not stop).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allRules } from '@memlint/core';
import { copyExample, memlint, memlintBin, memlintWith, repoRoot, tempDir, writeTree, type Run, type RunOptions } from './support/run.ts';
import type { JsonFile } from './support/stage-tree.ts';

const STACK_LINE = /^\s+at /m;
const preload = pathToFileURL(path.join(import.meta.dirname, 'support', 'preload.mjs')).href;

const MEMORY = '.apm/Memory';
const ROOT = `${MEMORY}/Memory_Root.md`;
const MANAGER = `${MEMORY}/Handoffs/Manager_Handoffs`;
const TASK_1_1 = `${MEMORY}/Stage_01_Project_Foundation/Task_Log_01_01_Database_Schema_and_Migrations.md`;
const TASK_2_1 = `${MEMORY}/Stage_02_Billing_Engine/Task_Log_02_01_Invoice_API_Endpoints.md`;

function expectClean(run: Run): void {
  expect(run.signal, run.stderr).toBeNull();
  expect(run.stderr).not.toMatch(STACK_LINE);
  expect(run.stderr).not.toMatch(/internal error/);
}

function report(run: Run): JsonFile[] {
  expect(() => JSON.parse(run.stdout), `stdout is not JSON:\n${run.stdout.slice(0, 400)}\nstderr: ${run.stderr}`).not.toThrow();
  return JSON.parse(run.stdout) as JsonFile[];
}

const rulesOf = (files: JsonFile[], file: string) => files.find((f) => f.path === file)?.messages.map((m) => m.ruleId) ?? [];

/** The clean example tree with Task 1.1's (and Task 2.1's) failure point made wrong: task-log-status, fixable. */
function fixableTree(prefix: string, both = false): string {
  const dir = copyExample('apm-stage', tempDir(prefix));
  for (const file of both ? [TASK_1_1, TASK_2_1] : [TASK_1_1]) {
    const p = path.join(dir, file);
    writeFileSync(p, readFileSync(p, 'utf8').replace('failure_point: null', 'failure_point: Execution'));
  }
  return dir;
}

function tempFilesBelow(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[]).filter((p) => /\.memlint-\d+\.tmp$/.test(p));
}

// ---------------------------------------------------------------------------------------------
// Running as a user that permissions stop.

const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;

function chownTree(dir: string, uid: number): void {
  chownSync(dir, uid, uid);
  for (const rel of readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[]) {
    const p = path.join(dir, rel);
    if (!lstatSync(p).isSymbolicLink()) chownSync(p, uid, uid);
  }
}

/** Runs memlint on a tree as an ordinary user: as nobody (the tree given to it) when the tests run as root. */
function asUser(dir: string, args: string[], options: RunOptions = {}): Run {
  if (!isRoot) return memlintWith(args, dir, options);
  chownTree(dir, NOBODY);
  return memlintWith(args, dir, { ...options, uid: NOBODY, gid: NOBODY });
}

// ---------------------------------------------------------------------------------------------

describe('--fix and files that change, or cannot be written', () => {
  it('a file appended to while --fix runs is left alone, said on stderr, and its finding stays reported', () => {
    const dir = fixableTree('fix-append');
    const before = readFileSync(path.join(dir, TASK_1_1), 'utf8');
    const appended = '\n- 18:02 the agent adds a line while memlint runs\n';
    const run = memlintWith(['--fix', '--report', 'json'], dir, { env: { NODE_OPTIONS: `--import=${preload}`, MEMLINT_TEST_APPEND: appended } });
    expectClean(run);
    expect(run.stderr).toContain(`memlint: not fixing ${TASK_1_1}: it changed while memlint ran`);
    expect(readFileSync(path.join(dir, TASK_1_1), 'utf8')).toBe(before + appended);
    expect(rulesOf(report(run), TASK_1_1)).toEqual(['task-log-status']);
    expect(run.status).toBe(1);
    expect(tempFilesBelow(dir)).toEqual([]);
  });

  it('keeps the file mode exactly (0664 and 0600 under umask 022)', () => {
    const dir = fixableTree('fix-mode', true);
    chmodSync(path.join(dir, TASK_1_1), 0o664);
    chmodSync(path.join(dir, TASK_2_1), 0o600);
    const run = memlintWith(['--fix'], dir, { env: { NODE_OPTIONS: `--import=${preload}`, MEMLINT_TEST_UMASK: '022' } });
    expectClean(run);
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(path.join(dir, TASK_1_1), 'utf8')).toContain('failure_point: null');
    expect(statSync(path.join(dir, TASK_1_1)).mode & 0o7777).toBe(0o664);
    expect(statSync(path.join(dir, TASK_2_1)).mode & 0o7777).toBe(0o600);
  });

  it('never rewrites a read-only file: says so, and the finding stays', () => {
    const dir = fixableTree('fix-readonly');
    const file = path.join(dir, TASK_1_1);
    const before = readFileSync(file);
    chmodSync(file, 0o444);
    const run = asUser(dir, ['--fix', '--report', 'json']);
    expectClean(run);
    expect(run.stderr).toContain(`memlint: not fixing ${TASK_1_1}: the file is read-only`);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(statSync(file).mode & 0o7777).toBe(0o444);
    expect(rulesOf(report(run), TASK_1_1)).toEqual(['task-log-status']);
    expect(run.status).toBe(1);
  });

  it('a directory it cannot write to: that file is reported clearly, the other file is fixed, exit 2', () => {
    const dir = fixableTree('fix-rodir', true);
    const before = readFileSync(path.join(dir, TASK_1_1));
    const run = (() => {
      if (isRoot) chownTree(dir, NOBODY);
      chmodSync(path.dirname(path.join(dir, TASK_1_1)), 0o555);
      try {
        return asUser(dir, ['--fix', '--report', 'json']);
      } finally {
        chmodSync(path.dirname(path.join(dir, TASK_1_1)), 0o755);
      }
    })();
    expectClean(run);
    expect(run.stderr).toMatch(new RegExp(`^memlint: cannot fix ${TASK_1_1.replace(/\./g, '\\.')}: .*\\(permission denied\\)$`, 'm'));
    expect(readFileSync(path.join(dir, TASK_1_1)).equals(before)).toBe(true);
    expect(readFileSync(path.join(dir, TASK_2_1), 'utf8')).toContain('failure_point: null');
    const files = report(run);
    expect(rulesOf(files, TASK_1_1)).toEqual(['task-log-status']);
    expect(rulesOf(files, TASK_2_1)).toEqual([]);
    expect(run.status).toBe(2);
    expect(tempFilesBelow(dir)).toEqual([]);
  });

  it('fixing a linked file rewrites its target and keeps the link', () => {
    const dir = fixableTree('fix-link');
    const link = path.join(dir, TASK_1_1);
    const target = path.join(dir, 'elsewhere', 'task-1-1.md');
    mkdirSync(path.dirname(target));
    renameSync(link, target);
    symlinkSync(target, link);
    const run = memlint(['--fix'], dir);
    expectClean(run);
    expect(run.status, run.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toContain('failure_point: null');
  });

  it('removes temporary files that killed --fix runs left, and nothing else', () => {
    const dir = copyExample('apm-stage', tempDir('fix-stale'));
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const name = (file: string, pid: number | string) => path.join(path.dirname(file), `.${path.basename(file)}.memlint-${pid}.tmp`);
    const stale = [name(ROOT, dead), name(TASK_1_1, dead), name('notes.md', dead)];
    const kept = [
      name(TASK_2_1, process.pid), // its process is alive
      name(ROOT, 'x1'), // not a pid
      name(`${MEMORY}/notes.txt`, dead), // memlint never fixes a .txt file
      `${MEMORY}/.Memory_Root.md.memlint-${dead}.tmp.bak`,
    ];
    writeTree(dir, Object.fromEntries([...stale, ...kept].map((p) => [p, 'half-written'])));
    writeTree(dir, { 'notes.md': '# Notes\n' });
    const run = memlint(['--report', 'json'], dir);
    expectClean(run);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('memlint: removed 3 temporary files left by an interrupted memlint --fix');
    for (const p of stale) expect(existsSync(path.join(dir, p)), p).toBe(false);
    for (const p of kept) expect(existsSync(path.join(dir, p)), p).toBe(true);
    expect(report(run).some((f) => f.path.includes('.tmp'))).toBe(false);
  });
});

describe('files and directories that cannot be read', () => {
  it('a linked Manager handoff log is read and counted: no finding, and --fix leaves the count alone', () => {
    const dir = copyExample('apm-stage', tempDir('link-handoff'));
    const log = path.join(dir, MANAGER, 'Manager_Handoff_Log_2.md');
    renameSync(log, path.join(dir, 'kept-elsewhere.md'));
    symlinkSync('../../../../kept-elsewhere.md', log);
    const root = readFileSync(path.join(dir, ROOT));
    const run = memlint(['--fix', '--report', 'json'], dir);
    expectClean(run);
    expect(run.status, run.stdout).toBe(0);
    expect(readFileSync(path.join(dir, ROOT)).equals(root)).toBe(true);
  });

  it('an unreadable handoff log is file-unreadable at 1:1 and still counted; --fix leaves the Memory Root alone', () => {
    const dir = copyExample('apm-stage', tempDir('unreadable-handoff'));
    const log = `${MANAGER}/Manager_Handoff_Log_2.md`;
    chmodSync(path.join(dir, log), 0o000);
    const root = readFileSync(path.join(dir, ROOT));
    const run = asUser(dir, ['--fix', '--report', 'json']);
    expectClean(run);
    const files = report(run);
    const message = files.find((f) => f.path === log)!.messages[0]!;
    expect([message.ruleId, message.line, message.column, message.fatal]).toEqual(['file-unreadable', 1, 1, true]);
    expect(message.reason).toMatch(/permission denied/);
    expect(rulesOf(files, ROOT)).toEqual([]); // two logs on disk, two counted
    expect(readFileSync(path.join(dir, ROOT)).equals(root)).toBe(true);
    expect(run.status).toBe(1);
  });

  it('with a wrong count and an unreadable handoff log, the count is reported but not "fixed"', () => {
    const dir = copyExample('apm-stage', tempDir('unreadable-count'));
    writeFileSync(path.join(dir, ROOT), readFileSync(path.join(dir, ROOT), 'utf8').replace('**Manager Handoffs:** 2', '**Manager Handoffs:** 3'));
    chmodSync(path.join(dir, MANAGER, 'Manager_Handoff_Log_1.md'), 0o000);
    const root = readFileSync(path.join(dir, ROOT));
    const run = asUser(dir, ['--fix', '--report', 'json']);
    expectClean(run);
    expect(rulesOf(report(run), ROOT)).toEqual(['memory-root-handoff-count']);
    expect(run.stderr).toContain(`memlint: not fixing ${ROOT} (memory-root-handoff-count): ${MANAGER}/Manager_Handoff_Log_1.md could not be read`);
    expect(readFileSync(path.join(dir, ROOT)).equals(root)).toBe(true);
  });

  it('unreadable directories inside .apm and outside are named on stderr; everything else is linted; exit 2', () => {
    const dir = copyExample('apm-stage', tempDir('unreadable-dirs'));
    writeTree(dir, {
      [`${MEMORY}/private/notes.md`]: '# Private\n',
      'docs/locked/reflection.md': '# Locked\n',
      'docs/open.md': '## Framework Reflection\n\n**Outcome**: SUCCESS\n',
    });
    chmodSync(path.join(dir, MEMORY, 'private'), 0o000);
    chmodSync(path.join(dir, 'docs', 'locked'), 0o000);
    const run = asUser(dir, ['--report', 'json', '--fix']);
    expectClean(run);
    expect(run.stderr).toContain(`memlint: ${MEMORY}/private: cannot read the directory (permission denied): nothing below it was checked`);
    expect(run.stderr).toContain('memlint: docs/locked: cannot read the directory (permission denied): nothing below it was checked');
    const files = report(run);
    expect(files.map((f) => f.path)).toContain(TASK_1_1);
    expect(files.map((f) => f.path)).toContain('docs/open.md');
    expect(run.status).toBe(2);
  });

  it('a file name that is not valid UTF-8 is reported as such, and the rest is linted', () => {
    const dir = copyExample('apm-stage', tempDir('bad-name'));
    writeFileSync(Buffer.from(`${dir}/${MEMORY}/caf\xe9.md`, 'latin1'), '# Caf\n');
    writeFileSync(Buffer.from(`${dir}/notes-\xff.md`, 'latin1'), '# Notes\n');
    const run = memlint(['--report', 'json'], dir);
    expectClean(run);
    const files = report(run);
    const bad = files.filter((f) => f.messages.some((m) => m.ruleId === 'file-unreadable'));
    expect(bad.map((f) => f.messages[0]!.reason)).toEqual([
      expect.stringContaining('the file name is not valid UTF-8 ("caf\\xE9.md")'),
      expect.stringContaining('the file name is not valid UTF-8 ("notes-\\xFF.md")'),
    ]);
    expect(files.filter((f) => f.messages.length === 0).length).toBeGreaterThanOrEqual(20);
    expect(run.status).toBe(1);
  });

  it('linked directories: a loop ends, a link out of the tree is not followed (and said), each file is read once', () => {
    const dir = copyExample('apm-stage', tempDir('link-dirs'));
    const outside = tempDir('link-dirs-outside');
    writeTree(outside, { 'stray.md': '# Stray\n' });
    symlinkSync('..', path.join(dir, MEMORY, 'Stage_01_Project_Foundation', 'up'));
    symlinkSync(outside, path.join(dir, MEMORY, 'external'));
    const run = memlint(['--report', 'json'], dir, 20_000);
    expectClean(run);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain(`memlint: ${MEMORY}/external: not following this symbolic link: it leads outside`);
    const paths = report(run).map((f) => f.path);
    expect(paths.filter((p) => p.endsWith('Task_Log_01_01_Database_Schema_and_Migrations.md'))).toHaveLength(1);
    expect(paths.some((p) => p.includes('stray'))).toBe(false);
  });

  it('a broken link and a link loop with markdown names are file-unreadable, in words', () => {
    const dir = copyExample('apm-stage', tempDir('link-broken'));
    symlinkSync('nowhere.md', path.join(dir, MEMORY, 'broken.md'));
    symlinkSync('loop-b.md', path.join(dir, MEMORY, 'loop-a.md'));
    symlinkSync('loop-a.md', path.join(dir, MEMORY, 'loop-b.md'));
    const files = report(memlint(['--report', 'json'], dir));
    const reason = (name: string) => files.find((f) => f.path === `${MEMORY}/${name}`)?.messages.map((m) => `${m.ruleId}: ${m.reason}`);
    expect(reason('broken.md')).toEqual([expect.stringMatching(/^file-unreadable: .*a broken symbolic link \(to nowhere\.md/)]);
    expect(reason('loop-a.md')).toEqual([expect.stringMatching(/^file-unreadable: .*too many levels of symbolic links/)]);
  });
});

describe('what is named on the command line', () => {
  it('a FIFO named on the command line is refused at once (exit 2), never opened', () => {
    const dir = tempDir('fifo');
    spawnSync('mkfifo', [path.join(dir, 'pipe.md')]);
    const run = memlint(['pipe.md'], dir, 10_000);
    expectClean(run);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('memlint: pipe.md: a FIFO: memlint reads regular files and directories only\n');
  });

  it('/dev/zero is refused (exit 2), not read', () => {
    const run = memlint(['/dev/zero'], repoRoot, 10_000);
    expectClean(run);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('memlint: /dev/zero: a character device: memlint reads regular files and directories only\n');
  });

  it('a FIFO with a markdown name inside a tree is file-unreadable, and the run does not wait on it', () => {
    const dir = copyExample('apm-stage', tempDir('fifo-tree'));
    spawnSync('mkfifo', [path.join(dir, MEMORY, 'pipe.md')]);
    const run = memlint(['--report', 'json'], dir, 10_000);
    expectClean(run);
    expect(rulesOf(report(run), `${MEMORY}/pipe.md`)).toEqual(['file-unreadable']);
    expect(run.status).toBe(1);
  });

  it('a FIFO as .apm/metadata.json or as the configuration file never blocks the run', () => {
    const dir = copyExample('apm-stage', tempDir('fifo-meta'));
    spawnSync('rm', [path.join(dir, '.apm', 'metadata.json')]);
    spawnSync('mkfifo', [path.join(dir, '.apm', 'metadata.json'), path.join(dir, '.memlintrc.json')]);
    const named = memlint(['-c', '.memlintrc.json'], dir, 10_000);
    expectClean(named);
    expect(named.status).toBe(2);
    expect(named.stderr).toMatch(/^memlint: cannot read the configuration .*\.memlintrc\.json: a FIFO, not a regular file$/m);
    const found = memlint(['--no-config', '--report', 'json'], dir, 10_000);
    expectClean(found);
    expect(found.status, found.stderr).toBe(0); // the layout says Stage era all the same
  });

  it('a file whose size on disk says 0 is read no further than --max-file-size', () => {
    // /proc/self/pagemap is a regular file of size 0 that reads on for gigabytes (8 bytes per page
    // of address space). The limit + 1 is a multiple of 8, as reads of that file must be.
    const run = memlint(['/proc/self/pagemap', '--max-file-size', String(1024 * 1024 - 1), '--report', 'json'], repoRoot, 10_000);
    expectClean(run);
    const [file] = report(run);
    expect(file!.messages.map((m) => m.ruleId)).toEqual(['file-size']);
    expect(run.status).toBe(0);
  });

  it('says what went wrong: permission denied, too many levels of symbolic links, not a directory', () => {
    const dir = tempDir('errno');
    writeTree(dir, { 'locked/log.md': '# Log\n', 'plain.md': '# Plain\n' });
    symlinkSync('loop-b.md', path.join(dir, 'loop-a.md'));
    symlinkSync('loop-a.md', path.join(dir, 'loop-b.md'));
    const denied = (() => {
      if (isRoot) chownTree(dir, NOBODY);
      chmodSync(path.join(dir, 'locked'), 0o000);
      return asUser(dir, ['locked/log.md']);
    })();
    expect(denied.stderr).toBe('memlint: locked/log.md: permission denied\n');
    expect(memlint(['loop-a.md'], dir).stderr).toBe('memlint: loop-a.md: too many levels of symbolic links\n');
    expect(memlint(['plain.md/log.md'], dir).stderr).toBe('memlint: plain.md/log.md: not a directory\n');
    expect(memlint(['missing.md'], dir).stderr).toBe('memlint: missing.md: no such file or directory\n');
  });
});

describe('output', () => {
  it('a reader that goes away (memlint … | head) ends memlint quietly, with the exit status of the findings', async () => {
    const child = spawn(process.execPath, [memlintBin, 'examples/apm-stage-defects', '--report', 'json'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader is gone before memlint writes
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [status, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (code, sig) => resolve([code, sig])));
    expect(stderr).toBe('');
    expect(signal).toBeNull();
    expect(status).toBe(1);
  });

  it('SARIF uris are percent-encoded relative references: space, control, bidi, #, %, non-ASCII', () => {
    const dir = tempDir('sarif-uri');
    const names = ['a b.md', 'ctl\u0001.md', 'bidi\u202Egpj.md', 'hash#1.md', 'pct%41.md', 'café.md', 'sub dir/ü.md'];
    writeTree(dir, Object.fromEntries(names.map((n) => [n, '\0binary\n'])));
    const run = memlint(['--report', 'sarif'], dir);
    expectClean(run);
    const log = JSON.parse(run.stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    const uris = log.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri).sort();
    expect(uris).toEqual(names.map((n) => n.split('/').map(encodeURIComponent).join('/')).sort());
    for (const uri of uris) {
      expect(uri).toMatch(/^[A-Za-z0-9\-._~!*'()%/]+$/);
      expect(decodeURIComponent(new URL(uri, 'file:///base/').pathname.slice('/base/'.length))).toBe(names.find((n) => uri === n.split('/').map(encodeURIComponent).join('/')));
    }
    expect(uris).toContain('bidi%E2%80%AEgpj.md');
    expect(uris).toContain('pct%2541.md');
  });

  it.each([
    [['--config', 'x.json', '--no-config'], /--config and --no-config contradict each other/],
    [['--no-color', '--color'], /--no-color and --color contradict each other/],
    [['--report', 'json', '--report', 'sarif'], /--report given more than once \("json", "sarif"\)/],
    [['--dialect', 'apm-stage', '--dialect', 'aops'], /--dialect given more than once/],
  ])('conflicting options %j are a usage error (exit 2)', (args, message) => {
    const run = memlint(['examples/apm-stage', ...args]);
    expectClean(run);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('`memlint rules --report json` prints the rules as JSON', () => {
    const run = memlint(['rules', '--report', 'json']);
    expect(run.status, run.stderr).toBe(0);
    const rules = JSON.parse(run.stdout) as { id: string; severity: string; description: string; fixable: boolean; crossFile: boolean; url: string }[];
    expect(rules.map((r) => r.id)).toEqual(allRules.map((r) => r.meta.id));
    const count = rules.find((r) => r.id === 'memory-root-handoff-count')!;
    expect(count).toMatchObject({ severity: 'error', fixable: true, crossFile: true, url: expect.stringMatching(/memory-root-handoff-count\.md$/) });
    expect(rules.find((r) => r.id === 'file-unreadable')).toMatchObject({ severity: 'error', fixable: false });
  });

  it.each([['sarif'], ['github']])('`memlint rules --report %s` is a usage error', (format) => {
    const run = memlint(['rules', '--report', format]);
    expectClean(run);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/memlint rules: --report must be pretty or json/);
  });
});
