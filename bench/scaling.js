// The scaling benchmark: does parsing and linting (and fixing, where the shape has fixes) grow
// linearly with the size of a file? Each input shape is generated at 64 KB, 512 KB and 2 MB and
// measured in a fresh child process (warmed up first, CPU time of the best of a few runs), under a
// timeout, so a quadratic shape reports FAIL instead of hanging the run.
//
//   node bench/scaling.js [--shapes a,b] [--sizes 64K,512K,2M] [--timeout 120] [--json]
//   node bench/scaling.js --list
//
// Targets, per shape:
//   - linear: the cost of doubling the size, d = (t2 / t1) ^ (1 / log2(s2 / s1)), is at most 2.5
//     on both steps (64 KB → 512 KB and 512 KB → 2 MB). Linear work gives d = 2, quadratic d = 4.
//     The table also shows the normalised ratio (t2 / t1) / (s2 / s1): 1.00 is linear; the
//     thresholds are (2.5 / 2)^3 = 1.95 for the 8× step and (2.5 / 2)^2 = 1.56 for the 4× step.
//   - 2 MB of any shape costs under 2 s of CPU time.
// A step whose smaller time is under 2 ms is too noisy to judge and is shown as such (not failed).
//
// Results: bench/results/scaling-<date>.json (gitignored). Exit status: whether the run worked,
// not whether the targets passed (as for `pnpm bench`).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const repo = path.resolve(import.meta.dirname, '..');
const resultsDir = path.join(repo, 'bench', 'results');
const KB = 1024;
const MAX_DOUBLING = 2.5;
const MAX_CPU_MS_2M = 2_000;
const NOISE_MS = 2;

// ---------------------------------------------------------------------------------------------
// Shapes: each builds the text of one file of (about) `bytes` bytes.

/** A Stage-era task log's frontmatter and title, so the APM rules look past the header. */
const TASK_HEADER = [
  '---',
  'agent: Agent_Backend',
  'task_id: Task 1.1',
  'status: Success',
  'failure_point: null',
  'important_findings: false',
  'compatibility_issues: false',
  '---',
  '',
].join('\n');
const TASK_TITLE = '# Task Memory Log: Task 1.1 - Setup';
const TASK_PATH = 'Memory/Stage_01_Setup/Task_Log_01_01_Setup.md';

/** Repeats `unit(i)` until the text reaches `bytes` (ASCII shapes: characters are bytes). */
function fill(bytes, head, unit, tail = '') {
  const parts = [head];
  let length = head.length + tail.length;
  for (let i = 0; length < bytes; i++) {
    const u = unit(i);
    parts.push(u);
    length += u.length;
  }
  parts.push(tail);
  return parts.join('').slice(0, Math.max(bytes, head.length + tail.length) - tail.length) + tail;
}

/** Whole units only: the last one that would pass `bytes` is left out (for blocks that must stay intact). */
function fillWhole(bytes, head, unit, tail = '') {
  const parts = [head];
  let length = head.length + tail.length;
  for (let i = 0; ; i++) {
    const u = unit(i);
    if (length + u.length > bytes && i > 0) break;
    parts.push(u);
    length += u.length;
  }
  parts.push(tail);
  return parts.join('');
}

const reflection = (i) => {
  const variant = i % 4;
  const heading = variant === 3 ? '**Framework Reflection**' : '## Framework Reflection';
  const outcome = variant === 0 ? '**Outcome**: Success' : variant === 1 ? '**Outcome:** partial' : variant === 2 ? '**Outcome**: `failure`' : '**Outcome**: PARTIAL';
  return [
    heading,
    '',
    `**Prompts**: session ${i}`,
    '**Guidance received**: N/A',
    '**Followed**: Yes',
    outcome,
    `**Accomplishments**: block ${i}`,
    '**Friction points**: none',
    '**Root cause**: the fixture',
    '**Proposed changes**: none',
    '**Next step**: none',
    '',
    '',
  ].join('\n');
};

const PHASE_ROOT = '# Bench – APM Memory Root\n\n**Memory Strategy:** Dynamic-MD\n\n';

