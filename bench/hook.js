// The coding-agent hook benchmark: how long `memlint hook` takes to answer Claude Code after a
// Write, as the agent waits for it.
//
//   pnpm bench hook [--files 500] [--runs 15] [--json] [--out file.json]
//   node bench/hook.js [options]
//
// A generated APM v1.0 tree of --files memory files (bench/generate.js) in a temp project; each
// case is one `node packages/cli/bin/memlint.js hook` process (the bundle, built first when stale;
// the project's Node), fed a recorded PostToolUse payload on stdin (test/fixtures/hook/
// write-handoff.json, its paths pointed at the tree): a handoff log of the tree as generated, the
// same handoff with a wrong `incoming` (the hook blocks), and a source file outside the tree (the
// hook says nothing). Median, p90 and max wall time, and the median of the child's own CPU time
// (user + system), of --runs runs each, after one warm-up run.
// Target: each case answered in under 300 ms.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build, bundleIsCurrent } from '../scripts/build.js';
import { generateV1Tree, markdownFiles } from './generate.js';

const TARGET_MS = 300;
const root = path.resolve(import.meta.dirname, '..');
const projectNode = path.join(root, 'node_modules', '.bin', 'node');
const node = existsSync(projectNode) ? projectNode : process.execPath;
const bin = path.join(root, 'packages', 'cli', 'bin', 'memlint.js');
const recorded = readFileSync(path.join(root, 'test', 'fixtures', 'hook', 'write-handoff.json'), 'utf8');

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

/** A recorded Write payload for a file of the project. */
function payloadFor(project, file) {
  const p = JSON.parse(recorded.replaceAll('__TREE__', project));
  p.tool_input.file_path = file;
  p.tool_response.filePath = file;
  return JSON.stringify(p);
}

// The child reports its own CPU time (user + system, from its start) on descriptor 3 as it exits:
// on a loaded machine wall time includes waiting for a core, CPU time does not.
const cpuReport = `data:text/javascript,${encodeURIComponent("import{writeSync as w}from'node:fs';process.on('exit',()=>{const c=process.cpuUsage();try{w(3,`${c.user+c.system}`)}catch{}})")}`;

/** One hook process: wall and CPU ms, and what it answered. */
function once(project, input, extra = []) {
  const started = performance.now();
  const r = spawnSync(node, ['--import', cpuReport, bin, 'hook', ...extra], { cwd: project, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
  const wall = performance.now() - started;
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`memlint hook exited ${r.status}:\n${r.stderr}`);
  return { wall, cpu: Number(r.output[3]) / 1000, blocked: r.stdout.includes('"decision":"block"'), said: r.stdout !== '' };
}

export async function runHookBench(args = process.argv.slice(2)) {
  const { values } = parseArgs({ args, options: { files: { type: 'string', default: '500' }, runs: { type: 'string', default: '15' }, json: { type: 'boolean', default: false }, out: { type: 'string' } } });
  const files = Number(values.files);
  const runs = Number(values.runs);
  if (!Number.isInteger(files) || files < 10) throw new Error(`--files: expected a whole number, 10 or more, got ${values.files}`);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: expected a positive integer, got ${values.runs}`);
  if (!bundleIsCurrent()) await build({ quiet: true });

  const project = mkdtempSync(path.join(os.tmpdir(), 'memlint-bench-hook-'));
  try {
    generateV1Tree(project, { files }); // writes the project's .apm/
    const apm = path.join(project, '.apm');
    const count = markdownFiles(apm).length;
    const handoffs = path.join(apm, 'memory', 'handoffs');
    const worker = readdirSync(handoffs).find((a) => a !== 'manager');
    const handoff = path.join(handoffs, worker, readdirSync(path.join(handoffs, worker)).sort()[0]);
    const broken = path.join(handoffs, worker, 'handoff-99.log.md');
    const text = readFileSync(handoff, 'utf8');
    writeFileSync(broken, text.replace(/^outgoing: \d+$/m, 'outgoing: 99').replace(/^handoff: \d+$/m, 'handoff: 99').replace(/^incoming: \d+$/m, 'incoming: 42'));
    mkdirSync(path.join(project, 'src'), { recursive: true });
    const source = path.join(project, 'src', 'app.ts');
    writeFileSync(source, 'export const app = 1;\n');

    const cases = [
      { id: 'in-tree', label: `a handoff log in the ${count}-file tree, as generated`, file: handoff },
      { id: 'in-tree-broken', label: 'a handoff log with a wrong incoming (blocks)', file: broken },
      { id: 'outside', label: 'a source file outside the tree (silent)', file: source },
      // The documented setup: `memlint hook --cache` (the tree's unchanged files restored, not read).
      { id: 'in-tree-cache', label: 'the handoff log, memlint hook --cache', file: handoff, extra: ['--cache'] },
      { id: 'in-tree-broken-cache', label: 'the broken handoff log, memlint hook --cache', file: broken, extra: ['--cache'] },
    ];
    const results = [];
    for (const c of cases) {
      const input = payloadFor(project, c.file);
      const first = once(project, input, c.extra); // warm-up: fills the bundle's code cache, the disk cache (and memlint's, with --cache)
      const timed = Array.from({ length: runs }, () => once(project, input, c.extra));
      const walls = timed.map((t) => t.wall);
      const median = quantile(walls, 0.5);
      const cpu = quantile(timed.map((t) => t.cpu), 0.5);
      results.push({ ...c, file: path.relative(project, c.file), blocked: first.blocked, answered: first.said, median, p90: quantile(walls, 0.9), max: Math.max(...walls), cpu, pass: median < TARGET_MS });
    }
    const json = { files: count, runs, targetMs: TARGET_MS, node: process.version, cases: results.map(({ label: _label, ...r }) => r) };
    if (values.out) writeFileSync(values.out, `${JSON.stringify(json, null, 2)}\n`);
    if (values.json) {
      process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
      return json;
    }
    const ms = (x) => `${x.toFixed(0)} ms`;
    const rows = results.map((r) => `| ${r.label.padEnd(52)} | ${(r.blocked ? 'block' : r.answered ? 'context' : 'silent').padEnd(7)} | ${ms(r.median).padStart(6)} | ${ms(r.p90).padStart(6)} | ${ms(r.max).padStart(7)} | ${ms(r.cpu).padStart(10)} | ${r.pass ? 'PASS' : 'FAIL'} |`);
    process.stdout.write(
      `memlint hook: ${runs} runs per case, ${count}-file APM v1.0 tree, target: median under ${TARGET_MS} ms\n\n` +
        `| ${'case'.padEnd(52)} | answer  | median |    p90 |     max | median CPU | < ${TARGET_MS} ms |\n|${'-'.repeat(54)}|---------|--------|--------|---------|------------|----------|\n${rows.join('\n')}\n`,
    );
    return json;
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  await runHookBench();
}
