// Generates a deterministic (seeded) APM Stage-era memory tree of N markdown files, shaped like
// examples/apm-stage, for the site benchmark — and the "same N pages" as a plain Starlight docs
// collection, for the baseline. With `--era v1`, an APM v1.0 tree shaped like examples/apm-v1
// instead (generateV1Tree, below), for the comparative bench (bench/compare.js).
//
//   node bench/generate.js <dir> [--files 5000] [--seed 1] [--era stage|v1] [--plain <starlight-site-dir>]
//
// The tree (N counts the markdown files; .apm/metadata.json comes on top):
//
//   .apm/metadata.json                     {"releaseVersion":"v1.0.0-test-6"}
//   .apm/Implementation_Plan.md            ~50 stages, every task with its agent
//   .apm/Specifications.md
//   .apm/bus/<agent-slug>/apm-handoff.md   one saved handoff prompt per worker
//   .apm/Memory/Memory_Root.md             Manager handoff count, a summary per finished stage
//   .apm/Memory/Stage_NN_<Slug>/Task_Log_NN_MM_<Slug>.md            most of the files
//   .apm/Memory/Handoffs/<Agent>_Handoffs/<Agent>_Handoff_Log_<N>.md   10 workers × ~40
//   .apm/Memory/Handoffs/Manager_Handoffs/Manager_Handoff_Log_<N>.md   ~20
//
// The tree is meant to be clean (memlint reports nothing for it), so the site renders the
// ordinary case: every page, no findings.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

/** mulberry32: a small, fast, seedable PRNG. */
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)); // inclusive
  const pick = (list) => list[Math.floor(next() * list.length)];
  const chance = (p) => next() < p;
  return { next, int, pick, chance };
}

// ---------------------------------------------------------------------------------------------
// Vocabulary: an invented project ("Tern", a field-data sync platform) and banks of phrases the
// prose is assembled from, so no two logs read the same.

const PROJECT = 'Tern';

const WORKERS = [
  ['Agent_Backend', 'Backend Agent'],
  ['Agent_Frontend', 'Frontend Agent'],
  ['Agent_Data', 'Data Agent'],
  ['Agent_Infra', 'Infra Agent'],
  ['Agent_Mobile', 'Mobile Agent'],
  ['Agent_QA', 'QA Agent'],
  ['Agent_Search', 'Search Agent'],
  ['Agent_Payments', 'Payments Agent'],
  ['Agent_Docs', 'Docs Agent'],
  ['Agent_Security', 'Security Agent'],
];

const AREAS = [
  'Accounts', 'Billing', 'Sync', 'Search', 'Reporting', 'Offline Mode', 'Notifications', 'Imports',
  'Exports', 'Audit Trail', 'Permissions', 'Maps', 'Attachments', 'Scheduling', 'Webhooks', 'Analytics',
  'Onboarding', 'Localisation', 'Forms', 'Observability', 'Storage', 'Caching', 'Rate Limits', 'Admin Console',
  'Public API',
];
const PHASES = ['Foundation', 'Hardening', 'Rollout', 'Migration', 'Polish', 'Scale Out', 'Cleanup', 'Beta'];

const TASK_VERBS = [
  'Build', 'Add', 'Refactor', 'Migrate', 'Harden', 'Instrument', 'Document', 'Test', 'Optimise', 'Replace',
  'Split', 'Cache', 'Validate', 'Paginate', 'Batch', 'Localise', 'Secure', 'Profile', 'Backfill', 'Retire',
];
const TASK_OBJECTS = [
  'Sync Queue', 'Conflict Resolver', 'Session Tokens', 'Invoice Export', 'Search Index', 'Upload Pipeline',
  'Map Tiles Cache', 'Form Builder', 'Audit Log Writer', 'Role Matrix', 'Webhook Retries', 'CSV Importer',
  'Report Scheduler', 'Push Notifications', 'Settings Page', 'Device Registry', 'Rate Limiter', 'Health Checks',
  'Feature Flags', 'Attachment Store', 'Query Planner Hints', 'Offline Outbox', 'Admin Dashboard', 'Error Budget Alerts',
  'Schema Registry', 'Tenant Isolation', 'Password Reset Flow', 'Translation Catalogue', 'Geo Fencing', 'Billing Webhooks',
  'Data Retention Job', 'Thumbnail Renderer', 'API Pagination', 'Bulk Editor', 'Timeline View', 'Backup Restore Drill',
];

