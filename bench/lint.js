// `pnpm bench:lint`: the CLI's lint time on a generated Stage-era tree (bench/generate.js, 5,000
// files by default), as users run it: `memlint <tree> --report json` as a process, CPU (user + sys)
// and wall time, best and median of several runs. With `--baseline <checkout>` the same runs go
// through another memlint checkout (e.g. a `git worktree` of an older commit, installed), so a change
// can be held to "no more than 10% slower".
//
//   node bench/lint.js [--files 5000] [--runs 5] [--seed 1] [--baseline ../memlint-old]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateTree } from './generate.js';

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: { files: { type: 'string', default: '5000' }, runs: { type: 'string', default: '5' }, seed: { type: 'string', default: '1' }, baseline: { type: 'string' } },
});
const files = Number(values.files);
const runs = Number(values.runs);

const tree = mkdtempSync(path.join(os.tmpdir(), 'memlint-lint-bench-'));
generateTree(tree, { files, seed: Number(values.seed) });

/** One run of a checkout's CLI over the tree, under /usr/bin/time: wall and CPU seconds, peak RSS, findings. */
function once(checkout) {
  const bin = path.join(checkout, 'packages', 'cli', 'bin', 'memlint.js');
  const started = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', process.execPath, bin, tree, '--report', 'json', '--no-config'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = (performance.now() - started) / 1000;
  if (r.error) throw r.error;
  const [user, sys, rss] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  const findings = JSON.parse(r.stdout).reduce((n, f) => n + f.messages.length, 0);
  return { wall, cpu: user + sys, rssMB: rss / 1024, status: r.status, findings };
}

function measure(checkout) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(once(checkout));
  const sortBy = (k) => results.map((r) => r[k]).filter((x) => typeof x === 'number').sort((a, b) => a - b);
  const stat = (k) => {
    const xs = sortBy(k);
    return xs.length ? { best: xs[0], median: xs[Math.floor(xs.length / 2)] } : null;
  };
  return { checkout, findings: results[0].findings, status: results[0].status, wall: stat('wall'), cpu: stat('cpu'), rssMB: stat('rssMB') };
}

const current = measure(root);
const baseline = values.baseline ? measure(path.resolve(values.baseline)) : null;
const fmt = (s) => (s ? `best ${s.best.toFixed(2)} s, median ${s.median.toFixed(2)} s` : 'n/a');
process.stdout.write(`memlint lint bench: ${files} files, ${runs} runs\n`);
for (const m of [current, baseline].filter(Boolean)) {
  process.stdout.write(`  ${m.checkout}\n    wall ${fmt(m.wall)}\n    cpu  ${fmt(m.cpu)}\n    findings ${m.findings} (exit ${m.status}), peak RSS median ${m.rssMB ? m.rssMB.median.toFixed(0) : 'n/a'} MB\n`);
}
const result = { date: new Date().toISOString(), files, runs, current, baseline };
if (baseline && current.cpu && baseline.cpu) {
  const ratio = current.cpu.median / baseline.cpu.median;
  result.ratio = ratio;
  process.stdout.write(`  CPU median ratio current/baseline: ${ratio.toFixed(3)} (target ≤ 1.10: ${ratio <= 1.1 ? 'PASS' : 'FAIL'})\n`);
}
mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
writeFileSync(path.join(root, 'bench', 'results', `lint-${result.date.replace(/[:.]/g, '-')}.json`), `${JSON.stringify(result, null, 2)}\n`);
rmSync(tree, { recursive: true, force: true });
