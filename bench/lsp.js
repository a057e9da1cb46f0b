// The language server bench: memlint-language-server as an editor runs it, a child process spoken
// to over stdio, in a generated workspace.
//
//   pnpm bench lsp [options]             (bench/run.js dispatches here; also `pnpm bench:lsp`)
//   node bench/lsp.js [--files 2000] [--era stage,v1] [--edits 50] [--cross-edits N]
//                     [--debounce 200] [--seed 1] [--timeout 60] [--out <file>] [--cpu-prof]
//                     [--from-source] [--node-args='<flags>'] [--keep]
//
// Per era (Stage era, APM v1.0; both by default, `--era stage` or `--era v1` for one) it generates
// a seeded, clean tree of --files markdown files (bench/generate.js) in a temp dir and:
//
//   1. cold: spawns `node packages/language-server/bin/memlint-language-server.js --stdio` (the
//      project's Node binary itself, so the pid is the server's), cwd the tree; `initialize` with
//      the tree as the workspace folder and initializationOptions.debounceMs = --debounce, then
//      `initialized`, then didOpen of the first task log whose status is Success; the time from
//      the spawn and from the didOpen to the first publishDiagnostics for that file;
//   2. same-file edits: --edits didChange notifications (full text) of that buffer, one at a time,
//      alternately `status: Sucess` (a frontmatter-schema finding) and back to `status: Success`
//      (the cold set again). Each waits for the publishDiagnostics that carries the buffer's new
//      version and checks it holds the expected set; its latency after the debounce is
//      arrival - (send + debounce);
//   3. cross-file edits: didOpen of a worker's first handoff log (its chain has a second one),
//      then --cross-edits edits of that buffer that renumber it (handoff 1 -> 99) and back, each
//      waiting for the next handoff's diagnostics (that file is not open) to gain or lose the
//      handoff-chain-continuity finding; latency measured the same way;
//   4. memory: VmHWM (peak resident set) and VmRSS of the server process from /proc/<pid>/status
//      at the end, before shutdown; RSS after the cold open too.
//
// The server's own account of each lint (its `linted N file(s) … in X ms` log message) is kept
// beside each edit, so the latency splits into the lint and everything else.
//
// Targets (per era): cold didOpen -> first diagnostics at most 1.5 s; edit latency after the
// debounce, median at most 50 ms (same-file and cross-file, each judged); server peak memory
// (VmHWM) under 250 MB. p95 is the nearest-rank percentile (the ceil(0.95 n)-th smallest).
//
// --cpu-prof runs the server under `node --cpu-prof` and, after the run, prints the top functions
// by self time and by total (inclusive) time for each phase (cold, same-file edits, cross-file
// edits), from the samples whose timestamps fall in the phase (V8 profile timestamps and this
// process's hrtime are the same monotonic clock on Linux). The .cpuprofile files are kept beside
// the JSON.
//
// --from-source runs the TypeScript sources (MEMLINT_FROM_SOURCE=1) instead of the bundle the bin
// picks when it is current; --node-args passes flags to the server's node (e.g.
// --node-args=--max-old-space-size=128, to see what a heap cap does to memory and latency).
//
// Output: a table per era and the targets with PASS/FAIL on stdout, and the JSON (options, machine,
// every edit's timings, the logs' lint times, memory) in bench/results/lsp-<date>.json or --out.
// The exit status says whether the bench worked (the server answered everything, with the expected
// diagnostics), not whether the targets passed.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { machineInfo, median, projectNode, runIfMain, table, usage } from './common.js';
import { generateEra } from './generate.js';

const repo = path.resolve(import.meta.dirname, '..');
const resultsDir = path.join(repo, 'bench', 'results');
const serverBin = path.join(repo, 'packages', 'language-server', 'bin', 'memlint-language-server.js');
const ERAS = ['stage', 'v1'];
const ERA_LABELS = { stage: 'Stage era', v1: 'APM v1.0' };

const TARGETS = { coldMs: 1500, editMedianMs: 50, memoryMB: 250 };

// ---------------------------------------------------------------------------------------------
// Options

const text = (fallback) => ({ type: 'string', ...(fallback === undefined ? {} : { default: fallback }) });
const flag = { type: 'boolean', default: false };
const OPTIONS = {
  files: text('2000'),
  era: text('stage,v1'),
  edits: text('50'),
  'cross-edits': text(),
  debounce: text('200'),
  seed: text('1'),
  timeout: text('60'),
  out: text(),
  'cpu-prof': flag,
  'from-source': flag,
  'node-args': text(''),
  keep: flag,
  help: { ...flag, short: 'h' },
};