const SUBJECTS = [
  'The sync worker', 'The API layer', 'The nightly job', 'The tile cache', 'The new migration', 'The test suite',
  'The form renderer', 'The webhook handler', 'The importer', 'The export endpoint', 'The outbox', 'The search indexer',
  'The role checker', 'The upload pipeline', 'The admin view', 'The scheduler', 'The retry policy', 'The device registry',
  'The notification fan-out', 'The audit writer', 'The settings store', 'The report builder', 'The rate limiter',
  'The attachment service',
];
const VERBS = [
  'now validates', 'was changed to stream', 'rejects', 'batches', 'retries', 'logs', 'exposes', 'deduplicates',
  'caches', 'serialises', 'paginates', 'no longer loads', 'keeps', 'reorders', 'compresses', 'signs', 'checks',
  'drops', 'reuses', 'locks',
];
const OBJECTS = [
  'malformed rows', 'expired tokens', 'duplicate submissions', 'stale tiles', 'every tenant id', 'partial uploads',
  'conflicting edits', 'oversized attachments', 'unsorted events', 'the whole result set', 'orphaned sessions',
  'retried webhooks', 'translation keys', 'timezone offsets', 'bulk edits', 'permission grants', 'audit entries',
  'device fingerprints', 'cursor tokens', 'backfilled records',
];
const TAILS = [
  'before the transaction commits.', 'without blocking the event loop.', 'behind a feature flag.',
  'when the queue is empty.', 'in a single round trip.', 'so the mobile client never sees a half-written record.',
  'on a background thread.', 'for every tenant, not just the pilot ones.', 'and records why in the audit trail.',
  'as the Specifications ask.', 'after the User asked for it in review.', 'with a bounded memory footprint.',
  'at the edge instead of in the API.', 'and the old path was deleted.', 'only when the device is online.',
  'using the shared helper instead of a copy.', 'within the 200 ms budget.', 'idempotently, keyed by request id.',
];
const REMARKS = [
  'This matched the plan, so no change to the Specifications was needed.',
  'The User reviewed the diff and asked for smaller commits, which the rest of the task followed.',
  'A first attempt used a global lock; it was replaced because it serialised unrelated tenants.',
  'The behaviour is covered by a regression test named after the bug it reproduces.',
  'Two edge cases came from production logs rather than from the plan.',
  'The change is invisible to clients; only the latency graphs show it.',
  'Nothing else reads this table yet, so the new column was added without a backfill.',
  'The decision is recorded in the code next to the constant, with a link to the discussion.',
  'Load testing with recorded traffic showed no regression.',
  'The old code path stays for one release and logs a deprecation warning.',
];
const DIRS = ['api/tern', 'web/src', 'mobile/app', 'infra/terraform', 'workers/sync', 'packages/shared', 'search/indexer', 'docs/guides'];
const FILES = ['queue', 'resolver', 'tokens', 'export', 'index', 'pipeline', 'cache', 'forms', 'audit', 'roles', 'retries', 'importer', 'scheduler', 'notify', 'settings', 'registry', 'limiter', 'health', 'flags', 'store'];
const EXTS = { 'api/tern': 'py', 'web/src': 'tsx', 'mobile/app': 'kt', 'infra/terraform': 'tf', 'workers/sync': 'go', 'packages/shared': 'ts', 'search/indexer': 'rs', 'docs/guides': 'md' };
const COMMANDS = ['make test', 'pnpm vitest run', 'pytest -q', 'go test ./...', 'cargo test', 'terraform plan', './gradlew test', 'pnpm playwright test'];
const BLOCKERS = [
  'Staging credentials for the map provider not issued',
  'Waiting on the User to approve the data retention policy',
  'Upstream SDK release with the fix not published yet',
  'Load test environment unavailable until the network change lands',
];
const PARTIALS = ['Validation', 'Execution', 'Offline conflict cases still unhandled', 'Two locales still missing translations'];

function prose(r) {
  const sentence = () => {
    const s = `${r.pick(SUBJECTS)} ${r.pick(VERBS)} ${r.pick(OBJECTS)} ${r.pick(TAILS)}`;
    return r.chance(0.25) ? `${s} ${r.pick(REMARKS)}` : s;
  };
  const file = () => {
    const d = r.pick(DIRS);
    return `${d}/${r.pick(FILES)}_${r.int(1, 40)}.${EXTS[d]}`;
  };
  const measured = () =>
    r.pick([
      () => `p95 latency went from ${r.int(120, 900)} ms to ${r.int(20, 119)} ms over ${r.int(2, 90)}k recorded requests.`,
      () => `The suite grew by ${r.int(3, 60)} tests and runs in ${r.int(8, 240)} s.`,
      () => `Memory stayed under ${r.int(64, 512)} MB while processing ${r.int(10, 900)}k rows.`,
      () => `Coverage of the touched modules is ${r.int(70, 99)}%.`,
    ])();
  return { sentence, file, measured };
}

const slugWords = (title) => title.replace(/[^A-Za-z0-9 ]+/g, ' ').trim().split(/\s+/).join('_');
const pad = (n) => String(n).padStart(2, '0');
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The Specifications' sections: a few bullets of prose under each of twelve areas. */
function specSections(r, p) {
  const out = [];
  for (const area of AREAS.slice(0, 12)) {
    out.push(`## ${area}`, '');
    for (let i = r.int(2, 5); i > 0; i--) out.push(`- ${p.sentence()}`);
    out.push('');
  }
  return out;
}

/** A task log's Details bullets: added until the log reaches `target` characters (30 at most). */
function logText(r, p, head, end, target) {
  const details = [];
  const size = () => [...head, ...details, ...end].join('\n').length;
  do details.push(`- ${p.sentence()}${r.chance(0.3) ? ` ${p.measured()}` : ''}`);
  while (size() < target && details.length < 30);
  return [...head, ...details, ...end].join('\n');
}