export const SHAPES = [
  { name: 'phase-summary-links', what: 'a Phase-era Memory Root summary linking many logs, most of them missing', tree: 'phase',
    make: (n) => fill(n, `${PHASE_ROOT}## Phase 01 – Setup Summary\n\n`, (i) => `- [Task_1_${i}.md](Phase_01_Setup/Task_1_${i}_Step.md)\n`) },
  { name: 'phase-summaries', what: 'many `## Phase N – Name Summary` sections with a link each', tree: 'phase',
    make: (n) => fill(n, PHASE_ROOT, (i) => `## Phase ${i} – Part ${i} Summary\n\n- **Task Logs:** [x](../${'../'.repeat(i % 5)}Task_${i}_1.md)\n\n`) },
  { name: 'phase-link-brackets', what: 'a Phase summary followed by many unclosed `](`', tree: 'phase',
    make: (n) => fill(n, `${PHASE_ROOT}## Phase 01 – Setup Summary\n\n`, () => '](', '\n') },
  { name: 'heading-space-run', what: 'the title heading followed by a long run of spaces and tabs', tree: 'apm',
    make: (n) => fill(n, TASK_HEADER + TASK_TITLE, () => ' \t', '\n') },
  { name: 'label-space-run', what: '`**Label:** v` followed by a long run of spaces', tree: 'apm',
    make: (n) => fill(n, `${TASK_HEADER}${TASK_TITLE}\n\n## Summary\n\n**Label:** v`, () => ' ', '\n') },
  { name: 'label-inner-space-run', what: 'a reflection label with a long run of spaces and tabs inside the bold (`**Outcome \t…**: success`)', tree: 'aops',
    make: (n) => fill(n, '## Framework Reflection\n\n**Outcome', () => ' \t', '**: success\n') },
  { name: 'summary-brackets', what: '`## Summary` followed by many `[`', tree: 'apm',
    make: (n) => fill(n, `${TASK_HEADER}${TASK_TITLE}\n\n## Summary\n`, () => '[', '\n') },
  { name: 'heading-label-pairs', what: 'repeated `## Heading N` + `**Label**: value` pairs', tree: 'apm',
    make: (n) => fill(n, `${TASK_HEADER}${TASK_TITLE}\n\n`, (i) => `## Heading ${i}\n\n**Label ${i % 7}**: value ${i}\n\n`) },
  { name: 'yaml-distinct-keys', what: 'frontmatter with many distinct keys', tree: 'apm',
    make: (n) => fillWhole(n, TASK_HEADER.replace(/---\n$/, ''), (i) => `key_${i}: value ${i}\n`, `---\n\n${TASK_TITLE}\n`) },
  { name: 'setext-heading', what: 'a paragraph of many `key: value` lines underlined with `---` (one huge setext heading)', tree: 'apm',
    make: (n) => fillWhole(n, `${TASK_HEADER}${TASK_TITLE}\n\n`, (i) => `key_${i}: value ${i}\n`, '---\n') },
  { name: 'reflection-fixes', what: 'many aops reflection blocks with fixable problems (lint + fix)', tree: 'aops', fix: true,
    make: (n) => fillWhole(n, '# Session notes\n\n', reflection) },
  { name: 'request-lines', what: 'many `**Request**:` lines in one reflection (lint + fix)', tree: 'aops', fix: true,
    make: (n) => fill(n, '## Framework Reflection\n\n**Outcome**: success\n', (i) => `**Request**: request ${i}\n`) },
  { name: 'lists-paragraphs', what: 'alternating list items and paragraphs', tree: 'apm',
    make: (n) => fill(n, `${TASK_HEADER}${TASK_TITLE}\n\n## Summary\n\n`, (i) => `- item ${i}\n\nparagraph ${i} with some words\n\n`) },
  { name: 'nested-quotes', what: 'quote lines nested 1…100 deep', tree: 'apm',
    make: (n) => fill(n, `${TASK_HEADER}${TASK_TITLE}\n\n## Summary\n\n`, (i) => `${'> '.repeat(1 + (i % 100))}quoted ${i}\n`) },
  { name: 'quote-depth-line', what: 'one line of `> ` repeated', tree: 'apm',
    make: (n) => fill(n, `${TASK_HEADER}${TASK_TITLE}\n\n## Summary\n\n`, () => '> ', 'x\n') },
  { name: 'list-depth-line', what: 'one line of `- ` repeated', tree: 'apm',
    make: (n) => fill(n, `${TASK_HEADER}${TASK_TITLE}\n\n## Summary\n\n`, () => '- ', 'x\n') },
  { name: 'emphasis-line', what: 'one long line of unmatched `*`, `_` and backticks', tree: 'apm',
    make: (n) => fill(n, `${TASK_HEADER}${TASK_TITLE}\n\n## Summary\n\n`, () => '*a _b `c ', '\n') },
  { name: 'backtick-runs', what: 'one long line of backtick runs of growing length', tree: 'apm',
    make: (n) => fill(n, `${TASK_HEADER}${TASK_TITLE}\n\n## Summary\n\n`, (i) => `${'`'.repeat(1 + (i % 40))}x `, '\n') },
  { name: 'emphasis-lines', what: 'many lines of matched `**bold**`, `_em_` and `code`', tree: 'apm',
    make: (n) => fill(n, `${TASK_HEADER}${TASK_TITLE}\n\n## Summary\n\n`, (i) => `**bold ${i}** _em_ \`code\` *x*\n`) },
];

// ---------------------------------------------------------------------------------------------
// The child: generate, warm up, measure.

async function child(shapeName, bytes, reps) {
  const core = await import('@memlint/core');
  const shape = SHAPES.find((s) => s.name === shapeName);
  if (!shape) throw new Error(`unknown shape ${shapeName}`);
  const filesFor = (text) => (shape.tree === 'apm'
    ? [{ relPath: 'metadata.json', text: '{ "releaseVersion": "v1.0.0-test-6" }\n' }, { relPath: TASK_PATH, text }]
    : shape.tree === 'phase'
      ? [{ relPath: 'metadata.json', text: '{ "templateVersion": "v0.5.4+templates.1" }\n' }, { relPath: 'Memory/Memory_Root.md', text }, { relPath: 'Memory/Phase_01_Setup/Task_1_1_Setup.md', text: '' }]
      : [{ relPath: 'sessions/2026-03-01-notes.md', text }]);
  const options = { ...(shape.tree === 'aops' ? { dialect: 'aops' } : {}), maxFileSize: 64 * 1024 * 1024, dir: path.join(repo, 'bench', '.scaling') };
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  // GC pauses on the main thread, to tell a collector effect from an algorithmic one.
  const { PerformanceObserver } = await import('node:perf_hooks');
  let gcMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  });
  observer.observe({ entryTypes: ['gc'] });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 25)); // GC entries arrive on a later tick
  const once = async (text) => {
    await settle();
    const g0 = gcMs;
    const t0 = cpu();
    const w0 = performance.now();
    const ws = core.loadVirtualRoot(filesFor(text), options);
    const t1 = cpu();
    const result = core.lintWorkspace(ws);
    const t2 = cpu();
    let diagnostics = 0;
    let fixes = 0;
    let passes = 0;
    for (const list of result.values()) diagnostics += list.length;
    if (shape.fix) {
      if (core.fixWorkspace) {
        // As `memlint --fix` does: passes of lint + fix until nothing changes (the first lint above is the report's).
        const run = core.fixWorkspace(ws, {});
        passes = run.passes;
        for (const f of run.fixed) fixes += f.applied.length;
      } else {
        for (const [doc, list] of result) fixes += core.applyFixes(doc, list).applied.length;
        passes = 1;
      }
    }
    const t3 = cpu();
    const wallMs = performance.now() - w0;
    await settle();
    return { cpuMs: t3 - t0, parseMs: t1 - t0, lintMs: t2 - t1, fixMs: t3 - t2, gcMs: gcMs - g0, wallMs, diagnostics, fixes, passes };
  };
  // Warm up on a small input of the same shape, so the JIT has seen the code paths.
  const warm = shape.make(Math.min(bytes, 16 * KB));
  for (let i = 0; i < 3; i++) await once(warm);
  const text = shape.make(bytes);
  const runs = [];
  const started = performance.now();
  for (let i = 0; i < reps; i++) {
    runs.push(await once(text));
    if (performance.now() - started > 10_000) break; // slow enough: one or two runs tell
  }
  observer.disconnect();
  const best = runs.reduce((a, b) => (b.cpuMs < a.cpuMs ? b : a));
  return { shape: shapeName, bytes: Buffer.byteLength(text), runs: runs.length, ...best };
}

