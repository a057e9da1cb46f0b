// `pnpm fuzz [options]` (or `node_modules/.bin/node scripts/fuzz.js …`): the property-based fuzz
// run of test/fuzz.test.ts at scale. Mutates files of the example trees (seeded), runs each case
// through core in worker threads under a hard timeout, prints the counts and each distinct
// failure class with a shrunk repro, and writes the failing cases to a directory.
//
//   --cases N       cases to run (default 10000)
//   --seed S        the run's seed (default 1); case I of seed S is always the same input
//   --case I        replay case I of the seed in this process, with the full stack, and write it
//                   as a tree (`pnpm memlint <dir>` reproduces it with the CLI)
//   --out DIR       where failing cases go (default test-output/fuzz/seed-<S>)
//   --workers W     worker threads (default: CPUs − 1, at least 1)
//   --slow MS       a case slower than this fails as slow (default 2000)
//   --timeout MS    a case still running after this is killed (default 60000)
//   --shrink-ms MS  time to shrink the first case of each failure class (default 5000; 0: off)
//
// Exit status: 0 when every case passed, 1 when any failed, 2 on a usage error.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  FAILURE_KINDS,
  FuzzPool,
  checkContent,
  classify,
  describeClass,
  loadTrees,
  makeCase,
  repoRoot,
  reproSnippet,
  runCase,
  shrinkCase,
  shrinkClasses,
  signature,
  writeCaseTree,
} from '../test/support/fuzz.ts';

