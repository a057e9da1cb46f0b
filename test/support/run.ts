import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** A fresh directory under test-output/ (inside the repo, so `.remarkrc` plugins resolve from its node_modules). */
export function tempDir(prefix: string): string {
  const base = path.join(repoRoot, 'test-output', 'tmp');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(path.join(base, `${prefix}-`));
}

/** Writes `{ relPath: content }` below a directory. */
export function writeTree(dir: string, files: Record<string, string | Uint8Array>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

export function copyExample(name: string, into: string): string {
  cpSync(path.join(repoRoot, 'examples', name), into, { recursive: true });
  return into;
}

export interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time of the process. */
  ms: number;
}

// A stack trace is printed only on request (MEMLINT_DEBUG): make sure no test requests it.
const { MEMLINT_DEBUG: _debug, ...childEnv } = process.env;

function run(script: string, args: string[], cwd: string, timeout = 60_000): Run {
  const started = performance.now();
  const r = spawnSync(process.execPath, [script, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...childEnv, NO_COLOR: '1', FORCE_COLOR: '0' },
    timeout,
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - started;
  // A timeout is a result the test reports (signal set); any other spawn error is the test's own fault.
  if (r.error && (r.error as NodeJS.ErrnoException).code !== 'ETIMEDOUT') throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ms };
}

/** The memlint CLI as a process. */
export function memlint(args: string[], cwd = repoRoot, timeout?: number): Run {
  return run(path.join(repoRoot, 'packages', 'cli', 'bin', 'memlint.js'), args, cwd, timeout);
}

/** The real remark-cli as a process. */
export function remark(args: string[], cwd: string): Run {
  // remark-cli's package exports nothing: its bin file is found by path.
  return run(realpathSync(path.join(repoRoot, 'node_modules', 'remark-cli', 'cli.js')), args, cwd);
}