// ---------------------------------------------------------------------------------------------
// The parent: one child per shape and size, the table, the verdicts, the JSON.

function parseSize(s) {
  const m = /^(\d+(?:\.\d+)?)\s*([KMG]?)B?$/i.exec(s.trim());
  if (!m) throw new Error(`bad size ${s}`);
  return Math.round(Number(m[1]) * { '': 1, K: KB, M: KB * KB, G: KB * KB * KB }[m[2].toUpperCase()]);
}

const label = (bytes) => (bytes >= KB * KB ? `${+(bytes / KB / KB).toFixed(1)} MB` : `${Math.round(bytes / KB)} KB`);

function measure(shape, bytes, timeoutS) {
  const reps = bytes <= 64 * KB ? 15 : bytes <= 512 * KB ? 7 : 3;
  const run = spawnSync(process.execPath, ['--max-old-space-size=4096', path.join(import.meta.dirname, 'scaling.js'), '--child', shape.name, String(bytes), String(reps)], {
    cwd: repo,
    encoding: 'utf8',
    timeout: timeoutS * 1000,
    killSignal: 'SIGKILL',
    maxBuffer: 16 * KB * KB,
  });
  if (run.error?.code === 'ETIMEDOUT' || run.signal === 'SIGKILL') return { shape: shape.name, bytes, error: `timeout after ${timeoutS} s` };
  if (run.status !== 0) return { shape: shape.name, bytes, error: `exit ${run.status}${run.signal ? ` (${run.signal})` : ''}: ${(run.stderr || '').trim().split('\n').slice(-3).join(' / ')}` };
  const line = run.stdout.trim().split('\n').pop();
  return JSON.parse(line);
}

