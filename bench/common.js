// Helpers the bench scripts share (bench/compare.js, bench/lsp.js): the project's Node, medians,
// markdown tables, the machine a run is on, `--help` from a file's header, running as a script.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(import.meta.dirname, '..');

/**
 * The project's Node binary: the one node_modules/.bin/node runs (that file is a sh wrapper, so a
 * process started through it is the shell's pid, not Node's), or this process's own.
 */
export function projectNode() {
  const shim = path.join(repo, 'node_modules', '.bin', 'node');
  if (!existsSync(shim)) return process.execPath;
  const r = spawnSync(shim, ['-p', 'process.execPath'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : process.execPath;
}

/** The median of the numbers in a list (anything else is left out), or null when there are none. */
export function median(xs) {
  const s = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  if (!s.length) return null;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** A markdown table; the first `left` columns are left-aligned, the others right-aligned. */
export function table(headers, rows, left = 1) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => (i < left ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ')} |`;
  return [line(headers), `| ${widths.map((w, i) => (i < left ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** The machine and checkout a run is on: CPUs, memory, OS, Node, git HEAD and the uncommitted files under `paths`. */
export function machineInfo(node, paths) {
  const git = (args) => spawnSync('git', args, { cwd: repo, encoding: 'utf8' }).stdout?.trim() ?? '';
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? '',
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    node: spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim(),
    os: `${os.type()} ${os.release()}`,
    head: git(['rev-parse', '--short', 'HEAD']),
    uncommitted: git(['status', '--porcelain', '--', ...paths]).split('\n').filter(Boolean),
  };
}

/** A bench's `--help`: the comment block its file opens with, without the comment marks. */
export function usage(moduleUrl) {
  return `${readFileSync(fileURLToPath(moduleUrl), 'utf8').split('\nimport ')[0].replace(/^\/\/ ?/gm, '')}\n`;
}

/**
 * Runs `main(argv)` when the module is the script node was started with (not when it is imported,
 * as bench/run.js does); an error is printed with its stack and makes the exit status 1.
 */
export async function runIfMain(moduleUrl, main) {
  if (!process.argv[1] || path.resolve(process.argv[1]) !== fileURLToPath(moduleUrl)) return;
  try {
    await main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exitCode = 1;
  }
}
