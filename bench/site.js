// The site benchmark. In one run:
//
//   1. generate a seeded Stage-era memory tree of N markdown files (bench/generate.js) in a temp
//      dir under /tmp;
//   2. set up two Astro projects on the SAME installed astro/starlight, under bench/.work/:
//      - memlint: a fresh copy of site/ (astro.config.mjs, package.json, src/) rendering the tree
//        through @memlint/astro (MEMLINT_MEMORY), with a copy of rules/ beside it as in the repo;
//      - plain: a plain Starlight docs site with the same N pages as .md files (docsLoader);
//   3. cold-build both (no cache dir, no .astro, no outDir), measuring wall time, CPU time and
//      peak memory;
//   4. append a line to one task log and rebuild the memlint site warm (its cache kept);
//   5. start `astro dev` on the memlint project and save that log --dev-saves times (default 10),
//      each time fetching its page until it serves the change (a new line, and on every other save
//      a status memlint reports, or its removal), then --dev-spaced-saves times, --dev-spaced-pause
//      ms (default 8000) after each page served;
//   6. cold-build the memlint site for a tree of --small-files files (default 500);
//   7. print a table, check the targets, and write bench/results/site-<date>.json (and the
//      build logs next to it).
//
//   node bench/site.js [--files 5000] [--seed 1] [--keep] [--diag] [--tmp /tmp] [--work bench/.work]
//                      [--dev-saves 10] [--dev-spaced-saves 5] [--dev-spaced-pause 8000] [--small-files 500]
//
// Targets (from the issues): the memlint cold build is no slower than the plain one
// (memlint/plain <= 1), and in the dev server a save is served within 1.5 s (median). The warm
// static rebuild is reported, with no target (Astro's setup, Vite and Pagefind's full re-index take
// most of it whatever changed).
//
// Why copies and not site/ itself: Astro keeps its caches (data store, incremental build cache) in
// <project>/node_modules/.astro. A benchmark that deletes site/node_modules/.astro would pull it
// from under anyone else building or running the dev server in the repository, so both projects
// get their own node_modules directory holding symlinks to the packages installed for site/ —
// the same files, resolved by Node to the same real paths (checked below), with a cache dir of
// their own. Symlinking node_modules itself would put both caches back into site/node_modules.
// The projects must sit inside the repository: see the note in runSiteBench.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateTree, writePlainPages } from './generate.js';

const repo = path.resolve(import.meta.dirname, '..');
const siteDir = path.join(repo, 'site');
const resultsDir = path.join(repo, 'bench', 'results');

// ---------------------------------------------------------------------------------------------
// Setup

/** node_modules for a temp project: a real directory of symlinks to site/node_modules' entries. */
function linkNodeModules(projectDir, only) {
  const nm = path.join(projectDir, 'node_modules');
  mkdirSync(nm, { recursive: true });
  for (const name of readdirSync(path.join(siteDir, 'node_modules'))) {
    if (name === '.astro' || name === '.vite' || name === '.bin') continue;
    if (only && !only.some((o) => o === name || o.startsWith(`${name}/`))) continue;
    symlinkSync(realpathSync(path.join(siteDir, 'node_modules', name)), path.join(nm, name));
  }
}

