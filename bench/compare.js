// The comparative speed bench (issue 10, "Speed"): memlint against the tools a team would use
// otherwise, side by side on generated trees, every tool as a whole process.
//
//   pnpm bench lint [options]            (bench/run.js dispatches here)
//   node bench/compare.js [--eras stage,v1] [--sizes 500,2000,10000,20000] [--runs 5]
//                         [--tools all|a,b,…] [--budget 120] [--competitors-max N] [--seed 1]
//                         [--json] [--keep] [--live]
//
// For each era (Stage era, APM v1.0: bench/generate.js) and size it generates a seeded, clean tree
// in a temp dir and measures, median of --runs runs:
//
//   memlint              cold: `memlint <tree>`, no cache
//   memlint-cache-empty  `--cache` with an empty cache location: a cold run that writes the cache
//   memlint-warm         `--cache`, nothing changed since the last run
//   memlint-changed      `--cache`, one task log changed (a line appended) before each run
//   memlint-file         `memlint <tree>/<first task log>`: one named file (a pre-commit run), no cache
//   memlint-file-warm    the same with `--cache` (primed by one named run)
//   markdownlint-cli2    `markdownlint-cli2 "**/*.md"` in the tree, its defaults (no config file)
//   remark               remark-cli + remark-frontmatter + remark-lint-frontmatter-schema only, a
//                        JSON Schema per kind (`memlint schema <kind> --dialect <d>`) mapped by glob
//   parse                a bare markdown parse of every .md file (mdast-util-from-markdown)
//   read                 reading every .md file (readFileSync, utf8), nothing else: the floor
//
// The two memlint-file rows also run in a 10-file tree of the same era (the "10" column): the
// staged-file target compares the 10,000-file tree with it.
//
// memlint runs from a snapshot of packages/cli (bin/ + the bundle, copied into the temp dir at the
// start; --live runs packages/cli/bin/memlint.js in place): the repository moves during a run of
// an hour.
//
// Every run is `node <script> …` with the project's Node (the binary node_modules/.bin/node
// wraps; never pnpm or npx), cwd the tree, under `/usr/bin/time -f` (GNU time): wall time is
// measured here (spawn to exit), CPU (user + system) and peak RSS come from time's report of the
// child. Without /usr/bin/time only wall time is reported. memlint runs with `--no-config
// --max-file-size 16MB`: no configuration file is picked up, and the large plan and Memory Root
// of the big trees (2–4 MB) are parsed like every other file, as the competitors parse them.
//
// The cache rows need `--cache` / `--cache-location`: when memlint does not accept them yet, they
// print "n/a (no --cache)" and their targets say so.
//
// --budget: per tool and size, runs stop once the time spent would pass this many seconds (at
// least one run is always made); the table shows how many runs a median is of. remark takes
// ~20 ms per file, so at 10,000 files one run is minutes. --competitors-max N skips markdownlint-cli2,
// remark and the bare parse on trees above N files (no target is judged there).
//
// Output: a table per era (tool × size: wall median, CPU median, peak RSS median, runs), the
// ratios the targets name with PASS/FAIL, and with --json bench/results/compare-<date>.json (every
// run). The exit status says whether the bench worked, not whether the targets passed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { machineInfo, median, projectNode, runIfMain, table, usage } from './common.js';
import { generateEra } from './generate.js';

const repo = path.resolve(import.meta.dirname, '..');
const resultsDir = path.join(repo, 'bench', 'results');
const cliDir = path.join(repo, 'packages', 'cli');
let memlintBin = path.join(cliDir, 'bin', 'memlint.js');
const MEMLINT_ARGS = ['--no-config', '--max-file-size', '16MB'];

export const TOOLS = [
  'memlint',
  'memlint-cache-empty',
  'memlint-warm',
  'memlint-changed',
  'memlint-file',
  'memlint-file-warm',
  'markdownlint-cli2',
  'remark',
  'parse',
  'read',
];
const CACHE_TOOLS = new Set(['memlint-cache-empty', 'memlint-warm', 'memlint-changed', 'memlint-file-warm']);
const FILE_TOOLS = new Set(['memlint-file', 'memlint-file-warm']);
const SMALL_TREE = 10;

