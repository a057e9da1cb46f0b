// The progress line: on a terminal only (a pseudo-terminal from util-linux's `script` here), after a
// second, on one line rewritten with `\r` and cleared before the report; never in a pipe or in CI.
import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { cpSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { memlintBin, memlintWith, repoRoot, tempDir } from './support/run.ts';
import { progressWanted, startProgress } from '../packages/cli/src/progress.ts';

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

/** memlint under a pseudo-terminal: stdout and stderr are the terminal; what it printed comes back. */
function onTerminal(dir: string, env: Record<string, string | undefined>): string {
  const { CI: _ci, MEMLINT_DEBUG: _debug, ...rest } = process.env;
  const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(memlintBin)} .`;
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: dir, encoding: 'utf8', env: { ...rest, NO_COLOR: '1', TERM: 'xterm', ...env } as NodeJS.ProcessEnv, timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe('the progress line', () => {
  let dir: string;
  beforeAll(() => {
    // 150 copies of the clean Stage-era tree: a run of a few seconds.
    dir = tempDir('progress');
    for (let i = 0; i < 150; i++) cpSync(path.join(repoRoot, 'examples', 'apm-stage'), path.join(dir, `t${i}`), { recursive: true });
  });

  it.skipIf(!hasScript)('appears on a terminal for a run longer than a second, and is cleared before the report', () => {
    const out = onTerminal(dir, { MEMLINT_PROGRESS_DELAY_MS: '0' });
    expect(out).toMatch(/\rmemlint: linted \d+ files?…\u001b\[K/);
    // Cleared, then the report on a clean line.
    expect(out).toMatch(/\r\u001b\[K3300 files checked in 150 memory roots: no problems\r?\n$/);
  });

  it.skipIf(!hasScript)('does not appear in CI, even on a terminal', () => {
    const out = onTerminal(dir, { CI: 'true', MEMLINT_PROGRESS_DELAY_MS: '0' });
    expect(out).not.toContain('memlint: linted');
    expect(out).not.toContain('\u001b[K');
  });

  it('never appears in a pipe', () => {
    const run = memlintWith(['.'], dir, { env: { CI: '' } });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).not.toContain('\r');
  });

  it('progressWanted: a terminal, not dumb, not CI', () => {
    expect(progressWanted({ isTTY: true }, {})).toBe(true);
    expect(progressWanted({ isTTY: true }, { CI: 'false' })).toBe(true);
    expect(progressWanted({ isTTY: true }, { CI: '0' })).toBe(true);
    expect(progressWanted({ isTTY: true }, { CI: 'true' })).toBe(false);
    expect(progressWanted({ isTTY: true }, { CI: '1' })).toBe(false);
    expect(progressWanted({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(progressWanted({ isTTY: false }, {})).toBe(false);
    expect(progressWanted({}, {})).toBe(false);
  });

  it('startProgress: nothing in the first second, then at most every 100 ms, one line, cleared at the end', () => {
    let t = 0;
    const written: string[] = [];
    const stream = Object.assign(new Writable({ write: (c: Buffer, _e: string, cb: () => void) => (written.push(c.toString()), cb()) }), { isTTY: true, columns: 30 });
    const p = startProgress(stream, {}, () => t);
    p.update('a');
    t = 999;
    p.update('b');
    expect(written).toEqual([]);
    t = 1000;
    p.update('c');
    t = 1050;
    p.update('d');
    t = 1100;
    p.update('a rather long line that does not fit in thirty columns');
    p.done();
    p.done();
    expect(written).toEqual(['\rc\u001b[K', '\ra rather long line that does…\u001b[K', '\r\u001b[K']);
  });
});