/** Empties `dir` and returns a writer of files below `dir/.apm`, and the markdown paths written. */
function treeWriter(dir) {
  rmSync(dir, { recursive: true, force: true });
  const apm = path.join(dir, '.apm');
  const written = [];
  const write = (rel, text) => {
    const full = path.join(apm, rel);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
    if (rel.endsWith('.md')) written.push(`.apm/${rel}`);
  };
  return { write, written };
}

/**
 * Stages (unique names) and their tasks, spread evenly over them in time order: `logged` tasks
 * with a log, then `unlogged` more in the last, running stage.
 */
function scheduleTasks(r, count, workers, logged, unlogged) {
  const stageNames = [];
  for (let i = 0; stageNames.length < count; i++) {
    const name = `${AREAS[i % AREAS.length]} ${PHASES[Math.floor(i / AREAS.length) % PHASES.length]}`;
    stageNames.push(i < AREAS.length * PHASES.length ? name : `${name} ${i}`);
  }
  const totalTasks = logged + unlogged;
  const stages = stageNames.map((name, i) => ({ number: i + 1, name, slug: slugWords(name), tasks: [] }));
  let clock = Date.UTC(2025, 0, 6, 9, 0, 0);
  for (let i = 0; i < totalTasks; i++) {
    const stage = stages[Math.min(stages.length - 1, Math.floor((i * stages.length) / totalTasks))];
    const number = stage.tasks.length + 1;
    const title = `${r.pick(TASK_VERBS)} ${r.pick(TASK_OBJECTS)}`;
    const worker = r.chance(0.8) ? workers[i % workers.length] : r.pick(workers);
    clock += r.int(10, 80) * 60_000;
    stage.tasks.push({ stage: stage.number, number, id: `${stage.number}.${number}`, title, slug: slugWords(title), worker, done: clock, logged: i < logged });
  }
  return stages;
}

/** The sizes the benchmark uses for a tree of N markdown files. */
export function plan(files) {
  const workers = Math.min(WORKERS.length, Math.max(1, Math.round(files / 30)));
  const perWorker = Math.max(1, Math.round((files * 0.08) / workers)); // 10 × 40 at 5,000
  const managers = Math.max(1, Math.round(files / 250)); // 20 at 5,000
  const fixed = 3 + workers; // plan, specifications, memory root, one bus prompt per worker
  const tasks = files - fixed - workers * perWorker - managers;
  if (tasks < workers * (perWorker + 1)) throw new Error(`--files ${files} is too small for a tree (try 60 or more)`);
  const stages = Math.min(50, Math.max(2, Math.round(tasks / 92)));
  return { files, workers, perWorker, managers, tasks, stages };
}

/**
 * Writes the tree into `dir` (emptied first). Returns what it wrote: the markdown files
 * (relative to dir, sorted), and the task logs.
 */
