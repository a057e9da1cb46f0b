// SIGKILL in the middle of `memlint --fix` on a 2,000-file tree, 20 times: every file must be its
// old version or its fixed one (never half-written, never gone), and the next run must clean up
// the temporary file the killed run left. Slow (a couple of minutes): MEMLINT_LONG=1 runs it.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memlint, memlintBin, repoRoot, tempDir } from './support/run.ts';

const FILES = 2000;
const TRIALS = 20;
const TEMP = /\.memlint-\d+\.tmp$/;

/** xorshift32, seeded: the same delays on every run. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function filesBelow(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[]).filter((p) => statSync(path.join(dir, p)).isFile()).sort();
}

/**
 * A Stage-era tree of 2,000 markdown files (bench/generate.js) with fixable findings in most of
 * them: every Success task log names a failure point (task-log-status), every worker handoff
 * hands over to the wrong session (handoff-session-names), and the Memory Root miscounts the
 * Manager handoffs (memory-root-handoff-count).
 */
function fixableTree(dir: string): void {
  const made = spawnSync(process.execPath, [path.join(repoRoot, 'bench', 'generate.js'), dir, '--files', String(FILES), '--seed', '7'], { encoding: 'utf8' });
  expect(made.status, made.stderr).toBe(0);
  for (const rel of filesBelow(dir).filter((p) => p.endsWith('.md'))) {
    const file = path.join(dir, rel);
    const text = readFileSync(file, 'utf8');
    let broken = text;
    if (/\/Task_Log_[^/]+$/.test(rel) && /^status: Success$/m.test(text)) broken = text.replace(/^failure_point: null$/m, 'failure_point: Execution');
    else if (/\/Agent_\w+_Handoff_Log_\d+\.md$/.test(rel)) broken = text.replace(/^(incoming_worker: \w+_Session_)(\d+)$/m, (_, name: string, n: string) => `${name}${Number(n) + 7}`);
    else if (rel.endsWith('Memory_Root.md')) broken = text.replace(/^\*\*Manager Handoffs:\*\* (\d+)$/m, (_, n: string) => `**Manager Handoffs:** ${Number(n) + 1}`);
    if (broken !== text) writeFileSync(file, broken);
  }
}

function contents(dir: string, files: readonly string[]): Map<string, Buffer> {
  return new Map(files.map((f) => [f, readFileSync(path.join(dir, f))]));
}

function startFix(dir: string) {
  const child = spawn(process.execPath, [memlintBin, dir, '--fix', '--report', 'json'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return { child, exited };
}

describe.skipIf(!process.env.MEMLINT_LONG)('SIGKILL during memlint --fix', () => {
  it(`on a ${FILES}-file tree, ${TRIALS} times: every file old or fixed, and no temporary file after the next run`, async () => {
    const tree = tempDir('kill-tree');
    fixableTree(tree);
    const files = filesBelow(tree);
    expect(files.filter((f) => f.endsWith('.md'))).toHaveLength(FILES);
    const old = contents(tree, files);

    // The fixed version of every file, from a full run on a copy.
    const reference = tempDir('kill-reference');
    cpSync(tree, reference, { recursive: true });
    const full = memlint([reference, '--fix', '--report', 'json'], repoRoot, 120_000);
    expect(full.signal, full.stderr).toBeNull();
    const fixed = contents(reference, files);
    const changing = files.filter((f) => !old.get(f)!.equals(fixed.get(f)!));
    expect(changing.length).toBeGreaterThan(FILES * 0.8);
    rmSync(reference, { recursive: true, force: true });

    // When the writing happens: from the first file replaced to the last, timed on another copy by
    // watching a sample of the files (few enough that watching does not slow the run down).
    const timing = tempDir('kill-timing');
    cpSync(tree, timing, { recursive: true });
    const sample = changing.filter((_, i) => i % Math.ceil(changing.length / 40) === 0 || i === changing.length - 1);
    const inodes = new Map(sample.map((f) => [f, statSync(path.join(timing, f)).ino]));
    const started = performance.now();
    const run = startFix(timing);
    let first = 0;
    let last = 0;
    let done = false;
    void run.exited.then(() => (done = true));
    while (!done && last === 0) {
      const replaced = sample.filter((f) => statSync(path.join(timing, f)).ino !== inodes.get(f)).length;
      const now = performance.now() - started;
      if (replaced > 0 && first === 0) first = now;
      if (replaced === sample.length) last = now;
      await sleep(3);
    }
    await run.exited;
    expect(first, 'no file was seen being replaced').toBeGreaterThan(0);
    last ||= performance.now() - started;
    rmSync(timing, { recursive: true, force: true });

    const next = random(20_260_301);
    let compared = 0;
    let lost = 0;
    let midWrite = 0;
    let tempsAfterKill = 0;
    let tempsAfterNextRun = 0;
    const lines: string[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const dir = tempDir(`kill-${trial}`);
      cpSync(tree, dir, { recursive: true });
      const delay = first + next() * (last - first);
      const { child, exited } = startFix(dir);
      await sleep(delay);
      child.kill('SIGKILL');
      await exited;

      const now = filesBelow(dir);
      const temps = now.filter((f) => TEMP.test(f));
      tempsAfterKill += temps.length;
      expect(now.filter((f) => !TEMP.test(f)), `trial ${trial}: files appeared or went missing`).toEqual(files);
      let asOld = 0;
      let asFixed = 0;
      for (const f of files) {
        const bytes = readFileSync(path.join(dir, f));
        compared += 1;
        if (bytes.equals(fixed.get(f)!)) asFixed += 1;
        else if (bytes.equals(old.get(f)!)) asOld += 1;
        else {
          lost += 1;
          lines.push(`trial ${trial}: ${f} is neither its old nor its fixed version`);
        }
      }
      const fixedOfChanging = changing.filter((f) => readFileSync(path.join(dir, f)).equals(fixed.get(f)!)).length;
      if (fixedOfChanging > 0 && fixedOfChanging < changing.length) midWrite += 1;
      // Runs vary (other tests share the machine): a kill before the first write or after the
      // last narrows the window for the next trials.
      else if (fixedOfChanging === 0) first = Math.min(delay, last - 1);
      else last = Math.max(delay, first + 1);

      const after = memlint([dir, '--report', 'json'], repoRoot, 60_000);
      expect(after.signal, after.stderr).toBeNull();
      expect(after.status, after.stderr).not.toBe(2);
      const left = filesBelow(dir).filter((f) => TEMP.test(f));
      tempsAfterNextRun += left.length;
      lines.push(`trial ${trial}: killed after ${Math.round(delay)} ms, ${fixedOfChanging}/${changing.length} files fixed, ${temps.length} temporary file(s) left by the kill, ${left.length} after the next run`);
      rmSync(dir, { recursive: true, force: true });
    }
    rmSync(tree, { recursive: true, force: true });

    console.log(
      [
        `kill test: ${TRIALS} trials, ${files.length} files per tree (${changing.length} with fixes), writing seen from ${Math.round(first)} to ${Math.round(last)} ms`,
        ...lines,
        `kill test: ${compared} files compared, ${lost} lost, ${midWrite} trials killed mid-write, ${tempsAfterKill} temporary files left by kills, ${tempsAfterNextRun} after the next run`,
      ].join('\n'),
    );
    expect(lost).toBe(0);
    expect(tempsAfterNextRun).toBe(0);
    expect(midWrite, 'most kills should land while files are being written').toBeGreaterThanOrEqual(TRIALS / 2);
  }, 480_000);
});