const LABELS = {
  memlint: 'memlint, cold',
  'memlint-cache-empty': 'memlint --cache, empty cache',
  'memlint-warm': 'memlint --cache, nothing changed',
  'memlint-changed': 'memlint --cache, one file changed',
  'memlint-file': 'memlint <one named file>',
  'memlint-file-warm': 'memlint --cache <one named file>',
  'markdownlint-cli2': 'markdownlint-cli2 (defaults)',
  remark: 'remark + frontmatter-schema',
  parse: 'mdast-util-from-markdown parse',
  read: 'read the files only',
};

// The kinds with frontmatter, per era: the schema memlint exports and the files it applies to.
const SCHEMA_GLOBS = {
  stage: {
    dialect: 'apm-stage',
    kinds: {
      'task-log': ['.apm/Memory/Stage_*/Task_Log_*.md'],
      'worker-handoff-log': ['.apm/Memory/Handoffs/Agent_*_Handoffs/*_Handoff_Log_*.md'],
      'manager-handoff-log': ['.apm/Memory/Handoffs/Manager_Handoffs/Manager_Handoff_Log_*.md'],
    },
  },
  v1: {
    dialect: 'apm-v1',
    kinds: {
      'task-log': ['.apm/memory/stage-*/task-*.log.md'],
      'worker-handoff-log': ['.apm/memory/handoffs/*-agent/handoff-*.log.md'],
      'manager-handoff-log': ['.apm/memory/handoffs/manager/handoff-*.log.md'],
      tracker: ['.apm/tracker.md'],
      'memory-index': ['.apm/memory/index.md'],
      'implementation-plan': ['.apm/plan.md'],
      specifications: ['.apm/spec.md'],
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Helpers the child processes run (written into the work dir): reading only, and a bare parse.

const WALK = `import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
function* walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile() && e.name.endsWith('.md')) yield p;
  }
}
`;
const READ_SCRIPT = `${WALK}let files = 0, chars = 0;
for (const f of walk(process.argv[2])) { chars += readFileSync(f, 'utf8').length; files += 1; }
console.log(files + ' files, ' + chars + ' characters read');
`;
const parseScript = (fromMarkdownUrl) => `${WALK}import { fromMarkdown } from ${JSON.stringify(fromMarkdownUrl)};
let files = 0, nodes = 0;
for (const f of walk(process.argv[2])) { nodes += fromMarkdown(readFileSync(f, 'utf8')).children.length; files += 1; }
console.log(files + ' files parsed, ' + nodes + ' top-level nodes');
`;

// ---------------------------------------------------------------------------------------------
// Measuring one process

const TIME = '/usr/bin/time';
const hasTime = existsSync(TIME) && spawnSync(TIME, ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0;

/** Runs one command as a whole process: wall (here), CPU and peak RSS (GNU time), status, output. */
function measureOnce(cmd, args, cwd) {
  const timeFile = path.join(os.tmpdir(), `memlint-compare-time-${process.pid}`);
  const argv = hasTime ? [TIME, ['-o', timeFile, '-f', '%U %S %M', cmd, ...args]] : [cmd, args];
  const t0 = performance.now();
  const r = spawnSync(argv[0], argv[1], { cwd, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  const wall = (performance.now() - t0) / 1000;
  if (r.error) throw r.error;
  let cpu = null;
  let rssMB = null;
  if (hasTime) {
    const lines = readFileSync(timeFile, 'utf8').trim().split('\n');
    const [user, sys, rss] = lines.at(-1).split(' ').map(Number);
    cpu = user + sys;
    rssMB = rss / 1024;
    rmSync(timeFile, { force: true });
  }
  return { wall, cpu, rssMB, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A short account of what a run found, to check that every tool did its work. */
function summarise(tool, run) {
  const out = `${run.stdout}\n${run.stderr}`;
  if (tool.startsWith('memlint')) {
    const m = /(\d[\d,]*) files? checked[^\n]*/.exec(out) ?? /no problems[^\n]*/.exec(out);
    const problems = /(\d+) (?:errors?|warnings?)/.exec(out);
    return `${m ? m[0].trim() : out.trim().split('\n').at(-1)}${problems ? ` (${problems[0]}…)` : ''}`;
  }
  if (tool === 'markdownlint-cli2') return (/Summary: [^\n]*/.exec(out) ?? [out.trim().split('\n').at(-1)])[0];
  if (tool === 'remark') {
    const m = /[⚠✖✔][^\n]*/u.exec(out.replace(/\u001b\[[0-9;]*m/g, ''));
    return m ? m[0] : 'no messages';
  }
  return out.trim().split('\n').at(-1) ?? '';
}

// ---------------------------------------------------------------------------------------------
// The run

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      eras: { type: 'string', default: 'stage,v1' },
      sizes: { type: 'string', default: '500,2000,10000,20000' },
      runs: { type: 'string', default: '5' },
      tools: { type: 'string', default: 'all' },
      budget: { type: 'string', default: '120' },
      'competitors-max': { type: 'string' },
      seed: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      live: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return { help: true };
  const list = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);
  const eras = list(values.eras);
  for (const e of eras) if (!(e in SCHEMA_GLOBS)) throw new Error(`--eras: unknown era ${e} (stage, v1)`);
  const sizes = list(values.sizes).map((s) => Number(s.replace(/[_,]/g, '')));
  for (const n of sizes) if (!Number.isInteger(n) || n < 20) throw new Error(`--sizes: expected whole numbers of at least 20, got ${values.sizes}`);
  const tools = values.tools === 'all' ? TOOLS : list(values.tools);
  for (const t of tools) if (!TOOLS.includes(t)) throw new Error(`--tools: unknown tool ${t} (${TOOLS.join(', ')}, or all)`);
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: expected a positive integer, got ${values.runs}`);
  const budget = Number(values.budget);
  if (!(budget > 0)) throw new Error(`--budget: expected seconds, got ${values.budget}`);
  const competitorsMax = values['competitors-max'] === undefined ? Infinity : Number(values['competitors-max']);
  if (!(competitorsMax > 0)) throw new Error(`--competitors-max: expected a number of files, got ${values['competitors-max']}`);
  return { eras, sizes: [...new Set(sizes)].sort((a, b) => a - b), tools: TOOLS.filter((t) => tools.includes(t)), runs, budget, competitorsMax, seed: Number(values.seed), json: values.json, keep: values.keep, live: values.live };
}

function machine(node) {
  const version = (pkg) => {
    try {
      return JSON.parse(readFileSync(path.join(repo, 'node_modules', pkg, 'package.json'), 'utf8')).version;
    } catch {
      return null;
    }
  };
  return {
    ...machineInfo(node, ['packages']),
    bundle: existsSync(path.join(cliDir, 'dist')),
    bundleDigest: (() => {
      const file = path.join(path.dirname(path.dirname(memlintBin)), 'dist', 'memlint.cjs');
      return existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 12) : null;
    })(),
    versions: Object.fromEntries(['markdownlint-cli2', 'remark-cli', 'remark-frontmatter', 'remark-lint-frontmatter-schema', 'mdast-util-from-markdown'].map((p) => [p, version(p)])),
    time: hasTime ? TIME : null,
  };
}

/**
 * A copy of the CLI as it is now (bin/, dist/ with the bundle, package.json) in the work dir, so
 * that commits landing in packages/ during a long run do not mix versions in one table. The bin
 * runs the bundle: the sources it lists are not beside the copy, which it reads as unchanged.
 * The bundle is built first when it is missing or older than the sources (scripts/build.js).
 */
async function snapshot(work) {
  const buildScript = path.join(repo, 'scripts', 'build.js');
  if (existsSync(buildScript)) {
    const { build, bundleIsCurrent } = await import(buildScript);
    if (!bundleIsCurrent()) await build({ quiet: true });
  }
  const dist = path.join(cliDir, 'dist');
  if (!existsSync(dist)) return path.join(cliDir, 'bin', 'memlint.js'); // no bundle: run in place
  const copy = path.join(work, 'memlint-cli');
  for (const part of ['bin', 'dist', 'package.json']) cpSync(path.join(cliDir, part), path.join(copy, part), { recursive: true });
  // The bin imports core's bundle check (@memlint/core/bundle-check): beside the copy as an installed dependency would be.
  const core = path.join(copy, 'node_modules', '@memlint', 'core');
  cpSync(path.join(repo, 'packages', 'core', 'bin'), path.join(core, 'bin'), { recursive: true });
  writeFileSync(path.join(core, 'package.json'), `${JSON.stringify({ name: '@memlint/core', type: 'module', exports: { './bundle-check': './bin/bundle-check.js' } })}\n`);
  return path.join(copy, 'bin', 'memlint.js');
}

/** Writes the remark config (and the schemas it maps) for an era into `dir`, beside the trees. */
function writeRemarkConfig(node, work, era) {
  const dir = path.join(work, `remark-${era}`);
  mkdirSync(dir, { recursive: true });
  const { dialect, kinds } = SCHEMA_GLOBS[era];
  const schemas = {};
  for (const [kind, globs] of Object.entries(kinds)) {
    const r = spawnSync(node, [memlintBin, 'schema', kind, '--dialect', dialect], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`memlint schema ${kind} --dialect ${dialect} failed:\n${r.stderr}`);
    const schema = JSON.parse(r.stdout);
    // The plugin validates with Ajv's default class (draft-07); memlint's schemas declare 2020-12
    // but use only keywords that mean the same in both, so the declaration is dropped.
    delete schema.$schema;
    writeFileSync(path.join(dir, `${kind}.schema.json`), `${JSON.stringify(schema, null, 2)}\n`);
    // Paths in the plugin's `schemas` are relative to remark's cwd (the tree): ../remark-<era>/….
    schemas[`../remark-${era}/${kind}.schema.json`] = globs;
  }
  const url = (spec) => import.meta.resolve(spec);
  const rc = [
    `import remarkFrontmatter from ${JSON.stringify(url('remark-frontmatter'))};`,
    `import remarkLintFrontmatterSchema from ${JSON.stringify(url('remark-lint-frontmatter-schema'))};`,
    '',
    'export default {',
    `  plugins: [remarkFrontmatter, [remarkLintFrontmatterSchema, { schemas: ${JSON.stringify(schemas, null, 2).replace(/\n/g, '\n  ')} }]],`,
    '};',
    '',
  ].join('\n');
  writeFileSync(path.join(dir, '.remarkrc.mjs'), rc);
  return path.join(dir, '.remarkrc.mjs');
}

function binOf(pkg, name) {
  const dir = path.join(repo, 'node_modules', pkg);
  const json = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const bin = typeof json.bin === 'string' ? json.bin : json.bin[name ?? pkg];
  return path.join(dir, bin);
}

/** Appends a line to a task log (a bullet at the end of its last section: still a clean log). */
function touch(file, k) {
  appendFileSync(file, `- Re-checked in bench run ${k}: nothing else changed.\n`);
}

export async function runCompare(argv) {
  const opts = parseOptions(argv);
  if (opts.help) {
    process.stdout.write(usage(import.meta.url));
    return null;
  }
  const node = projectNode();
  const work = mkdtempSync(path.join(os.tmpdir(), 'memlint-compare-'));
  memlintBin = opts.live ? path.join(cliDir, 'bin', 'memlint.js') : await snapshot(work);
  const info = machine(node);
  info.memlint = opts.live ? 'live: packages/cli/bin/memlint.js' : `snapshot of packages/cli (bin + bundle ${info.bundleDigest}) taken at the start`;
  const readScript = path.join(work, 'read.mjs');
  const parseScriptFile = path.join(work, 'parse.mjs');
  writeFileSync(readScript, READ_SCRIPT);
  writeFileSync(parseScriptFile, parseScript(import.meta.resolve('mdast-util-from-markdown')));
  const mdlBin = binOf('markdownlint-cli2');
  const remarkBin = binOf('remark-cli', 'remark');
  const log = (s) => process.stderr.write(`${s}\n`);

  // Does memlint take --cache yet? (Another change adds it.)
  let cacheSupported = false;
  {
    const probe = path.join(work, 'probe');
    generateEra('v1', probe, { files: SMALL_TREE, seed: opts.seed });
    const r = spawnSync(node, [memlintBin, probe, ...MEMLINT_ARGS, '--cache', '--cache-location', path.join(work, 'probe-cache')], { encoding: 'utf8' });
    cacheSupported = !(r.status === 2 && /--cache/.test(r.stderr));
    rmSync(probe, { recursive: true, force: true });
  }
  const wantsCache = opts.tools.some((t) => CACHE_TOOLS.has(t));
  if (wantsCache && !cacheSupported) log('memlint does not accept --cache yet: the cache rows are n/a');

  const result = { date: new Date().toISOString(), options: { ...opts }, machine: info, cacheSupported, eras: {} };
  let cacheDirs = 0;
  const cacheDir = () => path.join(work, `cache-${++cacheDirs}`);

  for (const era of opts.eras) {
    const rc = opts.tools.includes('remark') ? writeRemarkConfig(node, work, era) : null;
    const eraResult = { sizes: {} };
    result.eras[era] = eraResult;
    const sizes = opts.tools.some((t) => FILE_TOOLS.has(t)) ? [SMALL_TREE, ...opts.sizes.filter((n) => n !== SMALL_TREE)] : opts.sizes;
    for (const files of sizes) {
      const small = files === SMALL_TREE && !opts.sizes.includes(SMALL_TREE);
      const tree = path.join(work, `${era}-${files}`);
      const t0 = performance.now();
      const generated = generateEra(era, tree, { files, seed: opts.seed });
      const firstLog = path.join(tree, generated.taskLogs[0]);
      log(`${era} ${files} files: generated in ${Math.round(performance.now() - t0)} ms`);
      const rows = {};
      eraResult.sizes[files] = rows;
      for (const tool of opts.tools) {
        if (small && !FILE_TOOLS.has(tool)) continue;
        if ((tool === 'markdownlint-cli2' || tool === 'remark' || tool === 'parse') && files > opts.competitorsMax) {
          rows[tool] = { na: `not run (> ${opts.competitorsMax})` };
          continue;
        }
        if (CACHE_TOOLS.has(tool) && !cacheSupported) {
          rows[tool] = { na: 'n/a (no --cache)' };
          continue;
        }
        const loadBefore = os.loadavg()[0];
        const cache = CACHE_TOOLS.has(tool) ? cacheDir() : null;
        const cacheArgs = cache ? ['--cache', '--cache-location', cache] : [];
        let cmd = node;
        let args;
        let before = () => {};
        switch (tool) {
          case 'memlint':
          case 'memlint-cache-empty':
            args = [memlintBin, tree, ...MEMLINT_ARGS, ...cacheArgs];
            // The cache is a main file and its siblings (.files, .local, the .d/ folder of parses): all go.
            if (cache) before = () => { for (const f of [cache, `${cache}.files`, `${cache}.local`, `${cache}.d`]) rmSync(f, { recursive: true, force: true }); };
            break;
          case 'memlint-warm':
            args = [memlintBin, tree, ...MEMLINT_ARGS, ...cacheArgs];
            break;
          case 'memlint-changed':
            args = [memlintBin, tree, ...MEMLINT_ARGS, ...cacheArgs];
            before = (k) => touch(firstLog, k);
            break;
          case 'memlint-file':
          case 'memlint-file-warm':
            args = [memlintBin, firstLog, ...MEMLINT_ARGS, ...cacheArgs];
            break;
          case 'markdownlint-cli2':
            args = [mdlBin, '**/*.md'];
            break;
          case 'remark':
            args = [remarkBin, '.apm', '--rc-path', rc, '--no-stdout', '--quiet', '--no-color'];
            break;
          case 'parse':
            args = [parseScriptFile, tree];
            break;
          case 'read':
            args = [readScript, tree];
            break;
          default:
            throw new Error(tool);
        }
        // The cached rows start from a primed cache (one run, not timed).
        if (cache && tool !== 'memlint-cache-empty') {
          const primed = measureOnce(cmd, args, tree);
          if (primed.status === 2 && /Unknown option '--cache/.test(primed.stderr)) {
            rows[tool] = { na: 'n/a (no --cache)' };
            continue;
          }
        }
        const runs = [];
        let spent = 0;
        for (let k = 1; k <= opts.runs; k++) {
          before(k);
          const run = measureOnce(cmd, args, tree);
          spent += run.wall;
          runs.push(run);
          if (k < opts.runs && spent + spent / k > opts.budget) break;
        }
        const row = {
          runs: runs.length,
          wall: median(runs.map((r) => r.wall)),
          cpu: median(runs.map((r) => r.cpu)),
          rssMB: median(runs.map((r) => r.rssMB)),
          status: runs[0].status,
          found: summarise(tool, runs[0]),
          load: [loadBefore, os.loadavg()[0]],
          all: runs.map(({ wall, cpu, rssMB, status }) => ({ wall, cpu, rssMB, status })),
        };
        // Every tree is clean: anything but the tool's usual exit status (markdownlint-cli2: 1, it
        // has findings; the others: 0) is a failed run, shown as `exit N!` and kept in the JSON.
        const bad = runs.find((x) => x.status !== (tool === 'markdownlint-cli2' ? 1 : 0));
        if (bad) row.error = `exit ${bad.status}: ${bad.stderr.trim().split('\n').slice(0, 6).join(' ')}`;
        if (row.error && /Unknown option '--cache/.test(row.error)) {
          rows[tool] = { na: 'n/a (no --cache)' };
          continue;
        }
        rows[tool] = row;
        log(`  ${tool.padEnd(20)} ${fmtS(row.wall)} wall, ${fmtS(row.cpu)} cpu, ${fmtMB(row.rssMB)}, ${row.runs} run${row.runs === 1 ? '' : 's'}: ${row.found}${row.error ? `\n    ${row.error}` : ''}`);
      }
      if (!opts.keep) rmSync(tree, { recursive: true, force: true });
    }
  }
  result.machine.headAtEnd = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repo, encoding: 'utf8' }).stdout?.trim() ?? '';
  result.targets = targets(result);
  process.stdout.write(report(result));
  if (opts.json) {
    mkdirSync(resultsDir, { recursive: true });
    const file = path.join(resultsDir, `compare-${result.date.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`\nresults: ${path.relative(process.cwd(), file)}\n`);
  }
  if (opts.keep) process.stdout.write(`trees and configuration kept in ${work}\n`);
  else rmSync(work, { recursive: true, force: true });
  return result;
}

// ---------------------------------------------------------------------------------------------
// Targets and the report

const fmtS = (s) => (typeof s === 'number' ? (s < 10 ? `${s.toFixed(2)} s` : `${s.toFixed(1)} s`) : '–');
const fmtMB = (mb) => (typeof mb === 'number' ? `${Math.round(mb)} MB` : '–');
const fmtX = (x) => (typeof x === 'number' ? `${x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)}×` : '–');

/** The size a target is judged at: 10,000 when measured, else the largest size measured. */
function judgeSize(sizes, want = 10_000) {
  const measured = Object.keys(sizes).map(Number).filter((n) => n !== SMALL_TREE);
  return measured.includes(want) ? want : measured.length ? Math.max(...measured) : null;
}

function targets(result) {
  const out = [];
  const add = (era, name, value, pass, note) => out.push({ era, name, value, pass, note });
  for (const [era, { sizes }] of Object.entries(result.eras)) {
    const at = judgeSize(sizes);
    const row = (n, tool) => sizes[n]?.[tool];
    const wall = (n, tool) => (typeof row(n, tool)?.wall === 'number' ? row(n, tool).wall : null);
    const ratio = (a, b) => (a !== null && b !== null && b > 0 ? a / b : null);
    const judge = (name, value, ok, note = '') => {
      const cacheNa = [...CACHE_TOOLS].some((t) => name.includes(t) && row(at, t)?.na);
      add(era, name, value, value === null ? (cacheNa ? 'n/a (no --cache)' : 'not run') : ok(value) ? 'PASS' : 'FAIL', note);
    };
    if (at === null) continue;
    const n = at.toLocaleString('en-US');
    judge(`memlint cold, ${n} files, under 1 s wall`, wall(at, 'memlint'), (v) => v < 1, at === 10_000 ? '' : `(at ${n})`);
    judge(`markdownlint-cli2 / memlint cold at ${n}, at least 10×`, ratio(wall(at, 'markdownlint-cli2'), wall(at, 'memlint')), (v) => v >= 10);
    judge(`remark-lint-frontmatter-schema / memlint cold at ${n}, at least 50×`, ratio(wall(at, 'remark'), wall(at, 'memlint')), (v) => v >= 50);
    judge(`memlint cold / memlint-warm (nothing changed) at ${n}, at least 20×`, ratio(wall(at, 'memlint'), wall(at, 'memlint-warm')), (v) => v >= 20);
    judge(`memlint-changed / memlint-warm at ${n}, at most 2×`, ratio(wall(at, 'memlint-changed'), wall(at, 'memlint-warm')), (v) => v <= 2);
    judge(`memlint-file-warm, ${n}-file tree / ${SMALL_TREE}-file tree, at most 1.5×`, ratio(wall(at, 'memlint-file-warm'), wall(SMALL_TREE, 'memlint-file-warm')), (v) => v <= 1.5);
    const big = Object.keys(sizes).map(Number).includes(20_000) ? 20_000 : null;
    const peak = big === null ? null : Math.max(...TOOLS.filter((t) => t.startsWith('memlint')).map((t) => row(big, t)?.rssMB ?? 0));
    judge('memlint peak RSS at 20,000 files (any memlint row), under 300 MB', big === null || peak === 0 ? null : peak, (v) => v < 300);
    // Linear: per step between measured sizes, (cpu2 / cpu1) / (n2 / n1) at most 1.2 (1 is linear;
    // fixed start-up costs make the small steps come out below 1).
    const steps = [];
    const ns = Object.keys(sizes).map(Number).filter((x) => x !== SMALL_TREE && typeof (row(x, 'memlint')?.cpu ?? row(x, 'memlint')?.wall) === 'number').sort((a, b) => a - b);
    for (let i = 1; i < ns.length; i++) {
      const cost = (x) => row(x, 'memlint').cpu ?? row(x, 'memlint').wall;
      steps.push({ from: ns[i - 1], to: ns[i], normalised: cost(ns[i]) / cost(ns[i - 1]) / (ns[i] / ns[i - 1]) });
    }
    const worst = steps.length ? Math.max(...steps.map((s) => s.normalised)) : null;
    judge('memlint cold cost linear in files: worst step (cpu2/cpu1)/(n2/n1), at most 1.2', worst, (v) => v <= 1.2, steps.map((s) => `${s.from}→${s.to}: ${s.normalised.toFixed(2)}`).join(', '));
  }
  return out;
}

export function report(result) {
  const out = [];
  const m = result.machine;
  out.push(`memlint comparative bench — ${result.date}`);
  out.push(`machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGB} GB, ${m.os}, node ${m.node}; memlint ${m.head}${m.uncommitted.length ? ` (+${m.uncommitted.length} uncommitted under packages/)` : ''}${m.bundle ? ', bundle present' : ''}`);
  out.push(`memlint: ${m.memlint}${m.headAtEnd && m.headAtEnd !== m.head ? ` (HEAD moved to ${m.headAtEnd} during the run${m.memlint.startsWith('live') ? ': the figures mix versions' : ''})` : ''}`);
  out.push(`runs: median of up to ${result.options.runs} (budget ${result.options.budget} s per tool and size); --cache ${result.cacheSupported ? 'supported' : 'not supported yet'}`);
  for (const [era, { sizes }] of Object.entries(result.eras)) {
    const ns = Object.keys(sizes).map(Number).sort((a, b) => a - b);
    const label = era === 'stage' ? 'Stage era' : 'APM v1.0';
    out.push('', `## ${label}: wall median / CPU (user+sys) median / peak RSS median (runs)`, '');
    const tools = TOOLS.filter((t) => ns.some((n) => sizes[n][t]));
    const rows = tools.map((t) => [
      LABELS[t],
      ...ns.map((n) => {
        const r = sizes[n][t];
        if (!r) return '–';
        if (r.na) return r.na;
        return `${fmtS(r.wall)} / ${fmtS(r.cpu)} / ${fmtMB(r.rssMB)} (${r.runs})${r.error ? ` ${r.error.split(':')[0]}!` : ''}`;
      }),
    ]);
    out.push(table(['tool', ...ns.map((n) => `${n.toLocaleString('en-US')} files`)], rows));
    // Ratios per size.
    const ratioRows = [];
    const w = (n, t) => (typeof sizes[n]?.[t]?.wall === 'number' ? sizes[n][t].wall : null);
    const r = (a, b) => (a !== null && b !== null && b > 0 ? a / b : null);
    const big = ns.filter((n) => n !== SMALL_TREE || result.options.sizes.includes(SMALL_TREE));
    const addRatio = (name, f) => ratioRows.push([name, ...big.map((n) => fmtX(f(n)))]);
    addRatio('markdownlint-cli2 / memlint cold', (n) => r(w(n, 'markdownlint-cli2'), w(n, 'memlint')));
    addRatio('remark-frontmatter-schema / memlint cold', (n) => r(w(n, 'remark'), w(n, 'memlint')));
    addRatio('memlint cold / bare parse', (n) => r(w(n, 'memlint'), w(n, 'parse')));
    addRatio('memlint cold / read only', (n) => r(w(n, 'memlint'), w(n, 'read')));
    addRatio('memlint cold / warm (nothing changed)', (n) => r(w(n, 'memlint'), w(n, 'memlint-warm')));
    addRatio('memlint one changed / nothing changed', (n) => r(w(n, 'memlint-changed'), w(n, 'memlint-warm')));
    addRatio(`named file: this tree / ${SMALL_TREE}-file tree (no cache)`, (n) => r(w(n, 'memlint-file'), w(SMALL_TREE, 'memlint-file')));
    addRatio(`named file: this tree / ${SMALL_TREE}-file tree (--cache)`, (n) => r(w(n, 'memlint-file-warm'), w(SMALL_TREE, 'memlint-file-warm')));
    addRatio('named file / whole tree (no cache)', (n) => r(w(n, 'memlint-file'), w(n, 'memlint')));
    const cpuPerK = (n) => {
      const c = sizes[n].memlint?.cpu ?? sizes[n].memlint?.wall;
      return typeof c === 'number' ? c / (n / 1000) : null;
    };
    ratioRows.push(['memlint cold CPU per 1,000 files', ...big.map((n) => fmtS(cpuPerK(n)))]);
    out.push('', table(['ratio (wall)', ...big.map((n) => `${n.toLocaleString('en-US')}`)], ratioRows));
    const found = tools.map((t) => [LABELS[t], ...ns.map((n) => sizes[n][t]?.found ?? sizes[n][t]?.na ?? '–')]);
    out.push('', 'what each tool reported (first run):', '', table(['tool', ...ns.map((n) => `${n}`)], found, ns.length + 1));
    const failed = tools.flatMap((t) => ns.filter((n) => sizes[n][t]?.error).map((n) => `- ${LABELS[t]}, ${n} files: ${sizes[n][t].error}`));
    if (failed.length) out.push('', 'runs that failed (their figures are in the table, marked `exit N!`):', '', ...failed);
  }
  out.push('', '## Targets', '');
  out.push(table(['era', 'target', 'value', 'result'], result.targets.map((t) => [t.era, `${t.name}${t.note ? ` ${t.note.startsWith('(') ? t.note : `[${t.note}]`}` : ''}`, typeof t.value === 'number' ? (/RSS/.test(t.name) ? fmtMB(t.value) : /under 1 s/.test(t.name) ? fmtS(t.value) : /linear/.test(t.name) ? t.value.toFixed(2) : fmtX(t.value)) : '–', t.pass]), 2));
  out.push('', 'The machine is shared: wall times move with other work (load averages are in the JSON); read CPU beside wall, and repeat a borderline result.');
  return `${out.join('\n')}\n`;
}

await runIfMain(import.meta.url, runCompare);