/** Where Node resolves a project's packages: the real path of each package's entry module. */
function resolveFrom(projectDir, specifiers) {
  const probe = path.join(projectDir, '.bench-resolve.mjs');
  writeFileSync(probe, `const out = {};\nfor (const s of ${JSON.stringify(specifiers)}) out[s] = import.meta.resolve(s);\nconsole.log(JSON.stringify(out));\n`);
  try {
    const run = spawnSync(process.execPath, [probe], { cwd: projectDir, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`cannot resolve packages from ${projectDir}:\n${run.stderr}`);
    return Object.fromEntries(Object.entries(JSON.parse(run.stdout)).map(([k, v]) => [k, realpathSync(fileURLToPath(v))]));
  } finally {
    rmSync(probe, { force: true });
  }
}

function checkSamePackages(projectDir, specifiers) {
  const theirs = resolveFrom(projectDir, specifiers);
  const ours = resolveFrom(siteDir, specifiers);
  for (const s of specifiers) {
    if (theirs[s] !== ours[s]) throw new Error(`${projectDir} resolves ${s} to ${theirs[s]}, site/ to ${ours[s]}`);
  }
  return theirs;
}

function setupMemlintSite(dir) {
  mkdirSync(dir, { recursive: true });
  for (const name of ['astro.config.mjs', 'package.json', 'src']) cpSync(path.join(siteDir, name), path.join(dir, name), { recursive: true });
  // site/src/content.config.ts reads the rule pages from ../rules.
  cpSync(path.join(repo, 'rules'), path.join(dir, '..', 'rules'), { recursive: true });
  linkNodeModules(dir);
}

function setupPlainSite(dir, treeDir) {
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  // The dependencies matter: Astro bundles (does not externalise) the packages with .astro
  // components it finds among the project's package.json dependencies, Starlight among them.
  const deps = JSON.parse(readFileSync(path.join(siteDir, 'package.json'), 'utf8')).dependencies;
  const pkg = { name: 'plain-starlight-bench', private: true, type: 'module', dependencies: { astro: deps.astro, '@astrojs/starlight': deps['@astrojs/starlight'] } };
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  // A plain docs site: Starlight's defaults, except the sidebar. Left unset, Starlight autogenerates
  // a sidebar listing every page on every page (N² links); the memlint site has a short fixed one.
  writeFileSync(
    path.join(dir, 'astro.config.mjs'),
    `import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';

export default defineConfig({
  site: 'http://localhost:4321',
  integrations: [
    starlight({
      title: 'Plain Starlight',
      sidebar: [{ label: 'Pages', items: [{ label: 'Memory Root', link: '/memory/memory-root/' }, { label: 'Implementation Plan', link: '/implementation-plan/' }] }],
    }),
  ],
});
`,
  );
  writeFileSync(
    path.join(dir, 'src', 'content.config.ts'),
    `import { defineCollection } from 'astro:content';
import { docsLoader } from '@astrojs/starlight/loaders';
import { docsSchema } from '@astrojs/starlight/schema';

export const collections = {
  docs: defineCollection({ loader: docsLoader(), schema: docsSchema() }),
};
`,
  );
  const pages = writePlainPages(treeDir, dir);
  linkNodeModules(dir, ['astro', '@astrojs/starlight', '@astrojs/markdown-remark']);
  return pages;
}

// ---------------------------------------------------------------------------------------------
// Measuring a build

/** Parent pid of every process, from /proc. */
function processTable() {
  const table = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      table.set(Number(name), ppid);
    } catch {
      // gone
    }
  }
  return table;
}

