import path from 'node:path';
import { frontmatterData, type MemoryDocument } from '../../document.ts';
import { claimAt, valueRange } from '../../rules/locate.ts';
import { agentOf, chainOf, stageOf, taskOf, type Claim, type StageSummary, type Workspace } from '../../workspace/workspace.ts';
import { indexPlan } from '../apm/plan.ts';
import { MANAGER, parseTaskRef, phaseFolder, splitAgentId } from './paths.ts';

/** A log the Manager created and nobody filled yet. */
export const isEmptyLog = (doc: MemoryDocument) => doc.kind === 'task-log' && !doc.problem && doc.source.text.trim() === '';

/** The task a log is for: its `task_ref`, else its file name. */
export function logTask(doc: MemoryDocument): { stage: number; task: number; suffix: string; followUp: boolean } | null {
  const ref = parseTaskRef(frontmatterData(doc).task_ref);
  if (ref) return { ...ref, followUp: ref.followUp || Boolean(doc.ids.followUp) };
  const { stage, task } = doc.ids;
  return stage === undefined || task === undefined ? null : { stage, task, suffix: doc.ids.taskSuffix ?? '', followUp: Boolean(doc.ids.followUp) };
}

/** The number in a value such as `Phase 3: Wheel Bookings`, `Phase 7 (Substantially Complete)`, `3`. */
function phaseNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  const m = typeof value === 'string' ? /^\s*(?:Phase\s*)?(\d+)(?![\d.])/i.exec(value) : null;
  return m ? Number(m[1]) : null;
}

const whole = (value: unknown): number | null =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : null;

/** The Phase era's part of the index: phase folders, the plan, task logs, handover series, the Memory Root's phase summaries. */
export function buildPhaseIndex(ws: Workspace): void {
  for (const p of ws.paths) {
    const m = /^Memory\/([^/]+)(\/|$)/.exec(p);
    const folder = m ? phaseFolder(m[1]!) : null;
    if (folder && folder.sub === null && (m![2] === '/' || !p.includes('.'))) {
      const s = stageOf(ws, folder.phase);
      if (!s.folders.includes(`Memory/${m![1]}`)) s.folders.push(`Memory/${m![1]}`);
    }
  }
  if (ws.plan) indexPlan(ws, ws.plan, 'Phase');
  for (const d of ws.documents) {
    const data = frontmatterData(d);
    if (d.kind === 'task-log') {
      if (isEmptyLog(d)) continue; // not a log yet: task-log-empty reports it when its phase has moved on
      const t = logTask(d);
      if (t) taskOf(ws, t.stage, t.task, t.suffix).logs.push(d);
      if (typeof data.agent === 'string' && data.agent.trim()) agentOf(ws, data.agent.trim()).taskLogs.push(d);
    } else if (d.kind === 'worker-handoff-log' || d.kind === 'manager-handoff-log') {
      indexHandover(ws, d);
    } else if (d.kind === 'memory-root') {
      ws.provides.summaries = true;
      ws.summaries.push(...phaseSummaries(d, path.basename(ws.root.dir)));
    }
  }
}

function indexHandover(ws: Workspace, d: MemoryDocument): void {
  const data = frontmatterData(d);
  const manager = d.kind === 'manager-handoff-log';
  const id = typeof data.agent_id === 'string' && data.agent_id.trim() ? splitAgentId(data.agent_id) : null;
  // The series is the agent's, whichever folder the file is in: handover-file-path reports a misfiled one.
  const name = manager ? 'Manager' : (id?.agent ?? d.ids.fileAgent ?? d.ids.folderAgent ?? 'unknown');
  const stated = whole(data.handover_number);
  const fileNumber = d.ids.handoff ?? null;
  const outgoing: Claim<number> | null =
    id && id.instance !== null
      ? claimAt(d, 'agent_id', id.instance, { written: (n) => `agent_id: ${id.agent}_${n}` })
      : null;
  const phase = manager ? phaseNumber(data.current_phase) : null;
  const last = parseTaskRef(typeof data.last_completed_task === 'string' ? data.last_completed_task.replace(/^Task_(\d+)_(\d+)/i, 'Task $1.$2') : undefined);
  const shown = manager ? 'Manager' : name;
  chainOf(ws, manager ? 'manager' : 'worker', name).links.push({
    number: stated ?? fileNumber,
    document: d,
    get numberRange() {
      return stated !== null ? valueRange(d, 'handover_number') : d.source.lineRange(1);
    },
    fileNumber,
    stated: stated === null ? null : claimAt(d, 'handover_number', stated, { written: (n) => `handover_number: ${n}` }),
    outgoing,
    incoming: null,
    stage: phase === null ? null : claimAt(d, 'current_phase', phase),
    stageLabel: typeof data.current_phase === 'string' ? data.current_phase : null,
    timestamp: null,
    fromLabel: outgoing ? `${shown}_${outgoing.value}` : null,
    toLabel: outgoing ? `${shown}_${outgoing.value + 1}` : null,
    citedTasks: last && !last.followUp ? [claimAt(d, 'last_completed_task', `${last.stage}.${last.task}${last.suffix}`)] : [],
  });
  if (!manager && name !== MANAGER) agentOf(ws, name);
}

// `## Phase 02 – Firing Queue Summary`, `## Phase 1 - Foundation Summary`, `## Phase 06.5 – TTK Integration Summary`;
// a lossy conversion may have left a control character for the dash (`file-encoding` reports it).
const SUMMARY = /^Phase\s*(\d+)(?:\.(\d+))?(?=[\s\-–—:\u0000-\u001f]|$)/i;
const LINK = /\]\(\s*<?([^()<>\s]+)>?(?:\s+"[^"]*")?\s*\)/g;

/** `## Phase NN – Name Summary` sections of the Memory Root, and the logs each links. */
function phaseSummaries(doc: MemoryDocument, rootName: string): StageSummary[] {
  const out: StageSummary[] = [];
  const dir = doc.relPath.includes('/') ? doc.relPath.slice(0, doc.relPath.lastIndexOf('/')) : '';
  for (const section of doc.sections) {
    if (section.heading.depth !== 2) continue;
    const m = SUMMARY.exec(section.heading.text);
    if (!m || !/summary\s*$/i.test(section.heading.text)) continue;
    const text = doc.source.text.slice(section.contentStart, section.contentEnd);
    const logs: StageSummary['logs'] = [];
    for (const found of text.matchAll(LINK)) {
      const target = found[1]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#') || !/\.md(?:#.*)?$/i.test(target)) continue;
      const start = section.contentStart + found.index + found[0].indexOf(target, 2);
      const file = decodeTarget(target.replace(/#.*$/, ''));
      // Read from the folder holding the root, a target inside the root starts with the root's own name.
      const fromParent = resolve('', file);
      const fromRepository = fromParent !== null && fromParent.startsWith(`${rootName}/`) ? fromParent.slice(rootName.length + 1) : null;
      logs.push({ value: target, range: doc.source.rangeAt(start, start + target.length), path: resolve(dir, file), fromRepository });
    }
    // A sub-phase summary (`Phase 06.5`) has no phase number of its own in the index.
    out.push({ document: doc, stage: m[2] ? null : Number(m[1]), heading: section.heading.range, title: section.heading.text, logs });
  }
  return out;
}

function decodeTarget(target: string): string {
  try {
    return decodeURIComponent(target);
  } catch {
    return target;
  }
}

/** A relative link target read from a folder of the root, or null when it leaves the root. */
function resolve(dir: string, target: string): string | null {
  const parts = target.startsWith('/') ? [] : dir.split('/').filter(Boolean);
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}
