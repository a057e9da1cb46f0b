// --watch: the CLI as a long-running process, edited under, then stopped by a signal.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memlint, memlintBin, tempDir, writeTree } from './support/run.ts';
import { handoffLog, taskLog } from './support/stage-tree.ts';

const TASK = '.apm/Memory/Stage_01_Setup/Task_Log_01_01_Schema.md';
const TASK_2 = '.apm/Memory/Stage_01_Setup/Task_Log_01_02_Api.md';

interface Watching {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  /** Resolves once stdout (or stderr) holds the text, or fails after 15 s. */
  waitFor: (text: string | RegExp, stream?: 'stdout' | 'stderr') => Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function startWatch(dir: string, args: string[] = []): Watching {
  const { MEMLINT_DEBUG: _debug, ...env } = process.env;
  const child = spawn(process.execPath, [memlintBin, '.', '--watch', ...args], { cwd: dir, env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  children.push(child);
  let stdout = '';
  let stderr = '';
  const waiters: (() => void)[] = [];
  const poke = () => waiters.forEach((w) => w());
  child.stdout!.setEncoding('utf8').on('data', (s: string) => ((stdout += s), poke()));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => ((stderr += s), poke()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const waitFor = (text: string | RegExp, stream: 'stdout' | 'stderr' = 'stdout') =>
    new Promise<void>((resolve, reject) => {
      const has = () => {
        const s = stream === 'stdout' ? stdout : stderr;
        return typeof text === 'string' ? s.includes(text) : text.test(s);
      };
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${String(text)}\nstdout:\n${stdout}\nstderr:\n${stderr}`)), 15_000);
      const check = () => {
        if (!has()) return;
        clearTimeout(timer);
        resolve();
      };
      waiters.push(check);
      check();
    });
  return { child, out: () => stdout, err: () => stderr, waitFor, exited };
}

function tree(prefix: string): string {
  const dir = tempDir(prefix);
  writeTree(dir, {
    '.apm/metadata.json': '{ "releaseVersion": "v1.0.0-test-6" }\n',
    '.apm/Memory/Handoffs/Agent_Api_Handoffs/Agent_Api_Handoff_Log_1.md': handoffLog,
    [TASK]: taskLog({ id: '1.1', slug: 'Schema', failurePoint: 'Validation' }),
  });
  return dir;
}

describe('--watch', () => {
  it('reports, then prints only the findings that came and went on each change; SIGTERM ends it cleanly', async () => {
    const dir = tree('watch');
    const w = startWatch(dir);
    await w.waitFor('memlint: watching . for changes (Ctrl-C stops)', 'stderr');
    // The first report is a plain run's.
    expect(w.out()).toMatch(/5:16-5:26\s+error a Success task has `failure_point: null`, got "Validation"/);
    expect(w.out()).toContain('1 error, 0 warnings in 2 files');

    // The finding goes.
    const file = path.join(dir, TASK);
    writeFileSync(file, taskLog({ id: '1.1', slug: 'Schema' }));
    await w.waitFor(`${TASK} changed: 0 errors, 0 warnings in 2 files\n- ${TASK}:5:16  error  a Success task has \`failure_point: null\`, got "Validation"  task-log-status\n`);

    // Another comes, in a file added meanwhile; the unchanged file's finding (none) is not printed again.
    const printed = w.out().length;
    writeFileSync(path.join(dir, TASK_2), taskLog({ id: '1.2', slug: 'Api', failurePoint: 'Tests' }));
    await w.waitFor(`+ ${TASK_2}:5:16  error  a Success task has \`failure_point: null\`, got "Tests"  task-log-status\n`);
    const since = w.out().slice(printed);
    expect(since).toContain(`${TASK_2} changed: 1 error, 0 warnings in 3 files\n`);
    expect(since.match(/^[+-] /gm)).toHaveLength(1);

    // A finding that only moves (a line added above it) has not come or gone.
    const moved = w.out().length;
    writeFileSync(path.join(dir, TASK_2), readFileSync(path.join(dir, TASK_2), 'utf8').replace('---\nagent:', '---\n# a comment\nagent:'));
    await w.waitFor(/changed: no finding came or went; 1 error, 0 warnings in 3 files\n/);
    expect(w.out().slice(moved)).not.toMatch(/^[+-] /m);

    // A deleted file's findings go with it.
    rmSync(path.join(dir, TASK_2));
    await w.waitFor(`- ${TASK_2}:6:16  error  a Success task has \`failure_point: null\`, got "Tests"  task-log-status\n`);

    w.child.kill('SIGTERM');
    expect(await w.exited).toEqual({ code: 0, signal: null });
    expect(w.err()).toContain('memlint: stopped watching\n');
    expect(w.err()).not.toMatch(/^\s+at /m);
  });

  it('re-lints the cross-file rules a changed sibling feeds: adding handoff 2 clears handoff 3\'s chain finding', async () => {
    const dir = tree('watch-cross');
    const dirOf = '.apm/Memory/Handoffs/Agent_Api_Handoffs';
    const handoff = (n: number) =>
      handoffLog
        .replace('handoff_number: 1', `handoff_number: ${n}`)
        .replace('outgoing_worker: Agent_Api_Session_1', `outgoing_worker: Agent_Api_Session_${n}`)
        .replace('incoming_worker: Agent_Api_Session_2', `incoming_worker: Agent_Api_Session_${n + 1}`);
    const w = startWatch(dir);
    await w.waitFor('memlint: watching', 'stderr');
    writeFileSync(path.join(dir, dirOf, 'Agent_Api_Handoff_Log_3.md'), handoff(3));
    const jump = `${dirOf}/Agent_Api_Handoff_Log_3.md:5:17  error  Agent_Api's handoff chain jumps from handoff 1 to 3: handoff 2 is missing  handoff-chain-continuity`;
    await w.waitFor(`+ ${jump}\n`);
    writeFileSync(path.join(dir, dirOf, 'Agent_Api_Handoff_Log_2.md'), handoff(2));
    await w.waitFor(`- ${jump}\n`);
    // What the watcher holds is what a plain run finds now.
    expect(w.out()).toMatch(/Agent_Api_Handoff_Log_2\.md changed: 1 error, 0 warnings in 4 files\n/);
    expect(memlint(['.', '--report', 'json'], dir).stdout.match(/"fatal":true/g)).toHaveLength(1);
    w.child.kill('SIGINT');
    expect(await w.exited).toEqual({ code: 0, signal: null });
  });

  it.each([
    [['--fix'], '--watch and --fix do not go together: --fix would rewrite the files it watches'],
    [['--report', 'json'], '--watch prints the findings that come and go as text: --report json does not apply to it'],
    [['--fix-dry-run'], '--watch and --fix-dry-run do not go together'],
  ])('with %j is a usage error', (args, message) => {
    const run = memlint(['.', '--watch', ...args], tempDir('watch-usage'));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`memlint: ${message}`);
  });
});