/** The cost of doubling the size between two measurements, or null when either is missing or too noisy. */
function step(a, b) {
  if (!a || !b || a.error || b.error) return { normalised: null, doubling: null, noisy: false };
  const sizeRatio = b.bytes / a.bytes;
  const timeRatio = b.cpuMs / Math.max(a.cpuMs, 0.001);
  return {
    normalised: timeRatio / sizeRatio,
    doubling: timeRatio ** (1 / Math.log2(sizeRatio)),
    noisy: a.cpuMs < NOISE_MS,
  };
}

function verdict(row) {
  const failures = [];
  for (const m of row.measurements) if (m.error) failures.push(`${label(m.bytes)}: ${m.error}`);
  const gc = (m) => (m && !m.error && m.gcMs > 0 ? `; GC pauses ${Math.round(m.gcMs)} of ${Math.round(m.cpuMs)} ms at ${label(m.bytes)}` : '');
  row.steps.forEach((s, i) => {
    const [a, b] = [row.measurements[i], row.measurements[i + 1]];
    if (s.doubling !== null && !s.noisy && s.doubling > MAX_DOUBLING) failures.push(`${label(a.bytes)}→${label(b.bytes)}: doubling costs ×${s.doubling.toFixed(2)} (> ${MAX_DOUBLING})${gc(b)}`);
  });
  const largest = row.measurements[row.measurements.length - 1];
  if (largest && !largest.error && largest.bytes >= 2 * KB * KB && largest.cpuMs > MAX_CPU_MS_2M) failures.push(`2 MB: ${Math.round(largest.cpuMs)} ms CPU (> ${MAX_CPU_MS_2M})${gc(largest)}`);
  return failures;
}

function gitState() {
  const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).stdout?.trim() || null;
  const dirty = (spawnSync('git', ['status', '--porcelain', '--', 'packages/core'], { cwd: repo, encoding: 'utf8' }).stdout ?? '').split('\n').filter(Boolean);
  return { head, dirty };
}