function parseOptions(argv) {
  const { values } = parseArgs({ args: argv, options: OPTIONS });
  if (values.help) return { help: true };
  const whole = (name, s, min) => {
    const n = Number(String(s).replace(/[_,]/g, ''));
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name}: expected a whole number of at least ${min}, got ${s}`);
    return n;
  };
  const eras = values.era.split(',').map((e) => e.trim()).filter(Boolean);
  if (!eras.length) throw new Error('--era: expected stage, v1 or stage,v1');
  for (const e of eras) if (!ERAS.includes(e)) throw new Error(`--era: unknown era ${e} (stage, v1)`);
  const edits = whole('edits', values.edits, 1);
  const timeout = Number(values.timeout);
  if (!(timeout > 0)) throw new Error(`--timeout: expected seconds, got ${values.timeout}`);
  return {
    files: whole('files', values.files, 20),
    eras: ERAS.filter((e) => eras.includes(e)),
    edits,
    crossEdits: values['cross-edits'] === undefined ? edits : whole('cross-edits', values['cross-edits'], 1),
    debounceMs: whole('debounce', values.debounce, 0),
    seed: whole('seed', values.seed, 0),
    timeoutMs: timeout * 1000,
    out: values.out ? path.resolve(values.out) : null,
    cpuProf: values['cpu-prof'],
    fromSource: values['from-source'],
    nodeArgs: values['node-args'].split(/\s+/).filter(Boolean),
    keep: values.keep,
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Milliseconds on the monotonic clock (the one V8's profile timestamps use). */
const now = () => Number(process.hrtime.bigint()) / 1e6;

/** Nearest-rank percentile: the ceil(p n)-th smallest. */
const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.max(0, Math.ceil(p * s.length) - 1)] : null;
};
const stats = (xs) => (xs.length ? { n: xs.length, median: median(xs), p95: percentile(xs, 0.95), max: Math.max(...xs), min: Math.min(...xs) } : null);

/** VmHWM and VmRSS of a process, in MB (Linux). */
function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => {
      const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
      return m ? Number(m[1]) / 1024 : null;
    };
    return { hwmMB: kb('VmHWM'), rssMB: kb('VmRSS') };
  } catch {
    return { hwmMB: null, rssMB: null };
  }
}

/**
 * What the bin will run: the bundle (dist/server.cjs) when it is built and none of the files it
 * lists in dist/inputs.json is newer, else the TypeScript sources (the bin's own rule; --from-source
 * forces the sources).
 */
function serverBuild(opts) {
  const pkg = path.dirname(path.dirname(serverBin));
  const bundle = path.join(pkg, 'dist', 'server.cjs');
  if (opts.fromSource) return { runs: 'sources (MEMLINT_FROM_SOURCE=1)' };
  try {
    const recorded = JSON.parse(readFileSync(path.join(pkg, 'dist', 'inputs.json'), 'utf8'));
    const stale = recorded.inputs.filter((f) => (statSync(path.join(pkg, f), { throwIfNoEntry: false })?.mtimeMs ?? 0) > recorded.builtAt);
    if (stale.length || !existsSync(bundle)) return { runs: `sources (the bundle is stale: ${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ', …' : ''})` };
    return { runs: 'bundle (dist/server.cjs)', bundleDigest: createHash('sha256').update(readFileSync(bundle)).digest('hex').slice(0, 12) };
  } catch {
    return { runs: 'sources (no bundle)' };
  }
}

/** The file, the texts and the finding the same-file edits toggle: a task log's status. */
function statusToggle(tree, generated) {
  for (const rel of generated.taskLogs) {
    const file = path.join(tree, rel);
    const text = readFileSync(file, 'utf8');
    if (/^status: Success$/m.test(text)) {
      return { file, clean: text, broken: text.replace(/^status: Success$/m, 'status: Sucess'), rule: 'frontmatter-schema' };
    }
  }
  throw new Error('no task log with `status: Success` in the generated tree');
}

/** A worker's first handoff log and the next one in its chain: renumbering the first breaks the second's continuity. */
function handoffToggle(tree, generated, era) {
  const pattern = era === 'stage' ? /^(.*\/Agent_[A-Za-z]+_Handoffs\/Agent_[A-Za-z]+_Handoff_Log_)1\.md$/ : /^(.*\/handoffs\/[a-z]+-agent\/handoff-)01\.log\.md$/;
  const key = era === 'stage' ? 'handoff_number' : 'handoff';
  for (const rel of generated.files) {
    const m = pattern.exec(rel);
    if (!m) continue;
    const next = era === 'stage' ? `${m[1]}2.md` : `${m[1]}02.log.md`;
    if (!generated.files.includes(next)) continue;
    const file = path.join(tree, rel);
    const text = readFileSync(file, 'utf8');
    const line = new RegExp(`^${key}: 1$`, 'm');
    if (!line.test(text)) continue;
    return { file, other: path.join(tree, next), clean: text, broken: text.replace(line, `${key}: 99`), rule: 'handoff-chain-continuity' };
  }
  throw new Error('no worker handoff chain of two or more logs in the generated tree');
}

// ---------------------------------------------------------------------------------------------
// The client

function startServer(node, tree, opts, profDir) {
  const args = [...opts.nodeArgs, ...(profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : []), serverBin, '--stdio'];
  const spawnedAt = now();
  const env = { ...process.env, NO_COLOR: '1' };
  if (opts.fromSource) env.MEMLINT_FROM_SOURCE = '1';
  const child = spawn(node, args, { cwd: tree, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b) => (stderr += b.toString()));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiters = [];
  const lints = [];
  let exited = null;
  const failAll = (why) => {
    for (const w of waiters.splice(0)) w.reject(new Error(why));
  };
  child.on('exit', (code, signal) => {
    exited = { code, signal };
    failAll(`the server exited (${signal ?? code}); stderr: ${stderr.slice(-2000)}`);
  });
  connection.onNotification('textDocument/publishDiagnostics', (p) => {
    const at = now();
    for (const w of [...waiters]) {
      if (w.uri === p.uri && w.test(p)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve({ at, params: p });
      }
    }
  });
  connection.onNotification('window/logMessage', (p) => {
    const m = /linted (\d+) file\(s\) of .* in (\d+) ms/.exec(p.message ?? '');
    if (!m) return;
    // Newer servers add `(heap U of T MB, rss R MB)`.
    const heap = /heap (\d+) of (\d+) MB/.exec(p.message);
    lints.push({ at: now(), files: Number(m[1]), ms: Number(m[2]), ...(heap ? { heapUsedMB: Number(heap[1]), heapTotalMB: Number(heap[2]) } : {}) });
  });
  connection.onNotification('window/showMessage', () => {});
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/showMessageRequest', () => null);
  connection.onRequest('workspace/configuration', (p) => (p.items ?? []).map(() => null));
  connection.listen();
  return {
    child,
    connection,
    spawnedAt,
    lints,
    stderr: () => stderr,
    exited: () => exited,
    /** The first publishDiagnostics for the URI (from now on) that passes the test. */
    wait(uri, test, what) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(entry), 1);
          reject(new Error(`no ${what} within ${opts.timeoutMs / 1000} s; stderr: ${stderr.slice(-2000)}`));
        }, opts.timeoutMs);
        const entry = { uri, test, resolve: (r) => (clearTimeout(timer), resolve(r)), reject: (e) => (clearTimeout(timer), reject(e)) };
        if (exited) return entry.reject(new Error(`the server has exited (${exited.signal ?? exited.code})`));
        waiters.push(entry);
      });
    },
    /** The server's first lint log received at or after `since` (it follows that lint's diagnostics), waiting a little for it. */
    async lintAfter(since) {
      for (let i = 0; i < 50; i++) {
        const found = lints.find((l) => l.at >= since);
        if (found) return found;
        await new Promise((r) => setTimeout(r, 10));
      }
      return null;
    },
    async stop() {
      try {
        await withTimeout(connection.sendRequest('shutdown'), 5000, () => 'no shutdown answer').catch(() => {});
        connection.sendNotification('exit');
      } catch {
        // gone already
      }
      await new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => (child.kill('SIGKILL'), resolve()), 10_000);
        child.on('exit', () => (clearTimeout(timer), resolve()));
      });
      connection.dispose();
    },
  };
}

const uriOf = (file) => pathToFileURL(file).href;

/** The promise, or a rejection after `ms` (the timer cleared either way, so it keeps nothing alive). */
function withTimeout(promise, ms, message) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
const codes = (p) => p.diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`).sort().join(',');
const hasRule = (p, rule) => p.diagnostics.some((d) => d.code === rule);

