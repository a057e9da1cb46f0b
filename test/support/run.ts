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

export interface RunOptions {
  timeout?: number;
  /** Run as this user and group (root can; tests of permissions need a user root's rights do not cover). */
  uid?: number;
  gid?: number;
  /** Added to the environment. */
  env?: Record<string, string>;
}

function run(script: string, args: string[], cwd: string, options: RunOptions = {}): Run {
  const started = performance.now();
  const r = spawnSync(process.execPath, [script, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...childEnv, NO_COLOR: '1', FORCE_COLOR: '0', ...options.env },
    timeout: options.timeout ?? 60_000,
    maxBuffer: 64 * 1024 * 1024,
    ...(options.uid !== undefined ? { uid: options.uid } : {}),
    ...(options.gid !== undefined ? { gid: options.gid } : {}),
  });
  const ms = performance.now() - started;
  // A timeout is a result the test reports (signal set); any other spawn error is the test's own fault.
  if (r.error && (r.error as NodeJS.ErrnoException).code !== 'ETIMEDOUT') throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ms };
}

export const memlintBin = path.join(repoRoot, 'packages', 'cli', 'bin', 'memlint.js');

/** The memlint CLI as a process. */
export function memlint(args: string[], cwd = repoRoot, timeout?: number): Run {
  return run(memlintBin, args, cwd, timeout === undefined ? {} : { timeout });
}

/** The memlint CLI as a process, with more control over it. */
export function memlintWith(args: string[], cwd: string, options: RunOptions): Run {
  return run(memlintBin, args, cwd, options);
}

/** The real remark-cli as a process. */
export function remark(args: string[], cwd: string): Run {
  // remark-cli's package exports nothing: its bin file is found by path.
  return run(realpathSync(path.join(repoRoot, 'node_modules', 'remark-cli', 'cli.js')), args, cwd);
}