export function generateTree(dir, { files = 5000, seed = 1 } = {}) {
  const sizes = plan(files);
  const r = rng(seed);
  const p = prose(r);
  const { write, written } = treeWriter(dir);

  write('metadata.json', `${JSON.stringify({ releaseVersion: 'v1.0.0-test-6' }, null, 2)}\n`);

  const workers = WORKERS.slice(0, sizes.workers);
  const unlogged = Math.min(3, sizes.stages); // the last stage is still running: a few tasks have no log yet
  const stages = scheduleTasks(r, sizes.stages, workers, sizes.tasks, unlogged);
  const allTasks = stages.flatMap((s) => s.tasks);
  const logged = allTasks.filter((t) => t.logged);
  const lastStage = stages[stages.length - 1];
  for (const t of logged) {
    // Earlier stages are mostly Success; the running stage has more of the other outcomes.
    const x = r.next();
    const running = t.stage === lastStage.number;
    t.status = x < (running ? 0.6 : 0.9) ? 'Success' : x < (running ? 0.75 : 0.95) ? 'Partial' : x < (running ? 0.9 : 0.98) ? 'Blocked' : 'Failed';
    t.failurePoint =
      t.status === 'Success' ? 'null' : t.status === 'Partial' ? r.pick(PARTIALS) : t.status === 'Blocked' ? r.pick(BLOCKERS) : r.pick(['Execution', 'Validation']);
    t.findings = r.chance(0.15);
    t.compat = r.chance(0.1);
  }

  // Implementation Plan: terse task entries, so the plan of ~5,000 tasks stays near 1 MB.
  {
    const out = [
      `# ${PROJECT} – APM Implementation Plan`,
      '',
      `* **Last Modification:** Stage ${lastStage.number} tasks reordered after the latest worker handoffs. Modified by the Manager.`,
      `* **Project Overview:** ${PROJECT} syncs field survey data between tablets, phones and a central API, with offline editing, reporting and billing for the teams that use it.`,
      `* **Agents:** ${workers.map(([, d]) => d).join(', ')}`,
      `* **Stages:** ${stages.length}`,
      '',
      '---',
      '',
    ];
    for (const s of stages) {
      out.push(`## Stage ${s.number}: ${s.name}`, '');
      for (const t of s.tasks) {
        out.push(`### Task ${t.id}: ${t.title} - ${t.worker[1]}`, '');
        out.push(`* **Objective:** ${p.sentence()}`);
        const prev = t.number > 1 ? s.tasks[t.number - 2] : null;
        out.push(`* **Dependencies:** ${prev ? `Task ${prev.id} by ${prev.worker[1]}` : 'None'}`, '');
      }
    }
    write('Implementation_Plan.md', out.join('\n'));
  }

  // Specifications: a few sections of prose.
  {
    const out = [`# ${PROJECT} - APM Specifications`, '', `**Last Modification:** Updated after Stage ${Math.max(1, lastStage.number - 1)}. Modified by the Manager.`, '', '---', ''];
    out.push(...specSections(r, p));
    write('Specifications.md', out.join('\n'));
  }

  // Task logs, 1–3 KB each.
  const taskLogPaths = [];
  for (const t of logged) {
    const stage = stages[t.stage - 1];
    const folder = `Memory/Stage_${pad(stage.number)}_${stage.slug}`;
    const rel = `${folder}/Task_Log_${pad(t.stage)}_${pad(t.number)}_${t.slug}.md`;
    t.file = `Task_Log_${pad(t.stage)}_${pad(t.number)}_${t.slug}.md`;
    t.rel = `${folder}/${t.file}`;
    const target = r.int(1100, 2750);
    const head = [
      '---',
      `agent: ${t.worker[0]}`,
      `task_id: Task ${t.id}`,
      `status: ${t.status}`,
      `failure_point: ${t.failurePoint}`,
      `important_findings: ${t.findings}`,
      `compatibility_issues: ${t.compat}`,
      '---',
      '',
      `# Task Memory Log: Task ${t.id} - ${t.slug}`,
      '',
      '## Summary',
      '',
      `${p.sentence()} ${p.sentence()}`,
      '',
      '## Details',
      '',
    ];
    const tail = () => {
      const out = ['', '## Output', ''];
      for (let i = r.int(2, 4); i > 0; i--) out.push(`- \`${p.file()}\``);
      const cmd = r.pick(COMMANDS);
      out.push('', '## Validation', '', `- \`${cmd}\`: ${r.int(12, 400)} passed.`, `- ${p.measured()}`, '', '## Issues', '');
      if (t.status === 'Success') out.push('None');
      else if (t.status === 'Blocked') out.push(`- Blocked: ${t.failurePoint}. ${p.sentence()}`);
      else out.push(`- ${p.sentence()}`, `- ${p.sentence()}`);
      if (t.findings) out.push('', '## Important Findings', '', `- ${p.sentence()}`, `- ${p.sentence()}`);
      if (t.compat) out.push('', '## Compatibility Concerns', '', `- ${p.sentence()}`);
      out.push('', '## Next Steps', '', `- ${p.sentence()}`, '');
      return out;
    };
    write(rel, logText(r, p, head, tail(), target));
    taskLogPaths.push(`.apm/${rel}`);
  }

  // Worker handoff chains: each worker's logged tasks, in time order, split into sessions;
  // handoff k ends session k and lists the tasks that session finished.
  const finalSession = new Map();
  for (const [agentId, display] of workers) {
    const mine = logged.filter((t) => t.worker[0] === agentId).sort((a, b) => a.done - b.done);
    const sessions = sizes.perWorker + 1;
    const per = mine.length / sessions;
    for (let k = 1; k <= sizes.perWorker; k++) {
      const chunk = mine.slice(Math.round((k - 1) * per), Math.round(k * per));
      const last = chunk[chunk.length - 1];
      const stage = stages[last.stage - 1];
      const inStage = mine.filter((t) => t.stage === stage.number);
      const doneInStage = inStage.filter((t) => t.done <= last.done).length;
      const label = `Stage ${stage.number} - ${stage.name}`;
      const out = [
        '---',
        `agent_id: ${agentId}`,
        `outgoing_worker: ${agentId}_Session_${k}`,
        `incoming_worker: ${agentId}_Session_${k + 1}`,
        `handoff_number: ${k}`,
        `current_stage: ${label}`,
        `timestamp: ${iso(last.done + 60_000)}`,
        '---',
        '',
        '# Worker Agent Handoff Memory Log',
        '',
        '## Session Summary',
        '',
        `**Tasks Completed This Session:** ${chunk.length} (${chunk.map((t) => `Task ${t.id}`).join(', ')})`,
        `**Current Stage:** ${label}`,
        `**Stage Progress:** ${doneInStage}/${inStage.length}`,
        '',
        '## Working Context',
        '',
        `- Session ${k} of ${display} worked through ${chunk.length} task${chunk.length === 1 ? '' : 's'}. ${p.sentence()}`,
        `- ${p.sentence()}`,
        `- ${p.sentence()}`,
        '',
        '## Technical Notes',
        '',
        `- \`${p.file()}\`: ${p.sentence()}`,
        `- ${p.measured()}`,
        `- ${p.sentence()}`,
        '',
        '## Continuation Guidance',
        '',
        `- ${p.sentence()}`,
        `- ${p.sentence()}`,
        '',
      ];
      write(`Memory/Handoffs/${agentId}_Handoffs/${agentId}_Handoff_Log_${k}.md`, out.join('\n'));
    }
    finalSession.set(agentId, sizes.perWorker);
  }

  // Saved handoff prompts, one per worker: the latest hand-over.
  for (const [agentId] of workers) {
    const n = finalSession.get(agentId);
    const dirSlug = agentId.toLowerCase().replace(/_/g, '-');
    const out = [
      `# APM Worker Agent Handoff - ${agentId}`,
      '',
      `You are taking over from **${agentId} Session ${n}** as **${agentId} Session ${n + 1}**.`,
      '',
      '## Context Reconstruction Protocol',
      '',
      '### 1. Read Handoff Memory Log',
      `- Path: \`.apm/Memory/Handoffs/${agentId}_Handoffs/${agentId}_Handoff_Log_${n}.md\``,
      '',
      '### 2. Read Current Stage Task Memory Logs',
      `- Directory: \`.apm/Memory/Stage_${pad(lastStage.number)}_${lastStage.slug}/\``,
      '',
      '## Immediate Next Action',
      '',
      `Wait for the next Task Assignment on \`.apm/bus/${dirSlug}/apm-task.md\`. ${p.sentence()}`,
      '',
    ];
    write(`bus/${dirSlug}/apm-handoff.md`, out.join('\n'));
  }

  // Manager handoffs, spread over the timeline.
  for (let k = 1; k <= sizes.managers; k++) {
    const at = logged[Math.min(logged.length - 1, Math.floor((k * logged.length) / (sizes.managers + 1)))];
    const stage = stages[at.stage - 1];
    const recent = logged.filter((t) => t.done <= at.done).slice(-3);
    const out = [
      '---',
      `outgoing_manager: Manager_Session_${k}`,
      `incoming_manager: Manager_Session_${k + 1}`,
      `handoff_number: ${k}`,
      `current_stage: Stage ${stage.number} - ${stage.name}`,
      `timestamp: ${iso(at.done + 30 * 60_000)}`,
      '---',
      '',
      '# Manager Agent Handoff Memory Log',
      '',
      '## Tracked Worker Handoffs',
      '',
      '| Worker Agent | Handoff Stage | Current Stage Logs Loaded | Notes |',
      '|---|---|---|---|',
      ...recent.map((t) => `| ${t.worker[0]} | Stage ${t.stage} | ${t.file} | ${p.sentence()} |`),
      '',
      '## User Preferences',
      '',
      `- ${p.sentence()}`,
      `- ${p.sentence()}`,
      '',
      '## Coordination Insights',
      '',
      `- ${p.sentence()}`,
      '',
      '## Working Notes',
      '',
      `- ${p.sentence()}`,
      `- ${p.sentence()}`,
      '',
    ];
    write(`Memory/Handoffs/Manager_Handoffs/Manager_Handoff_Log_${k}.md`, out.join('\n'));
  }

  // Memory Root: the Manager handoff count and a summary for every finished stage.
  {
    const out = [`# ${PROJECT} – APM Memory Root`, '', `**Manager Handoffs:** ${sizes.managers}`, '', '---', ''];
    for (const s of stages.slice(0, -1)) {
      const agents = [...new Set(s.tasks.map((t) => t.worker[0]))].sort();
      out.push(`## Stage ${s.number} – ${s.name} Summary`, '', `**Outcome:** ${p.sentence()} ${p.sentence()}`, '', `**Agents Involved:** ${agents.join(', ')}`, '', '**Task Memory Logs:**');
      for (const t of s.tasks) out.push(`- [${t.file}](Stage_${pad(s.number)}_${s.slug}/${t.file}) - ${t.status}`);
      out.push('');
    }
    write('Memory/Memory_Root.md', out.join('\n'));
  }

  written.sort();
  if (written.length !== files) throw new Error(`generated ${written.length} markdown files, expected ${files}`);
  return { dir, sizes, files: written, taskLogs: taskLogPaths.sort() };
}