function statusKb(pid, field) {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Samples the process tree under `root` every `ms`: the largest sum of VmRSS over the tree, and
 * the largest VmHWM (a process's own peak) of any process in it.
 */
function pollTree(root, ms = 200) {
  const peak = { treeRssKb: 0, processHwmKb: 0, processes: new Set() };
  const sample = () => {
    const table = processTable();
    const tree = new Set([root]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const [pid, ppid] of table) if (tree.has(ppid) && !tree.has(pid)) (tree.add(pid), (grew = true));
    }
    let sum = 0;
    for (const pid of tree) {
      sum += statusKb(pid, 'VmRSS');
      peak.processHwmKb = Math.max(peak.processHwmKb, statusKb(pid, 'VmHWM'));
      peak.processes.add(pid);
    }
    peak.treeRssKb = Math.max(peak.treeRssKb, sum);
  };
  const timer = setInterval(sample, ms);
  sample();
  return { peak, stop: () => (clearInterval(timer), sample(), peak) };
}

const ansi = /\x1b\[[0-9;]*[A-Za-z]/g;

/**
 * Runs `astro build` in a project with process.execPath, under /usr/bin/time -v when it exists.
 * Resolves with wall time, peak memory and the timestamped log lines.
 */
function astroBuild(projectDir, outDir, env, logFile, extraArgs = []) {
  const astro = path.join(projectDir, 'node_modules', 'astro', 'bin', 'astro.mjs');
  const timeFile = `${logFile}.time`;
  const hasTime = existsSync('/usr/bin/time');
  const node = [process.execPath, astro, 'build', '--outDir', outDir, ...extraArgs];
  const [cmd, ...args] = hasTime ? ['/usr/bin/time', '-v', '-o', timeFile, ...node] : node;
  writeFileSync(logFile, `$ ${[cmd, ...args].join(' ')}\n  (cwd ${projectDir}${env.MEMLINT_MEMORY ? `, MEMLINT_MEMORY=${env.MEMLINT_MEMORY}` : ''})\n`);
  const load0 = round(os.loadavg()[0]);
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, {
      cwd: projectDir,
      env: { ...process.env, ...env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const poll = pollTree(child.pid);
    const lines = [];
    const reader = (stream) => {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        const t = (performance.now() - t0) / 1000;
        const parts = (rest + chunk).split('\n');
        rest = parts.pop();
        for (const raw of parts) {
          const line = raw.replace(ansi, '');
          lines.push({ t, line });
          appendFileSync(logFile, `[${t.toFixed(3).padStart(8)}s] ${line}\n`);
        }
      });
      stream.on('end', () => rest && lines.push({ t: (performance.now() - t0) / 1000, line: rest.replace(ansi, '') }));
    };
    reader(child.stdout);
    reader(child.stderr);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const wall = (performance.now() - t0) / 1000;
      const peak = poll.stop();
      let maxRssKb = null;
      let cpu = null;
      if (hasTime && existsSync(timeFile)) {
        const text = readFileSync(timeFile, 'utf8');
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(text);
        if (m) maxRssKb = Number(m[1]);
        const user = /User time \(seconds\): ([\d.]+)/.exec(text);
        const sys = /System time \(seconds\): ([\d.]+)/.exec(text);
        if (user && sys) cpu = { userSeconds: Number(user[1]), systemSeconds: Number(sys[1]) };
        appendFileSync(logFile, `\n--- /usr/bin/time -v\n${readFileSync(timeFile, 'utf8')}`);
        rmSync(timeFile, { force: true });
      }
      if (code !== 0) {
        reject(new Error(`astro build in ${projectDir} failed (${signal ?? `exit ${code}`}); log: ${logFile}\n${lines.slice(-25).map((l) => l.line).join('\n')}`));
        return;
      }
      resolve({
        wallSeconds: round(wall),
        // CPU time of the build's processes (from /usr/bin/time): less sensitive than wall time to
        // other work on the machine, which loadAverage (before → after) shows.
        cpu,
        loadAverage: { before: load0, after: round(os.loadavg()[0]) },
        // The largest resident set of any one process of the build (the astro node process):
        // /usr/bin/time's "Maximum resident set size", else the largest VmHWM seen in /proc.
        peakRssMb: round((maxRssKb ?? peak.processHwmKb) / 1024, 1),
        peakRssSource: maxRssKb !== null ? '/usr/bin/time -v' : '/proc VmHWM',
        // The largest sum of VmRSS over the whole process tree (node, pagefind, …), sampled every 200 ms.
        peakTreeRssMb: round(peak.treeRssKb / 1024, 1),
        phases: phases(lines, wall),
        logFile: path.relative(repo, logFile),
      });
    });
  });
}

const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** `astro dev` on a project; resolves once it serves, with its URL and a stop(). */
function astroDev(projectDir, env, logFile) {
  const astro = path.join(projectDir, 'node_modules', 'astro', 'bin', 'astro.mjs');
  writeFileSync(logFile, `$ node ${astro} dev --host 127.0.0.1 --port 0\n  (cwd ${projectDir}${env.MEMLINT_MEMORY ? `, MEMLINT_MEMORY=${env.MEMLINT_MEMORY}` : ''})\n`);
  const t0 = performance.now();
  const child = spawn(process.execPath, [astro, 'dev', '--host', '127.0.0.1', '--port', '0'], {
    cwd: projectDir,
    env: { ...process.env, ...env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const onData = (chunk) => {
    const line = String(chunk).replace(ansi, '');
    text += line;
    appendFileSync(logFile, `[${((performance.now() - t0) / 1000).toFixed(3).padStart(8)}s] ${line.trimEnd()}\n`);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(text);
      if (m) {
        clearInterval(timer);
        resolve({ url: m[1], stop, startSeconds: round((performance.now() - t0) / 1000) });
      } else if (performance.now() - t0 > 300_000) {
        clearInterval(timer);
        void stop();
        reject(new Error(`astro dev did not start within 300 s; log: ${logFile}`));
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`astro dev exited (${code}); log: ${logFile}`));
    });
  });
}

/**
 * In the dev server: `saves` times, a change to one log is saved and its page fetched (every
 * 25 ms) until it serves that change — a new line in the log, and on every other save a status
 * memlint reports (its finding on the page) or its removal — then `pauseMs` before the next save.
 * Returns the time of each, from the write to the first response that has it.
 */