// ---------------------------------------------------------------------------------------------
// One era

async function runEra(era, node, work, opts, log) {
  const tree = path.join(work, era);
  const t0 = performance.now();
  const generated = generateEra(era, tree, { files: opts.files, seed: opts.seed });
  log(`${era}: ${generated.files.length} files generated in ${Math.round(performance.now() - t0)} ms`);
  const target = statusToggle(tree, generated);
  const cross = handoffToggle(tree, generated, era);
  const profDir = opts.cpuProf ? path.join(work, `prof-${era}`) : null;
  if (profDir) mkdirSync(profDir, { recursive: true });

  const server = startServer(node, tree, opts, profDir);
  const phases = {};
  const result = { files: generated.files.length, taskLog: path.relative(tree, target.file), handoff: path.relative(tree, cross.file), nextHandoff: path.relative(tree, cross.other), pid: server.child.pid };
  try {
    // 1. Cold.
    const initStart = now();
    await withTimeout(
      server.connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: uriOf(tree),
        workspaceFolders: [{ uri: uriOf(tree), name: path.basename(tree) }],
        capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } }, textDocument: { publishDiagnostics: { versionSupport: true } } },
        initializationOptions: { debounceMs: opts.debounceMs },
      }),
      opts.timeoutMs,
      () => `no initialize answer within ${opts.timeoutMs / 1000} s; stderr: ${server.stderr()}`,
    );
    const initialized = now();
    server.connection.sendNotification('initialized', {});
    const uri = uriOf(target.file);
    let version = 1;
    const first = server.wait(uri, () => true, `first diagnostics for ${result.taskLog}`);
    const openedAt = now();
    server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version, text: target.clean } });
    const cold = await first;
    if (hasRule(cold.params, target.rule)) throw new Error(`the clean task log already has a ${target.rule} finding: ${codes(cold.params)}`);
    const coldLint = await server.lintAfter(cold.at);
    phases.cold = { from: server.spawnedAt, to: cold.at };
    result.cold = {
      initializeMs: initialized - server.spawnedAt,
      initializeRequestMs: initialized - initStart,
      spawnToDiagnosticsMs: cold.at - server.spawnedAt,
      openToDiagnosticsMs: cold.at - openedAt,
      diagnostics: cold.params.diagnostics.length,
      serverLintMs: coldLint?.ms ?? null,
      memory: memoryOf(server.child.pid),
    };
    const cleanSet = codes(cold.params);
    log(`${era}: cold ${Math.round(result.cold.openToDiagnosticsMs)} ms from didOpen (${Math.round(result.cold.spawnToDiagnosticsMs)} ms from spawn), ${cold.params.diagnostics.length} diagnostics`);

    // 2. Same-file edits.
    const sameStart = now();
    result.sameFile = [];
    for (let i = 0; i < opts.edits; i++) {
      const breaking = i % 2 === 0;
      version += 1;
      const v = version;
      const wait = server.wait(uri, (p) => p.version === v, `diagnostics for version ${v} of ${result.taskLog}`);
      const sent = now();
      server.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text: breaking ? target.broken : target.clean }] });
      const got = await wait;
      const ok = breaking ? hasRule(got.params, target.rule) : codes(got.params) === cleanSet;
      if (!ok) throw new Error(`edit ${i + 1} (${breaking ? 'adds' : 'removes'} ${target.rule}): unexpected diagnostics ${codes(got.params)}`);
      const lint = await server.lintAfter(got.at);
      result.sameFile.push({ edit: i + 1, adds: breaking, sentAtMs: sent - server.spawnedAt, sinceSendMs: got.at - sent, afterDebounceMs: got.at - sent - opts.debounceMs, serverLintMs: lint?.ms ?? null, diagnostics: got.params.diagnostics.length, rssMB: memoryOf(server.child.pid).rssMB });
    }
    phases.sameFile = { from: sameStart, to: now() };
    const s1 = stats(result.sameFile.map((e) => e.afterDebounceMs));
    log(`${era}: ${opts.edits} same-file edits, after the debounce: median ${s1.median.toFixed(1)} ms, p95 ${s1.p95.toFixed(1)} ms, max ${s1.max.toFixed(1)} ms`);

    // 3. Cross-file edits: a handoff's buffer changes the next handoff's findings (that file is not open).
    const handoffUri = uriOf(cross.file);
    const otherUri = uriOf(cross.other);
    let hv = 1;
    const opened = server.wait(handoffUri, () => true, `first diagnostics for ${result.handoff}`);
    server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: handoffUri, languageId: 'markdown', version: hv, text: cross.clean } });
    await server.lintAfter((await opened).at);
    const crossStart = now();
    result.crossFile = [];
    for (let i = 0; i < opts.crossEdits; i++) {
      const breaking = i % 2 === 0;
      hv += 1;
      const wait = server.wait(otherUri, (p) => hasRule(p, cross.rule) === breaking, `${cross.rule} to ${breaking ? 'appear' : 'go'} on ${result.nextHandoff}`);
      const sent = now();
      server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: handoffUri, version: hv }, contentChanges: [{ text: breaking ? cross.broken : cross.clean }] });
      const got = await wait;
      const lint = await server.lintAfter(got.at);
      result.crossFile.push({ edit: i + 1, adds: breaking, sentAtMs: sent - server.spawnedAt, sinceSendMs: got.at - sent, afterDebounceMs: got.at - sent - opts.debounceMs, serverLintMs: lint?.ms ?? null, diagnostics: got.params.diagnostics.length, rssMB: memoryOf(server.child.pid).rssMB });
    }
    phases.crossFile = { from: crossStart, to: now() };
    const s2 = stats(result.crossFile.map((e) => e.afterDebounceMs));
    log(`${era}: ${opts.crossEdits} cross-file edits, after the debounce: median ${s2.median.toFixed(1)} ms, p95 ${s2.p95.toFixed(1)} ms, max ${s2.max.toFixed(1)} ms`);

    // 4. Memory, before shutdown.
    result.memory = memoryOf(server.child.pid);
    result.lints = server.lints.map(({ at, ...l }) => ({ atMs: at - server.spawnedAt, ...l }));
    const last = server.lints.at(-1);
    result.heap = last?.heapUsedMB === undefined ? null : { usedMB: last.heapUsedMB, totalMB: last.heapTotalMB, maxUsedMB: Math.max(...server.lints.map((l) => l.heapUsedMB ?? 0)) };
    result.summary = {
      sameFile: s1,
      sameFileServerLint: stats(result.sameFile.map((e) => e.serverLintMs).filter((x) => x !== null)),
      crossFile: s2,
      crossFileServerLint: stats(result.crossFile.map((e) => e.serverLintMs).filter((x) => x !== null)),
    };
  } finally {
    await server.stop();
    result.exit = server.exited();
  }
  if (profDir) {
    const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
    if (file) {
      const dir = opts.out ? path.dirname(opts.out) : resultsDir;
      mkdirSync(dir, { recursive: true });
      const kept = path.join(dir, `lsp-${era}-${stamp(new Date())}.cpuprofile`);
      const text = readFileSync(path.join(profDir, file), 'utf8');
      writeFileSync(kept, text);
      result.profile = { file: kept, phases: profilePhases(JSON.parse(text), phases) };
    } else {
      result.profile = { file: null, note: 'the server wrote no .cpuprofile (did it exit cleanly?)' };
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// CPU profile: top functions per phase

function profilePhases(profile, phases) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // A bundle's frames are named after the sources it was built from, through its source map.
  const maps = new Map();
  const mapOf = (file) => {
    if (!maps.has(file)) {
      let map = null;
      try {
        if (existsSync(`${file}.map`)) map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
      } catch {
        map = null;
      }
      maps.set(file, map);
    }
    return maps.get(file);
  };
  // A source as the map names it, relative to the map; when that leads nowhere (a map written for
  // another place), the same path without its leading ../ under the bundle's package or the repo.
  const sourceFile = (bundle, source) => {
    if (source.startsWith('file:')) return fileURLToPath(source);
    const direct = path.resolve(path.dirname(bundle), source);
    if (existsSync(direct)) return direct;
    const rest = source.replace(/^(\.\.\/)+/, '');
    const pkg = path.dirname(path.dirname(bundle));
    return [path.join(pkg, rest), path.join(repo, rest), path.join(repo, 'packages', rest)].find((f) => existsSync(f)) ?? direct;
  };
  const short = (file) => file.replace(`${repo}/`, '').replace(/^.*\/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?/, '');
  const name = (n) => {
    const f = n.callFrame;
    let place = '';
    if (f.url) {
      const file = f.url.startsWith('file:') ? fileURLToPath(f.url) : f.url;
      place = `${short(file)}:${f.lineNumber + 1}`;
      const entry = path.isAbsolute(file) ? mapOf(file)?.findEntry(f.lineNumber, f.columnNumber) : null;
      if (entry?.originalSource) {
        place = `${short(sourceFile(file, entry.originalSource))}:${entry.originalLine + 1}`;
      }
    }
    return `${f.functionName || '(anonymous)'}${place ? ` ${place}` : ''}`;
  };
  // Sample times in ms on the monotonic clock.
  const times = [];
  let t = profile.startTime;
  for (const d of profile.timeDeltas) {
    t += d;
    times.push(t / 1000);
  }
  const out = {};
  for (const [phase, { from, to }] of Object.entries(phases)) {
    const self = new Map();
    const total = new Map();
    let samples = 0;
    let idle = 0;
    for (let i = 0; i < profile.samples.length; i++) {
      if (times[i] < from || times[i] > to) continue;
      samples += 1;
      const leaf = byId.get(profile.samples[i]);
      const leafName = name(leaf);
      if (leaf.callFrame.functionName === '(idle)') {
        idle += 1;
        continue;
      }
      self.set(leafName, (self.get(leafName) ?? 0) + 1);
      const seen = new Set();
      for (let id = leaf.id; id !== undefined; id = parent.get(id)) {
        const n = name(byId.get(id));
        if (seen.has(n)) continue;
        seen.add(n);
        total.set(n, (total.get(n) ?? 0) + 1);
      }
    }
    const busy = samples - idle;
    const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).filter(([n]) => !/^\((root|program)\)/.test(n)).slice(0, k).map(([n, c]) => ({ name: n, samples: c, share: busy ? c / busy : 0 }));
    out[phase] = { samples, busy, self: top(self, 15), total: top(total, 15) };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Report

const fmtMs = (x) => (typeof x === 'number' ? `${x.toFixed(x >= 100 ? 0 : 1)} ms` : '–');
const fmtMB = (x) => (typeof x === 'number' ? `${x.toFixed(0)} MB` : '–');
const stamp = (d) => d.toISOString().replace(/[:.]/g, '-');

function judge(result) {
  const targets = [];
  for (const [era, r] of Object.entries(result.eras)) {
    const add = (name, value, pass, unit) => targets.push({ era, name, value, unit, pass: value === null || value === undefined ? 'n/a' : pass(value) ? 'PASS' : 'FAIL' });
    add(`cold: didOpen → first diagnostics, at most ${TARGETS.coldMs / 1000} s`, r.cold?.openToDiagnosticsMs, (v) => v <= TARGETS.coldMs, 'ms');
    add(`same-file edit: median after the ${result.options.debounceMs} ms debounce, at most ${TARGETS.editMedianMs} ms`, r.summary?.sameFile?.median, (v) => v <= TARGETS.editMedianMs, 'ms');
    add(`cross-file edit: median after the ${result.options.debounceMs} ms debounce, at most ${TARGETS.editMedianMs} ms`, r.summary?.crossFile?.median, (v) => v <= TARGETS.editMedianMs, 'ms');
    add(`server peak memory (VmHWM), under ${TARGETS.memoryMB} MB`, r.memory?.hwmMB, (v) => v < TARGETS.memoryMB, 'MB');
  }
  return targets;
}

export function report(result) {
  const out = [];
  const m = result.machine;
  const o = result.options;
  out.push(`memlint language server bench — ${result.date}`);
  out.push(`machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGB} GB, ${m.os}, node ${m.node}; memlint ${m.head}${m.uncommitted.length ? ` (+${m.uncommitted.length} uncommitted under packages/language-server, packages/core)` : ''}`);
  out.push(`server: ${result.server.runs}${result.server.bundleDigest ? ` ${result.server.bundleDigest}` : ''}, run by the bin with the project's Node${o.nodeArgs.length ? ` (node ${o.nodeArgs.join(' ')})` : ''}`);
  out.push(`workspace: ${o.files.toLocaleString('en-US')} files per era; debounce ${o.debounceMs} ms; ${o.edits} same-file and ${o.crossEdits} cross-file edits; load average at the end ${result.loadavg.map((l) => l.toFixed(1)).join(' ')}`);
  const eras = Object.keys(result.eras);
  const col = (f) => eras.map((e) => f(result.eras[e]));
  const dist = (s) => (s ? `${fmtMs(s.median)} / ${fmtMs(s.p95)} / ${fmtMs(s.max)}` : '–');
  const rows = [
    ['cold: spawn → initialize answered', ...col((r) => fmtMs(r.cold?.initializeMs))],
    ['cold: spawn → first diagnostics', ...col((r) => fmtMs(r.cold?.spawnToDiagnosticsMs))],
    ['cold: didOpen → first diagnostics', ...col((r) => fmtMs(r.cold?.openToDiagnosticsMs))],
    ['cold: server lint (its log)', ...col((r) => fmtMs(r.cold?.serverLintMs))],
    ['same-file edit after debounce (median / p95 / max)', ...col((r) => dist(r.summary?.sameFile))],
    ['  server lint per edit (median / p95 / max)', ...col((r) => dist(r.summary?.sameFileServerLint))],
    ['cross-file edit after debounce (median / p95 / max)', ...col((r) => dist(r.summary?.crossFile))],
    ['  server lint per edit (median / p95 / max)', ...col((r) => dist(r.summary?.crossFileServerLint))],
    ['server RSS after the cold open', ...col((r) => fmtMB(r.cold?.memory?.rssMB))],
    ['server peak RSS (VmHWM) / RSS at the end', ...col((r) => `${fmtMB(r.memory?.hwmMB)} / ${fmtMB(r.memory?.rssMB)}`)],
    ['JS heap at the last lint, used / total (its log)', ...col((r) => (r.heap ? `${fmtMB(r.heap.usedMB)} / ${fmtMB(r.heap.totalMB)}` : '–'))],
  ];
  out.push('', table(['measure', ...eras.map((e) => `${ERA_LABELS[e]}, ${result.eras[e].files.toLocaleString('en-US')} files`)], rows));
  out.push('', '## Targets', '');
  out.push(table(['era', 'target', 'value', 'result'], result.targets.map((t) => [t.era, t.name, t.unit === 'MB' ? fmtMB(t.value) : fmtMs(t.value), t.pass]), 2));
  for (const [era, r] of Object.entries(result.eras)) {
    if (!r.profile?.phases) continue;
    out.push('', `## CPU profile, ${ERA_LABELS[era]} (${r.profile.file})`);
    for (const [phase, p] of Object.entries(r.profile.phases)) {
      out.push('', `### ${phase}: ${p.busy} busy samples of ${p.samples}`, '');
      const pct = (x) => `${(x.share * 100).toFixed(1)}%`;
      const n = Math.max(p.self.length, p.total.length, 1);
      const rowsP = Array.from({ length: Math.min(n, 12) }, (_, i) => [p.self[i] ? p.self[i].name : '', p.self[i] ? pct(p.self[i]) : '', p.total[i] ? p.total[i].name : '', p.total[i] ? pct(p.total[i]) : '']);
      out.push(table(['self time', '%', 'total time', '%'], rowsP, 1));
    }
  }
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------

export async function runLspBench(argv) {
  const opts = parseOptions(argv);
  if (opts.help) {
    process.stdout.write(usage(import.meta.url));
    return null;
  }
  if (!existsSync(serverBin)) throw new Error(`no language server at ${serverBin}`);
  const node = projectNode();
  const work = mkdtempSync(path.join(os.tmpdir(), 'memlint-lsp-bench-'));
  const log = (s) => process.stderr.write(`${s}\n`);
  const result = { date: new Date().toISOString(), options: { ...opts, targets: TARGETS }, machine: machineInfo(node, ['packages/language-server', 'packages/core']), server: serverBuild(opts), eras: {} };
  try {
    for (const era of opts.eras) result.eras[era] = await runEra(era, node, work, opts, log);
  } finally {
    if (opts.keep) log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
  result.loadavg = os.loadavg();
  result.targets = judge(result);
  const file = opts.out ?? path.join(resultsDir, `lsp-${stamp(new Date(result.date))}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(report(result));
  process.stdout.write(`\nJSON: ${file}\n`);
  return result;
}

await runIfMain(import.meta.url, runLspBench);