// ---------------------------------------------------------------------------------------------
// APM v1.0 trees (v1.0.0 … v1.0.2), shaped like examples/apm-v1, for the comparative bench
// (bench/compare.js). The same project, vocabulary and prose as the Stage-era tree; N counts the
// markdown files (.apm/metadata.json comes on top):
//
//   .apm/metadata.json                                  {"releaseVersion":"v1.0.2", …}
//   .apm/plan.md, .apm/spec.md, .apm/tracker.md         the plan declares every task
//   .apm/memory/index.md                                Memory Notes, a summary per finished stage
//   .apm/memory/stage-NN/task-NN-MM.log.md              most of the files
//   .apm/memory/handoffs/<agent>/handoff-NN.log.md      up to 10 workers
//   .apm/memory/handoffs/manager/handoff-NN.log.md
//   .apm/bus/<agent>/task.md                            the current assignment of each worker
//
// Clean too: memlint reports nothing for it. Small trees (down to 10 files) work, for the
// "one named file in a 10-file tree" measurement.

const V1_WORKERS = WORKERS.map(([id, name]) => [id.replace(/^Agent_/, '').toLowerCase() + '-agent', name]);
const V1_STATUSES = ['Success', 'Partial', 'Failed'];

/** The sizes of a v1.0 tree of N markdown files. */
export function planV1(files) {
  const workers = Math.min(V1_WORKERS.length, Math.max(1, Math.round(files / 30)));
  const perWorker = Math.max(1, Math.round((files * 0.08) / workers));
  const managers = Math.max(1, Math.round(files / 250));
  const fixed = 4 + workers; // plan, spec, tracker, memory index, one bus task per worker
  const tasks = files - fixed - workers * perWorker - managers;
  if (tasks < Math.max(2, workers * (perWorker + 1))) throw new Error(`--files ${files} is too small for a v1.0 tree (try 10 or more)`);
  const stages = Math.min(99, Math.max(2, Math.round(tasks / 100)));
  return { files, workers, perWorker, managers, tasks, stages };
}