async function devSaveToServe(pageUrl, file, saves, pauseMs = 300) {
  const original = readFileSync(file, 'utf8');
  const fetchText = async () => {
    const response = await fetch(pageUrl);
    return response.ok ? response.text() : '';
  };
  // The first request renders the page (and compiles what it needs): not a save's cost.
  for (let i = 0; i < 3; i++) await fetchText();
  const times = [];
  try {
    for (let i = 1; i <= saves; i++) {
      const marker = `dev-edit-${i}-${Date.now()}`;
      const broken = i % 2 === 1;
      const text = (broken ? original.replace(/^status: .*$/m, 'status: Sucess') : original) + `\n- ${marker}\n`;
      const t0 = performance.now();
      writeFileSync(file, text);
      for (;;) {
        const html = await fetchText();
        if (html.includes(marker) && html.includes('Sucess') === broken) break;
        if (performance.now() - t0 > 60_000) throw new Error(`the dev server did not serve save ${i} within 60 s (${pageUrl})`);
        await new Promise((r) => setTimeout(r, 25));
      }
      times.push(round(performance.now() - t0, 0));
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  } finally {
    writeFileSync(file, original);
  }
  return times;
}

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * The phases of an Astro build, from the times its log lines arrived. Each phase runs from its
 * marker to the next one found:
 *   startup  — node, Astro and the config, until the content layer starts;
 *   content  — content sync: every loader (memlint's lint + render of the whole tree included);
 *   setup    — types and build info;
 *   vite     — the Vite/Rolldown bundle;
 *   render   — generating (or restoring) the static pages;
 *   pagefind — Starlight's search index over the whole output;
 *   finish   — the sitemap and the rest, until the process exits.
 */
export function phases(lines, wall) {
  const markers = [
    ['content', (l) => /\[content\] Syncing content/.test(l)],
    ['setup', (l) => /\[content\] Synced content/.test(l)],
    ['vite', (l) => /\[build\] Building static entrypoints/.test(l)],
    ['render', (l) => /generating static routes/.test(l)],
    ['pagefind', (l) => /\[starlight:pagefind\] Building search index/.test(l)],
    ['finish', (l) => /\[starlight:pagefind\] Finished building search index/.test(l)],
  ];
  const at = { startup: 0 };
  for (const { t, line } of lines) {
    for (const [name, test] of markers) if (at[name] === undefined && test(line)) at[name] = t;
  }
  const found = Object.entries(at).sort((a, b) => a[1] - b[1]);
  const out = {};
  for (const [i, [name, t]] of found.entries()) out[name] = round((found[i + 1]?.[1] ?? wall) - t);
  // The memlint loaders log one line each, all at once when the history is built: the content
  // sync until the first of them is (about) the time to read, lint and render the tree.
  const first = lines.find((l) => /\[memlint-[a-z]+\]/.test(l.line));
  if (first && at.content !== undefined) out.untilMemlintLoaders = round(first.t - at.content);
  // Pages by the first segment of their URL: how many were rendered, the sum of the "(+12ms)"
  // Astro prints for each, and how many an incremental build restored from its cache.
  const groups = {};
  for (const { line } of lines) {
    const m = /[├└]─ \/([^/\s]*)(\S*)\s*(?:\(\+(\d+(?:\.\d+)?)(ms|s)\)|\((restored)\))?/.exec(line);
    if (!m) continue;
    const key = m[2] ? m[1] : '(top level)';
    const g = (groups[key] ??= { rendered: 0, renderSeconds: 0, restored: 0 });
    if (m[5]) g.restored += 1;
    else {
      g.rendered += 1;
      if (m[3]) g.renderSeconds += (Number(m[3]) * (m[4] === 's' ? 1000 : 1)) / 1000;
    }
  }
  for (const g of Object.values(groups)) g.renderSeconds = round(g.renderSeconds);
  if (Object.keys(groups).length) out.pages = groups;
  return out;
}

/** An Astro config for --diag: the site's own, plus an integration dumping module hashes. */
function writeDiagConfig(projectDir) {
  const file = path.join(projectDir, 'astro.config.bench-diag.mjs');
  writeFileSync(
    file,
    `import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import base from './astro.config.mjs';

const plugin = {
  name: 'bench-diag',
  enforce: 'post',
  generateBundle() {
    if (this.environment?.name !== 'prerender' || !process.env.BENCH_DIAG_OUT) return;
    const out = {};
    for (const id of [...this.getModuleIds()].sort()) {
      const info = this.getModuleInfo(id);
      out[id] = { sha1: info?.code == null ? null : createHash('sha1').update(info.code).digest('hex'), length: info?.code?.length ?? 0, kind: info?.meta?.astroIncremental?.kind ?? null };
    }
    writeFileSync(process.env.BENCH_DIAG_OUT, JSON.stringify(out, null, 1));
  },
};
const diag = { name: 'bench-diag', hooks: { 'astro:config:setup': ({ updateConfig }) => updateConfig({ vite: { plugins: [plugin] } }) } };
export default { ...base, integrations: [...base.integrations, diag] };
`,
  );
  return path.basename(file);
}

/**
 * The sources a build of the memlint site depends on, by path → size and mtime. Others may edit
 * the repository while the benchmark runs; a change between the cold and the warm build
 * invalidates every page of the incremental cache, so the run reports it.
 */
function sourceState() {
  const state = {};
  const visit = (d) => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name === 'dist' || e.name === '.astro') continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) visit(p);
      else {
        const st = statSync(p);
        state[path.relative(repo, p)] = `${st.size}:${st.mtimeMs}`;
      }
    }
  };
  for (const d of ['packages/astro/src', 'packages/core/src', 'packages/astro/package.json', 'packages/core/package.json', 'site/src', 'site/astro.config.mjs', 'site/package.json', 'rules', 'pnpm-lock.yaml']) {
    const p = path.join(repo, d);
    if (existsSync(p) && statSync(p).isFile()) {
      const st = statSync(p);
      state[d] = `${st.size}:${st.mtimeMs}`;
    } else visit(p);
  }
  return state;
}