function parseArgs(argv) {
  const options = { cases: 10_000, seed: 1, case: null, out: null, workers: Math.max(1, os.availableParallelism() - 1), slow: 2_000, timeout: 60_000, shrinkMs: 5_000 };
  const numeric = { '--cases': 'cases', '--seed': 'seed', '--case': 'case', '--workers': 'workers', '--slow': 'slow', '--timeout': 'timeout', '--shrink-ms': 'shrinkMs' };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    const value = () => inline ?? argv[++i];
    if (flag in numeric) {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} takes a non-negative integer`);
      options[numeric[flag]] = n;
    } else if (flag === '--out') options.out = value();
    else if (flag === '--help' || flag === '-h') options.help = true;
    else throw new Error(`unknown option ${argv[i]}`);
  }
  options.out ??= path.join(repoRoot, 'test-output', 'fuzz', `seed-${options.seed}`);
  return options;
}

const pad = (s, n) => String(s).padEnd(n);
const padStart = (s, n) => String(s).padStart(n);

function contentOf(c) {
  return typeof c.content === 'string' ? Buffer.from(c.content, 'utf8') : Buffer.from(c.content);
}

/** Replays one case here, with the whole stack of any crash. */
function replay(options) {
  // Not Infinity: whole stacks make every Error costly and would distort the timings (runCase
  // re-runs a crash with the whole stack when the cut one misses packages/core).
  Error.stackTraceLimit = 50;
  const trees = loadTrees();
  const c = makeCase(trees, options.seed, options.case);
  const settings = Object.entries(c.settings).map(([k, v]) => `${k} ${v}`).join(', ');
  process.stdout.write(`case ${c.id}: ${c.tree} ${c.relPath}${c.added ? ` (added, from ${c.basePath})` : ''}, ${contentOf(c).length} bytes${settings ? `, ${settings}` : ''}\n`);
  for (const m of c.mutations) process.stdout.write(`  - ${m.length > 300 ? `${m.slice(0, 300)}…` : m}\n`);
  const result = runCase(trees, c, options.slow);
  process.stdout.write(`${Math.round(result.ms)} ms (${Object.entries(result.stageMs).map(([k, v]) => `${k} ${Math.round(v)}`).join(', ')}), ${result.diagnostics} diagnostics${result.fixed ? ', fixes applied' : ''}\n`);
  const dir = path.join(options.out, `case-${c.index}`);
  rmSync(dir, { recursive: true, force: true });
  const file = writeCaseTree(trees, c, dir);
  process.stdout.write(`tree written: ${dir}\n  file: ${file}\n  CLI: pnpm memlint ${dir}${c.settings.dialect ? ` --dialect ${c.settings.dialect}` : ''}${c.settings.profile ? ` --profile ${c.settings.profile}` : ''} --report json${result.fixed ? ' (add --fix twice to see the fixes)' : ''}\n`);
  if (result.failures.length === 0) {
    process.stdout.write('no failures\n');
    return 0;
  }
  for (const f of result.failures) {
    process.stdout.write(`\n✗ ${signature(f)}\n  ${f.detail}\n`);
    if (f.frame) process.stdout.write(`  first packages/core frame: ${f.frame}\n`);
    if (f.stack) process.stdout.write(`${f.stack.split('\n').map((l) => `    ${l}`).join('\n')}\n`);
  }
  const first = result.failures.find((f) => f.kind !== 'slow');
  if (first && options.shrinkMs > 0) {
    const shrunk = shrinkCase(trees, c, signature(first), options.shrinkMs);
    if (shrunk) {
      const shown = typeof shrunk.content === 'string' ? JSON.stringify(shrunk.content) : Buffer.from(shrunk.content).toString('hex');
      process.stdout.write(`\nminimal (${shrunk.evaluations} runs, ${shrunk.standalone ? 'standalone' : 'needs the tree'}): ${shown}\n${reproSnippet(shrunk, c)}\n`);
      // Confirm the minimal input still fails, and show how.
      const again = checkContent(trees.find((t) => t.name === c.tree), c.relPath, shrunk.content, { standalone: shrunk.standalone, settings: c.settings });
      for (const f of again.failures) process.stdout.write(`  ${signature(f)}: ${f.detail}\n`);
    }
  }
  return 1;
}

async function run(options) {
  const trees = loadTrees();
  const pool = new FuzzPool({ workers: options.workers, timeoutMs: options.timeout, slowMs: options.slow });
  const started = performance.now();
  let done = 0;
  let failing = 0;
  const progressEvery = Math.max(100, Math.round(options.cases / 20));
  const results = await pool.run(options.seed, Array.from({ length: options.cases }, (_, i) => i), trees, (r) => {
    done += 1;
    if (r.failures.length > 0) failing += 1;
    if (done % progressEvery === 0 || done === options.cases) {
      process.stderr.write(`  ${done}/${options.cases} cases, ${failing} failing, ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    }
  });
  const classes = classify(results);
  if (options.shrinkMs > 0) await shrinkClasses(pool, classes, options.shrinkMs, options.shrinkMs * 20);
  await pool.close();
  const seconds = (performance.now() - started) / 1000;

  const counts = Object.fromEntries(FAILURE_KINDS.map(({ kind }) => [kind, results.filter((r) => r.failures.some((f) => f.kind === kind)).length]));
  const failed = results.filter((r) => r.failures.length > 0);
  const rows = [
    ['cases tried', results.length],
    ...FAILURE_KINDS.map(({ kind, title }) => [title, counts[kind]]),
    ['failing cases', `${failed.length} (in ${classes.length} distinct class${classes.length === 1 ? '' : 'es'})`],
  ];
  process.stdout.write(`\nmemlint fuzz: seed ${options.seed}, ${results.length} cases in ${seconds.toFixed(1)} s (${options.workers} worker${options.workers === 1 ? '' : 's'}, ${pool.restarts} restarted)\n\n`);
  for (const [label, value] of rows) process.stdout.write(`  ${pad(label, 24)} ${padStart(value, 6)}\n`);
  const slowest = [...results].sort((a, b) => b.ms - a.ms).slice(0, 5);
  process.stdout.write(`\n  slowest: ${slowest.map((r) => `${r.id} ${Math.round(r.ms)} ms`).join(', ')}\n`);
  if (classes.length > 0) process.stdout.write(`\n${classes.map(describeClass).join('\n\n')}\n`);

  // The failing cases, for reproduction: every one in failures.jsonl, the first 20 of each class as files and trees.
  rmSync(options.out, { recursive: true, force: true });
  mkdirSync(path.join(options.out, 'cases'), { recursive: true });
  const written = new Set();
  for (const cls of classes) {
    for (const r of [...cls.cases].sort((a, b) => a.size - b.size).slice(0, 20)) {
      if (written.has(r.index)) continue;
      written.add(r.index);
      const c = makeCase(trees, r.seed, r.index);
      writeFileSync(path.join(options.out, 'cases', `${r.index}-${r.tree}-${path.basename(r.relPath)}`), contentOf(c));
      if (written.size <= 50) writeCaseTree(trees, c, path.join(options.out, 'trees', `case-${r.index}`));
    }
  }
  writeFileSync(path.join(options.out, 'failures.jsonl'), failed.map((r) => JSON.stringify(r)).join('\n') + (failed.length ? '\n' : ''));
  const summary = {
    seed: options.seed,
    cases: results.length,
    seconds,
    slowMs: options.slow,
    timeoutMs: options.timeout,
    counts: Object.fromEntries(rows.map(([k, v]) => [k, v])),
    classes: classes.map((cls) => ({
      signature: cls.signature,
      kind: cls.kind,
      count: cls.cases.length,
      cases: cls.cases.slice(0, 50).map((r) => r.id),
      failure: cls.failure,
      example: [...cls.cases].sort((a, b) => a.size - b.size)[0],
      shrunk: cls.shrunk
        ? { ...cls.shrunk, content: typeof cls.shrunk.content === 'string' ? cls.shrunk.content : { hex: Buffer.from(cls.shrunk.content).toString('hex') }, repro: reproSnippet(cls.shrunk, [...cls.cases].sort((a, b) => a.size - b.size)[0]) }
        : null,
    })),
  };
  writeFileSync(path.join(options.out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(path.join(options.out, 'classes.txt'), `${classes.map(describeClass).join('\n\n')}\n`);
  process.stdout.write(`\nwritten: ${path.relative(process.cwd(), options.out) || '.'}/ (summary.json, classes.txt, failures.jsonl, cases/, trees/)\n`);
  return failed.length > 0 ? 1 : 0;
}

let options;
try {
  options = parseArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`fuzz: ${error.message}\n`);
  process.exit(2);
}
if (options.help) {
  process.stdout.write('usage: node scripts/fuzz.js [--cases N] [--seed S] [--case I] [--out DIR] [--workers W] [--slow MS] [--timeout MS] [--shrink-ms MS]\n');
  process.exit(0);
}
process.exitCode = options.case === null ? await run(options) : replay(options);