/** Writes a v1.0 tree into `dir` (emptied first); returns what it wrote, as generateTree does. */
export function generateV1Tree(dir, { files = 5000, seed = 1 } = {}) {
  const sizes = planV1(files);
  const r = rng(seed);
  const p = prose(r);
  const { write, written } = treeWriter(dir);
  write('metadata.json', `${JSON.stringify({ source: 'official', repository: 'sdi2200262/agentic-project-management', releaseVersion: 'v1.0.2', cliVersion: '1.0.2', assistants: ['claude'], installedAt: '2025-01-06T09:00:00Z' }, null, 2)}\n`);

  const workers = V1_WORKERS.slice(0, sizes.workers);
  const unlogged = Math.min(3, sizes.tasks - 1); // the running stage has a few tasks not logged yet
  const stages = scheduleTasks(r, sizes.stages, workers, sizes.tasks, unlogged);
  const allTasks = stages.flatMap((s) => s.tasks);
  const logged = allTasks.filter((t) => t.logged);
  const lastStage = stages[stages.length - 1];
  for (const t of logged) {
    const x = r.next();
    const running = t.stage === lastStage.number;
    t.status = x < (running ? 0.7 : 0.92) ? 'Success' : x < (running ? 0.88 : 0.97) ? 'Partial' : 'Failed';
    t.findings = r.chance(0.15);
    t.compat = r.chance(0.1);
    t.file = `task-${pad(t.stage)}-${pad(t.number)}.log.md`;
  }

  // plan.md: the workers, the stages, then every task (terse entries, as in the Stage-era tree).
  {
    const out = [
      '---',
      `title: ${PROJECT}`,
      `modified: Stage ${lastStage.number} tasks reordered after the latest worker handoffs. Modified by the Manager.`,
      '---',
      '',
      '# APM Plan',
      '',
      '## Workers',
      '',
      '| Worker | Domain | Description |',
      '|---|---|---|',
      ...workers.map(([, d]) => `| ${d} | ${r.pick(AREAS)} | ${p.sentence()} |`),
      '',
      '## Stages',
      '',
      '| Stage | Name | Tasks | Agents |',
      '|---|---|---|---|',
      ...stages.map((s) => `| ${s.number} | ${s.name} | ${s.tasks.length} | ${[...new Set(s.tasks.map((t) => t.worker[1].replace(/ Agent$/, '')))].sort().join(', ')} |`),
      '',
      '---',
      '',
    ];
    for (const s of stages) {
      out.push(`## Stage ${s.number}: ${s.name}`, '');
      for (const t of s.tasks) {
        out.push(`### Task ${t.id}: ${t.title} - ${t.worker[1]}`, '');
        out.push(`* **Objective:** ${p.sentence()}`);
        const prev = t.number > 1 ? s.tasks[t.number - 2] : null;
        out.push(`* **Dependencies:** ${prev ? `Task ${prev.id}` : 'None'}`, '');
      }
    }
    write('plan.md', out.join('\n'));
  }

  // spec.md
  {
    const out = ['---', `title: ${PROJECT}`, `modified: Updated after Stage ${Math.max(1, lastStage.number - 1)}. Modified by the Manager.`, '---', '', '# APM Spec', ''];
    out.push(...specSections(r, p));
    write('spec.md', out.join('\n'));
  }

  // Task logs, 1–3 KB each.
  const taskLogPaths = [];
  for (const t of logged) {
    const rel = `memory/stage-${pad(t.stage)}/${t.file}`;
    const target = r.int(1100, 2750);
    const head = [
      '---',
      `stage: ${t.stage}`,
      `task: ${t.number}`,
      `title: ${t.title}`,
      `agent: ${t.worker[0]}`,
      `status: ${t.status}`,
      `important_findings: ${t.findings}`,
      `compatibility_issues: ${t.compat}`,
      '---',
      '',
      `# Task ${t.id} - ${t.title}`,
      '',
      '## Summary',
      '',
      `${p.sentence()} ${p.sentence()}`,
      '',
      '## Details',
      '',
    ];
    const end = ['', '## Output', ''];
    for (let i = r.int(2, 4); i > 0; i--) end.push(`- \`${p.file()}\``);
    end.push('', '## Validation', '', `- \`${r.pick(COMMANDS)}\`: ${r.int(12, 400)} passed.`, `- ${p.measured()}`, '', '## Issues', '');
    if (t.status === 'Success') end.push('None');
    else end.push(`- ${p.sentence()}`, `- ${p.sentence()}`);
    if (t.findings) end.push('', '## Important Findings', '', `- ${p.sentence()}`, `- ${p.sentence()}`);
    if (t.compat) end.push('', '## Compatibility Concerns', '', `- ${p.sentence()}`);
    end.push('');
    write(rel, logText(r, p, head, end, target));
    taskLogPaths.push(`.apm/${rel}`);
  }

  // Worker handoff chains: handoff k ends instance k; the stage is the one its last task was in.
  const instances = new Map();
  for (const [slug, display] of workers) {
    const mine = logged.filter((t) => t.worker[0] === slug).sort((a, b) => a.done - b.done);
    const per = mine.length / (sizes.perWorker + 1);
    for (let k = 1; k <= sizes.perWorker; k++) {
      const chunk = mine.slice(Math.round((k - 1) * per), Math.round(k * per));
      const last = chunk[chunk.length - 1] ?? mine[0];
      const out = [
        '---',
        `agent: ${slug}`,
        `outgoing: ${k}`,
        `incoming: ${k + 1}`,
        `handoff: ${k}`,
        `stage: ${last.stage}`,
        '---',
        '',
        `# ${display} Handoff ${k} (${display} ${k} → ${display} ${k + 1})`,
        '',
        '## Summary',
        '',
        `This instance completed ${chunk.length} Task${chunk.length === 1 ? '' : 's'}: ${chunk.map((t) => `${t.id} (${t.status})`).join(', ')}. The handoff happened in Stage ${last.stage}, between Tasks. ${p.sentence()}`,
        '',
        '## Working Context',
        '',
        `- ${p.sentence()}`,
        `- \`${p.file()}\`: ${p.sentence()}`,
        `- ${p.sentence()}`,
        '',
        '## Working Notes',
        '',
        `- ${p.measured()}`,
        `- ${p.sentence()}`,
        '',
      ];
      write(`memory/handoffs/${slug}/handoff-${pad(k)}.log.md`, out.join('\n'));
    }
    instances.set(slug, sizes.perWorker + 1);
  }

  // Manager handoffs, spread over the timeline.
  for (let k = 1; k <= sizes.managers; k++) {
    const at = logged[Math.min(logged.length - 1, Math.floor((k * logged.length) / (sizes.managers + 1)))];
    const recent = logged.filter((t) => t.done <= at.done).slice(-3);
    const out = [
      '---',
      'agent: manager',
      `outgoing: ${k}`,
      `incoming: ${k + 1}`,
      `handoff: ${k}`,
      `stage: ${at.stage}`,
      '---',
      '',
      `# Manager Handoff ${k} (Manager ${k} → Manager ${k + 1})`,
      '',
      '## Summary',
      '',
      `Coordinated the session up to Task ${at.id} in Stage ${at.stage}. ${p.sentence()}`,
      '',
      '## Working Context',
      '',
      '### Worker state',
      '',
      '| Agent | Last Task | Notes |',
      '|-------|-----------|-------|',
      ...recent.map((t) => `| ${t.worker[0]} | ${t.id} | ${p.sentence()} |`),
      '',
      '## Working Notes',
      '',
      `- ${p.sentence()}`,
      `- ${p.sentence()}`,
      '',
    ];
    write(`memory/handoffs/manager/handoff-${pad(k)}.log.md`, out.join('\n'));
  }

  // bus/<agent>/task.md: each worker's current assignment, the first unlogged task or its last one.
  for (const [slug] of workers) {
    const t = allTasks.find((x) => !x.logged && x.worker[0] === slug) ?? logged.filter((x) => x.worker[0] === slug).at(-1) ?? logged[0];
    const out = [
      '---',
      `stage: ${t.stage}`,
      `task: ${t.number}`,
      `agent: ${slug}`,
      `log_path: ".apm/memory/stage-${pad(t.stage)}/task-${pad(t.stage)}-${pad(t.number)}.log.md"`,
      `has_dependencies: ${t.number > 1}`,
      '---',
      '',
      `# Task ${t.id} - ${t.title}`,
      '',
      '## Objective',
      '',
      p.sentence(),
      '',
      '## Detailed Instructions',
      '',
      `1. ${p.sentence()}`,
      `2. ${p.sentence()}`,
      '',
      '## Task Logging',
      '',
      `Write the Task Log to \`.apm/memory/stage-${pad(t.stage)}/task-${pad(t.stage)}-${pad(t.number)}.log.md\` following the task logging guide.`,
      '',
    ];
    write(`bus/${slug}/task.md`, out.join('\n'));
  }

  // tracker.md: finished stages as "Complete", the running stage's table, the worker instances.
  {
    const out = ['---', `title: ${PROJECT}`, '---', '', '# APM Tracker', '', '## Task Tracking', ''];
    for (const s of stages.slice(0, -1)) out.push(`**Stage ${s.number}:** Complete`, '');
    out.push(`**Stage ${lastStage.number}:**`, '', '| Task | Status | Agent | Branch |', '|------|--------|-------|--------|');
    for (const t of lastStage.tasks) {
      const branch = `feat/${t.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
      out.push(`| ${t.id} | ${t.logged ? 'Done' : 'Active'} | ${t.worker[0]} | ${branch} |`);
    }
    out.push('', '## Worker Tracking', '', '| Agent | Instance | Notes |', '|-------|----------|-------|');
    for (const [slug] of workers) out.push(`| ${slug} | ${instances.get(slug)} | ${p.sentence()} |`);
    out.push('', '## Working Notes', '', `- ${p.sentence()}`, `- ${p.sentence()}`, '');
    write('tracker.md', out.join('\n'));
  }

  // memory/index.md: Memory Notes, and a summary listing the logs of every finished stage.
  {
    const out = ['---', `title: ${PROJECT}`, '---', '', '# APM Memory Index', '', '## Memory Notes', ''];
    for (let i = 0; i < 6; i++) out.push(`- **${r.pick(AREAS)}.** ${p.sentence()} ${p.sentence()}`);
    out.push('', '## Stage Summaries', '');
    for (const s of stages.slice(0, -1)) {
      out.push(`### Stage ${s.number} - ${s.name}`, '', `${p.sentence()} ${p.sentence()} ${p.sentence()}`, '', '**Task Logs:**');
      for (const t of s.tasks) out.push(`- ${t.file}`);
      out.push('');
    }
    write('memory/index.md', out.join('\n'));
  }

  written.sort();
  if (written.length !== files) throw new Error(`generated ${written.length} markdown files, expected ${files}`);
  return { dir, sizes, files: written, taskLogs: taskLogPaths.sort() };
}