function changedBetween(a, b) {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]).sort();
}

function gitState() {
  const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).stdout?.trim() || null;
  const dirty = (spawnSync('git', ['status', '--porcelain', '--', 'packages', 'site', 'rules'], { cwd: repo, encoding: 'utf8' }).stdout ?? '')
    .split('\n')
    .filter(Boolean);
  return { head, dirty };
}

function countHtml(dir) {
  let n = 0;
  const visit = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) visit(path.join(d, e.name));
      else if (e.name.endsWith('.html')) n += 1;
    }
  };
  if (existsSync(dir)) visit(dir);
  return n;
}

function clean(projectDir, outDir) {
  for (const p of [path.join(projectDir, 'node_modules', '.astro'), path.join(projectDir, '.astro'), outDir]) rmSync(p, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------

export async function runSiteBench(argv = process.argv.slice(2)) {
  const { values } = parseArgs({
    args: argv,
    options: {
      files: { type: 'string', default: '5000' },
      seed: { type: 'string', default: '1' },
      keep: { type: 'boolean', default: false },
      // Diagnostics for the incremental build: the memlint project is built with an extra
      // integration that dumps a hash of every bundled module (bench/results/*-modules.json),
      // and the incremental-build manifest is saved after each memlint build.
      diag: { type: 'boolean', default: false },
      tmp: { type: 'string', default: os.tmpdir() },
      work: { type: 'string', default: path.join(repo, 'bench', '.work') },
      // Saves measured in the dev server (0: no dev phase), and the size of the small cold build (0: none).
      'dev-saves': { type: 'string', default: '10' },
      // Saves far apart after those (the data store saved and loaded again between two; reported),
      // and the pause after each page served (2200 puts each save in the store's save and reload).
      'dev-spaced-saves': { type: 'string', default: '5' },
      'dev-spaced-pause': { type: 'string', default: '8000' },
      'small-files': { type: 'string', default: '500' },
    },
  });
  const files = Number(values.files);
  const seed = Number(values.seed);
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 12)) throw new Error(`Node ${process.versions.node}: run through pnpm (pnpm bench), which uses the project's Node 22`);
  if (!existsSync(path.join(siteDir, 'node_modules', 'astro'))) throw new Error('site/node_modules/astro is missing: run pnpm install');

  const stamp = new Date().toISOString().replace(/:/g, '-').replace(/\..*/, '');
  mkdirSync(resultsDir, { recursive: true });
  // The memory tree goes to a temp dir; the two Astro projects must live inside the repository
  // (bench/.work/, gitignored): Astro 7's Vite plugin takes a module under /work/main/node_modules
  // for a root-relative URL when the project root lies outside the workspace (a /tmp project fails
  // with 'No cached compile metadata found for …/Page.astro?astro&type=style').
  const tmp = mkdtempSync(path.join(values.tmp, 'memlint-bench-'));
  mkdirSync(values.work, { recursive: true });
  const work = mkdtempSync(path.join(values.work, 'site-'));
  const say = (s) => process.stdout.write(`${s}\n`);
  say(`site benchmark: ${files} files, seed ${seed}; tree in ${tmp}, projects in ${path.relative(repo, work)}`);

  const tree = path.join(tmp, 'memory');
  const memlintSite = path.join(work, 'memlint-site');
  const plainSite = path.join(work, 'plain-site');
  const memlintDist = path.join(work, 'dist-memlint');
  const plainDist = path.join(work, 'dist-plain');

  try {
    const source0 = sourceState();
    const git = gitState();
    let t = performance.now();
    const generated = generateTree(tree, { files, seed });
    say(`  generated ${generated.files.length} markdown files (${generated.taskLogs.length} task logs) in ${Math.round(performance.now() - t)} ms`);
    t = performance.now();
    setupMemlintSite(memlintSite);
    const plainPages = setupPlainSite(plainSite, tree);
    const specifiers = ['astro', '@astrojs/starlight', '@astrojs/starlight/loaders'];
    const resolved = checkSamePackages(plainSite, specifiers);
    checkSamePackages(memlintSite, [...specifiers, '@memlint/astro']);
    say(`  two projects set up in ${Math.round(performance.now() - t)} ms; both resolve astro to ${path.relative(repo, resolved.astro)}`);

    const log = (name) => path.join(resultsDir, `site-${stamp}-${name}.log`);
    const memEnv = { MEMLINT_MEMORY: tree };
    const diagArgs = values.diag ? ['--config', writeDiagConfig(memlintSite)] : [];
    const diagEnv = (name) => (values.diag ? { BENCH_DIAG_OUT: path.join(resultsDir, `site-${stamp}-${name}-modules.json`) } : {});
    const saveManifest = (name) => {
      const manifest = path.join(memlintSite, 'node_modules', '.astro', 'incremental-build.json');
      if (values.diag && existsSync(manifest)) cpSync(manifest, path.join(resultsDir, `site-${stamp}-${name}-incremental.json`));
    };

    // Cold builds. memlint first: it pays for the first read of the installed packages from disk,
    // which can only make it look slower, not faster.
    clean(memlintSite, memlintDist);
    say('  cold build: memlint site …');
    const memlintCold = await astroBuild(memlintSite, memlintDist, { ...memEnv, ...diagEnv('memlint-cold') }, log('memlint-cold'), diagArgs);
    saveManifest('memlint-cold');
    memlintCold.pages = countHtml(memlintDist);
    say(`    ${memlintCold.wallSeconds} s, ${memlintCold.pages} pages, peak ${memlintCold.peakRssMb} MB`);

    clean(plainSite, plainDist);
    say('  cold build: plain Starlight site …');
    const plainCold = await astroBuild(plainSite, plainDist, {}, log('plain-cold'));
    plainCold.pages = countHtml(plainDist);
    say(`    ${plainCold.wallSeconds} s, ${plainCold.pages} pages, peak ${plainCold.peakRssMb} MB`);

    // One changed log, then a warm rebuild of the memlint site (cache and outDir kept).
    const changed = generated.taskLogs[Math.floor(generated.taskLogs.length / 2)];
    const marker = `Benchmark edit ${stamp}: one line appended to this log.`;
    appendFileSync(path.join(tree, changed), `\n- ${marker}\n`);
    say(`  warm rebuild: memlint site after appending a line to ${changed} …`);
    const memlintWarm = await astroBuild(memlintSite, memlintDist, { ...memEnv, ...diagEnv('memlint-warm') }, log('memlint-warm'), diagArgs);
    saveManifest('memlint-warm');
    memlintWarm.pages = countHtml(memlintDist);
    const changedPageHasEdit = grepDist(memlintDist, marker);
    say(`    ${memlintWarm.wallSeconds} s, ${memlintWarm.pages} pages, peak ${memlintWarm.peakRssMb} MB; edit visible in ${changedPageHasEdit.join(', ') || 'NO page'}`);

    // The dev server: save → the page serves the change, its findings included.
    const devSaves = Number(values['dev-saves']);
    let dev = null;
    if (devSaves > 0) {
      say(`  dev server: ${devSaves} saves of ${changed} …`);
      const server = await astroDev(memlintSite, memEnv, log('memlint-dev'));
      try {
        const page = changedPageHasEdit[0] ?? null;
        if (!page) throw new Error('the changed log has no page in the build: nothing to fetch in the dev server');
        // Saves in a burst (300 ms after each page served): the target's figure.
        const times = await devSaveToServe(`${server.url}${page}`, path.join(tree, changed), devSaves);
        dev = { startSeconds: server.startSeconds, page, saveToServeMs: times, medianMs: median(times), maxMs: Math.max(...times) };
        say(`    started in ${server.startSeconds} s; save → served: median ${dev.medianMs} ms, max ${dev.maxMs} ms (${times.join(', ')})`);
        // Saves far apart: between two, the loader puts the save into Astro's data store (2 s after
        // it), Astro saves it and the server loads it again. Reported, no target.
        const spacedSaves = Number(values['dev-spaced-saves']);
        if (spacedSaves > 0) {
          const pauseMs = Number(values['dev-spaced-pause']);
          const spaced = await devSaveToServe(`${server.url}${page}`, path.join(tree, changed), spacedSaves, pauseMs);
          dev.spaced = { pauseMs, saveToServeMs: spaced, medianMs: median(spaced), maxMs: Math.max(...spaced) };
          say(`    saves ${pauseMs} ms apart: median ${dev.spaced.medianMs} ms, max ${dev.spaced.maxMs} ms (${spaced.join(', ')})`);
        }
      } finally {
        await server.stop();
      }
    }

    // A cold build of a small tree, for scale.
    const smallFiles = Number(values['small-files']);
    let small = null;
    if (smallFiles > 0) {
      const smallTree = path.join(tmp, 'memory-small');
      const smallGenerated = generateTree(smallTree, { files: smallFiles, seed });
      clean(memlintSite, memlintDist);
      say(`  cold build: memlint site, ${smallGenerated.files.length} files …`);
      small = await astroBuild(memlintSite, memlintDist, { MEMLINT_MEMORY: smallTree }, log('memlint-small-cold'));
      small.files = smallGenerated.files.length;
      small.pages = countHtml(memlintDist);
      say(`    ${small.wallSeconds} s, ${small.pages} pages, peak ${small.peakRssMb} MB`);
    }

    const changedDuringRun = changedBetween(source0, sourceState());
    if (changedDuringRun.length) say(`  WARNING: the memlint site's sources changed during the run (${changedDuringRun.length} files, e.g. ${changedDuringRun[0]}); the warm build could not reuse pages built from the old ones`);
    const ratio = round(memlintCold.wallSeconds / plainCold.wallSeconds, 3);
    const warmRatio = round(memlintWarm.wallSeconds / memlintCold.wallSeconds, 3);
    const result = {
      benchmark: 'site',
      date: new Date().toISOString(),
      files,
      seed,
      tree: { markdownFiles: generated.files.length, taskLogs: generated.taskLogs.length, sizes: generated.sizes, bytes: dirBytes(tree) },
      plainPagesWritten: plainPages,
      machine: { node: process.versions.node, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGb: round(os.totalmem() / 2 ** 30, 1), platform: `${os.platform()} ${os.release()}` },
      packages: { astro: version('astro'), starlight: version('@astrojs/starlight') },
      source: { ...git, changedDuringRun },
      builds: { memlintCold, plainCold, memlintWarm, ...(small ? { memlintSmallCold: small } : {}) },
      dev,
      changedLog: changed,
      editVisibleIn: changedPageHasEdit,
      ratios: { memlintOverPlain: ratio, warmOverCold: warmRatio },
      targets: {
        coldNoSlowerThanPlain: { target: 'memlint cold / plain cold <= 1.0', value: ratio, pass: ratio <= 1 },
        ...(dev ? { devSaveToServe: { target: 'dev server, save → page served, median < 1500 ms', value: dev.medianMs, pass: dev.medianMs < 1500 } } : {}),
      },
    };
    const json = path.join(resultsDir, `site-${stamp}.json`);
    writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
    say('');
    say(table(result));
    say('');
    say(`results: ${path.relative(process.cwd(), json)} (build logs beside it)`);
    if (values.keep) say(`kept: ${tmp} and ${work}`);
    return result;
  } finally {
    if (!values.keep) for (const d of [tmp, work]) rmSync(d, { recursive: true, force: true });
  }
}

