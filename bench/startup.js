// The start-up benchmark: how long `memlint` takes to answer when there is almost nothing to do.
//
//   pnpm bench:startup [--runs 10] [--json]
//   node bench/startup.js [--runs 10] [--json]
//
// Each case runs as a whole process, `node packages/cli/bin/memlint.js …` on the project's Node
// (node_modules/.bin/node when present, else this process's), never through pnpm or npx (they add
// seconds): `--help`, `--version`, and a generated 10-file Stage-era tree (bench/generate.js, in a
// temp dir). Twice: from the sources (MEMLINT_FROM_SOURCE=1: TypeScript run by Node's type
// stripping) and from the bundle (packages/cli/dist/memlint.cjs, built first when it is missing or
// older than the sources), and the bundle once more without its V8 code cache
// (MEMLINT_NO_CODE_CACHE=1). `node -e 0` is the floor. Median wall and CPU (user + system) of
// `--runs` runs each, after one warm-up run. Target: the 10-file tree under 150 ms wall from the
// bundle.
//
// CPU is the child's own `process.cpuUsage()` (getrusage: the whole process, from its start),
// reported through a preload on file descriptor 3; every case, the floor too, carries the preload.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build, bundleIsCurrent } from '../scripts/build.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' }, json: { type: 'boolean', default: false } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: expected a positive integer, got ${values.runs}`);

const root = path.resolve(import.meta.dirname, '..');
const projectNode = path.join(root, 'node_modules', '.bin', 'node');
const node = existsSync(projectNode) ? projectNode : process.execPath;
const bin = path.join(root, 'packages', 'cli', 'bin', 'memlint.js');

if (!bundleIsCurrent()) await build();

const tmp = mkdtempSync(path.join(os.tmpdir(), 'memlint-startup-'));
const tree = path.join(tmp, 'tree');
const generated = spawnSync(node, [path.join(root, 'bench', 'generate.js'), tree, '--files', '10'], { encoding: 'utf8' });
if (generated.status !== 0) throw new Error(`bench/generate.js failed:\n${generated.stderr}`);

const preload = `data:text/javascript,${encodeURIComponent(
  "import{writeSync}from'node:fs';process.on('exit',()=>{const u=process.cpuUsage();try{writeSync(3,String(u.user+u.system))}catch{}})",
)}`;

/** One process: wall ms (spawn to exit, as the parent sees it) and CPU ms (the child's own). */
function once(args, env) {
  const started = performance.now();
  const r = spawnSync(node, ['--import', preload, ...args], {
    cwd: tmp,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const wall = performance.now() - started;
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return { wall, cpu: Number(r.output[3]) / 1000 };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function measure(args, env = {}) {
  once(args, env); // warm-up: the file cache (and the bundle's code cache, should there be none)
  const samples = Array.from({ length: runs }, () => once(args, env));
  return { wall: median(samples.map((s) => s.wall)), cpu: median(samples.map((s) => s.cpu)) };
}

const cases = [
  ['memlint --help', ['--help']],
  ['memlint --version', ['--version']],
  ['memlint <10-file tree>', [tree]],
];
/**
 * The bundle's numbers. The bin runs the sources when one is newer than the bundle: should a
 * source change while this runs (someone editing in the same checkout), rebuild and measure again.
 */
async function measureBundle(args, env = {}) {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (!bundleIsCurrent()) await build({ quiet: true });
    const result = measure(args, env);
    if (bundleIsCurrent()) return result;
  }
  throw new Error('the sources keep changing: the bundle is stale each time it is measured');
}

const rows = [{ case: 'node -e 0 (the floor)', ...measure(['-e', '0']) }];
for (const [name, args] of cases) {
  rows.push({
    case: name,
    sources: measure([bin, ...args], { MEMLINT_FROM_SOURCE: '1' }),
    bundle: await measureBundle([bin, ...args]),
  });
}
// What the bundle's code cache (kept by the bin beside the bundle) is worth.
rows.push({ case: '  the same, no code cache', bundle: await measureBundle([bin, tree], { MEMLINT_NO_CODE_CACHE: '1' }) });
rmSync(tmp, { recursive: true, force: true });

if (values.json) {
  process.stdout.write(`${JSON.stringify({ node: process.versions.node, runs, loadavg: os.loadavg(), rows }, null, 2)}\n`);
} else {
  const ms = (x) => `${x.toFixed(0)} ms`.padStart(7);
  const load = os.loadavg().map((l) => l.toFixed(1)).join(' ');
  process.stdout.write(`Start-up, median of ${runs} (Node ${spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim()}, ${os.cpus().length} CPUs, load average ${load})\n\n`);
  process.stdout.write(`${'case'.padEnd(26)}  ${'sources wall'.padStart(12)} ${'cpu'.padStart(7)}  ${'bundle wall'.padStart(11)} ${'cpu'.padStart(7)}  ratio\n`);
  for (const r of rows) {
    if (!r.sources && !r.bundle) {
      process.stdout.write(`${r.case.padEnd(26)}  ${ms(r.wall).padStart(12)} ${ms(r.cpu)}\n`);
      continue;
    }
    if (!r.sources) {
      process.stdout.write(`${r.case.padEnd(26)}  ${''.padStart(12)} ${''.padStart(7)}  ${ms(r.bundle.wall).padStart(11)} ${ms(r.bundle.cpu)}\n`);
      continue;
    }
    const ratio = `${(r.sources.wall / r.bundle.wall).toFixed(1)}×`;
    process.stdout.write(`${r.case.padEnd(26)}  ${ms(r.sources.wall).padStart(12)} ${ms(r.sources.cpu)}  ${ms(r.bundle.wall).padStart(11)} ${ms(r.bundle.cpu)}  ${ratio}\n`);
  }
  const tree10 = rows.find((r) => r.case === 'memlint <10-file tree>').bundle.wall;
  process.stdout.write(`\n10-file tree from the bundle: ${tree10.toFixed(0)} ms wall (target: under 150 ms) ${tree10 < 150 ? 'ok' : 'MISSED'}\n`);
}