async function main(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      child: { type: 'boolean' },
      shapes: { type: 'string' },
      sizes: { type: 'string', default: '64K,512K,2M' },
      timeout: { type: 'string', default: '120' },
      list: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.child) {
    const [shapeName, bytes, reps] = positionals;
    process.stdout.write(`${JSON.stringify(await child(shapeName, Number(bytes), Number(reps)))}\n`);
    return;
  }
  if (values.list) {
    for (const s of SHAPES) process.stdout.write(`${s.name.padEnd(22)} ${s.what}\n`);
    return;
  }
  const wanted = values.shapes ? values.shapes.split(',').map((s) => s.trim()) : SHAPES.map((s) => s.name);
  for (const w of wanted) if (!SHAPES.some((s) => s.name === w)) throw new Error(`unknown shape ${w} (--list shows them)`);
  const sizes = values.sizes.split(',').map(parseSize);
  const timeoutS = Number(values.timeout);
  const started = new Date();
  const git = gitState();
  const rows = [];
  for (const shape of SHAPES.filter((s) => wanted.includes(s.name))) {
    const measurements = [];
    for (const bytes of sizes) {
      const m = measure(shape, bytes, timeoutS);
      measurements.push(m);
      process.stderr.write(`  ${shape.name} ${label(bytes)}: ${m.error ?? `${m.cpuMs.toFixed(1)} ms CPU (parse ${m.parseMs.toFixed(1)}, lint ${m.lintMs.toFixed(1)}${shape.fix ? `, fix ${m.fixMs.toFixed(1)}` : ''}, GC pauses ${m.gcMs.toFixed(1)}; ${m.diagnostics} diagnostics${shape.fix ? `, ${m.fixes} fixes in ${m.passes} passes` : ''}; best of ${m.runs})`}\n`);
      if (m.error?.startsWith('timeout')) {
        // Bigger sizes can only be slower.
        for (const rest of sizes.slice(sizes.indexOf(bytes) + 1)) measurements.push({ shape: shape.name, bytes: rest, error: `skipped: ${label(bytes)} already timed out` });
        break;
      }
    }
    const steps = measurements.slice(1).map((m, i) => step(measurements[i], m));
    const row = { shape: shape.name, what: shape.what, fix: Boolean(shape.fix), measurements, steps };
    row.failures = verdict(row);
    row.pass = row.failures.length === 0;
    rows.push(row);
  }

  // The table.
  const cell = (m) => (m.error ? (m.error.startsWith('timeout') ? 'TIMEOUT' : m.error.startsWith('skipped') ? '—' : 'ERROR') : `${m.cpuMs >= 1000 ? (m.cpuMs / 1000).toFixed(2) + ' s' : m.cpuMs.toFixed(1) + ' ms'}`);
  const ratio = (s) => (!s || s.normalised === null ? '—' : `${s.normalised.toFixed(2)} (×${s.doubling.toFixed(2)}/2×)${s.noisy ? ' noisy' : ''}`);
  const header = ['shape', ...sizes.map(label), ...(sizes.length === 3 ? ['512K/64K per 8×', '2M/512K per 4×'] : sizes.slice(1).map((s, i) => `${label(s)}/${label(sizes[i])}`)), 'result'];
  const table = rows.map((r) => [r.shape, ...r.measurements.map(cell), ...r.steps.map(ratio), r.pass ? 'PASS' : 'FAIL']);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => String(t[i] ?? '').length)));
  const fmt = (cols) => cols.map((c, i) => String(c ?? '').padEnd(widths[i])).join('  ');
  const lines = [
    '',
    `memlint scaling: CPU time of parse + lint (+ fix) per file, best of several runs, each size in a fresh process`,
    `ratios: (time ratio / size ratio), 1.00 = linear; (×d/2×) = cost of doubling the size, linear 2, quadratic 4, limit ${MAX_DOUBLING}; 2 MB limit ${MAX_CPU_MS_2M} ms`,
    '',
    fmt(header),
    fmt(widths.map((w) => '-'.repeat(w))),
    ...table.map(fmt),
    '',
  ];
  for (const r of rows) if (!r.pass) lines.push(`FAIL ${r.shape}: ${r.failures.join('; ')}`);
  lines.push(`${rows.filter((r) => r.pass).length}/${rows.length} shapes pass`);
  process.stdout.write(`${lines.join('\n')}\n`);

  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `scaling-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  const report = {
    date: started.toISOString(),
    node: process.version,
    source: git,
    targets: { maxDoubling: MAX_DOUBLING, maxCpuMs2M: MAX_CPU_MS_2M, noiseMs: NOISE_MS, timeoutS },
    sizes,
    rows,
    pass: rows.every((r) => r.pass),
  };
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`written: ${path.relative(process.cwd(), file)}\n`);
  if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 1;
}