/** The eras bench/compare.js generates: `stage` (generateTree) and `v1` (generateV1Tree). */
export const ERAS = { stage: generateTree, v1: generateV1Tree };

/** A tree of the era; `era` is `stage` or `v1`. */
export function generateEra(era, dir, options) {
  const make = ERAS[era];
  if (!make) throw new Error(`unknown era ${era} (stage, v1)`);
  return make(dir, options);
}

/** Every markdown file of a tree, relative to it, sorted. */
export function markdownFiles(dir) {
  const out = [];
  const visit = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.isFile() && e.name.endsWith('.md')) out.push(path.relative(dir, p).split(path.sep).join('/'));
    }
  };
  visit(dir);
  return out.sort();
}

/**
 * Writes "the same N pages" for a plain Starlight site: one `.md` per markdown file of the tree,
 * with the same body text (the memory file without its own frontmatter) and a `title`
 * frontmatter (the file's H1, else its name), under `<site>/src/content/docs/`. Returns the count.
 */
export function writePlainPages(treeDir, siteDir) {
  const docs = path.join(siteDir, 'src', 'content', 'docs');
  rmSync(docs, { recursive: true, force: true });
  let n = 0;
  for (const rel of markdownFiles(treeDir)) {
    const text = readFileSync(path.join(treeDir, rel), 'utf8');
    const body = text.replace(/^---\n[\s\S]*?\n---\n/, '');
    const h1 = /^#\s+(.+)$/m.exec(body);
    const title = h1 ? h1[1].trim() : path.basename(rel, '.md');
    const out = rel
      .replace(/^\.apm\//, '')
      .toLowerCase()
      .replace(/\.md$/, '')
      .replace(/[^a-z0-9/]+/g, '-')
      .replace(/(^|\/)-+|-+($|\/)/g, '$1$2');
    const file = path.join(docs, `${out}.md`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `---\ntitle: ${JSON.stringify(title)}\n---\n\n${body}`);
    n += 1;
  }
  return n;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { files: { type: 'string', default: '5000' }, seed: { type: 'string', default: '1' }, era: { type: 'string', default: 'stage' }, plain: { type: 'string' } },
  });
  if (positionals.length !== 1 || !(values.era in ERAS)) {
    process.stderr.write('usage: node bench/generate.js <dir> [--files N] [--seed S] [--era stage|v1] [--plain <starlight-site-dir>]\n');
    process.exit(2);
  }
  const t0 = performance.now();
  const result = generateEra(values.era, positionals[0], { files: Number(values.files), seed: Number(values.seed) });
  process.stdout.write(`${result.files.length} markdown files (${result.taskLogs.length} task logs) in ${positionals[0]} (${Math.round(performance.now() - t0)} ms)\n`);
  process.stdout.write(`${JSON.stringify(result.sizes)}\n`);
  if (values.plain) process.stdout.write(`${writePlainPages(positionals[0], values.plain)} pages in ${values.plain}/src/content/docs\n`);
}