function grepDist(dist, needle) {
  const hits = [];
  const visit = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.name.endsWith('.html') && readFileSync(p, 'utf8').includes(needle)) hits.push(`/${path.relative(dist, path.dirname(p))}/`);
    }
  };
  visit(dist);
  return hits;
}

function dirBytes(dir) {
  let n = 0;
  const visit = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) visit(p);
      else n += statSync(p).size;
    }
  };
  visit(dir);
  return n;
}

function version(pkg) {
  try {
    return JSON.parse(readFileSync(path.join(siteDir, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

function table(r) {
  const { memlintCold: m, plainCold: p, memlintWarm: w } = r.builds;
  const cpu = (b) => (b.cpu ? `${(b.cpu.userSeconds + b.cpu.systemSeconds).toFixed(1)} s` : '-');
  const row = (name, b) => [name, `${b.wallSeconds.toFixed(1)} s`, cpu(b), `${b.peakRssMb} MB`, `${b.peakTreeRssMb} MB`, String(b.pages), `${b.loadAverage.before} → ${b.loadAverage.after}`];
  const rows = [['', 'wall', 'cpu', 'peak RSS', 'tree RSS', 'pages', 'load avg'], row('memlint cold', m), row('plain cold', p), row('memlint warm', w)];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const fmt = (row) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('   ');
  const t = r.targets;
  const phaseRow = (name, b) =>
    `${name.padEnd(widths[0])}   ${['startup', 'content', 'setup', 'vite', 'render', 'pagefind', 'finish'].map((k) => `${k} ${b.phases[k]?.toFixed(1) ?? '-'}`).join(' · ')}`;
  return [
    `site benchmark, ${r.files} memory files (${r.tree.taskLogs} task logs), astro ${r.packages.astro}, starlight ${r.packages.starlight}, node ${r.machine.node}, ${r.machine.cpus} CPUs`,
    '',
    fmt(rows[0]),
    ...rows.slice(1).map(fmt),
    '',
    phaseRow('memlint cold', m),
    phaseRow('plain cold', p),
    phaseRow('memlint warm', w),
    `(seconds; memlint's content sync until its loaders report: cold ${m.phases.untilMemlintLoaders ?? '-'} s, warm ${w.phases.untilMemlintLoaders ?? '-'} s)`,
    `pages restored by the warm build: ${Object.values(w.phases.pages ?? {}).reduce((n, g) => n + g.restored, 0)} of ${w.pages}`,
    '',
    `memlint / plain (cold)     ${r.ratios.memlintOverPlain.toFixed(2)}   target <= 1.00   ${t.coldNoSlowerThanPlain.pass ? 'PASS' : 'FAIL'}`,
    `warm / cold (memlint)      ${r.ratios.warmOverCold.toFixed(2)}   (reported; no target)`,
    ...(r.dev ? [`dev save → served, median ${String(r.dev.medianMs).padStart(5)} ms   target < 1500 ms   ${t.devSaveToServe.pass ? 'PASS' : 'FAIL'}   (max ${r.dev.maxMs} ms, ${r.dev.saveToServeMs.length} saves; dev server up in ${r.dev.startSeconds} s)`] : []),
    ...(r.dev?.spaced ? [`dev, saves ${r.dev.spaced.pauseMs} ms apart, median ${String(r.dev.spaced.medianMs).padStart(5)} ms   (reported; max ${r.dev.spaced.maxMs} ms, ${r.dev.spaced.saveToServeMs.length} saves)`] : []),
    ...(r.builds.memlintSmallCold ? [`small tree cold build        ${r.builds.memlintSmallCold.wallSeconds.toFixed(1)} s for ${r.builds.memlintSmallCold.files} files (${r.builds.memlintSmallCold.pages} pages, peak ${r.builds.memlintSmallCold.peakRssMb} MB)`] : []),
    `peak RSS: largest process (${m.peakRssSource}); tree RSS: sum over the build's processes, sampled every 200 ms; cpu: user + system`,
    ...(r.source.changedDuringRun.length ? [`WARNING: ${r.source.changedDuringRun.length} source files changed during the run: the warm figure is not a valid incremental rebuild`] : []),
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runSiteBench().catch((error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  });
}
