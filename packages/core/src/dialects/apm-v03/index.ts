import { findField, type MemoryDocument } from '../../document.ts';
import type { Field } from '../../markdown/structure.ts';
import { agentOf, chainOf, stageOf, taskOf, type Claim, type Workspace } from '../../workspace/workspace.ts';
import { entriesOf, labelOf } from './entries.ts';
import { phaseFolder } from './paths.ts';

// `## Phase 1: Sensor Logging - Agent Group Alpha (Agent_Sensors)`, `### Phase 2 - UI`.
const PLAN_PHASE = /^Phase\s+(\d+)\s*[:\-–—.]\s*(.+)$/i;
// `### Task 1.1 - Agent_Sensors: Sensor Reading Service`, `### Task 2.3: Title - Agent_UI`.
const PLAN_TASK = /^Task\s+(\d+)\.(\d+)\s*[:\-–—.]\s*(.+)$/i;
// A task reference's numbers: `Phase 1 / Task 1.1 / …`, `Task 2.3`, `Phase 2 / Task 3`.
const REF_DOTTED = /\bTask\s+(\d+)\.(\d+)\b/i;
const REF_PHASE = /\bPhase\s+(\d+)\s*\/\s*Task\s+(\d+)\b/i;
const DATE = /\b\d{4}-\d{2}-\d{2}\b/;
// How far into a value the ids are looked for: a value is one line, which may be very long.
const LOOK = 400;

/** `Sensor Logging - Agent Group Alpha (Agent_Sensors)` → `Sensor Logging`. */
const phaseName = (text: string) => text.replace(/\s+[-–—]\s+Agent\b.*$/i, '').replace(/\s*\((?:Completed|Partially Completed|In Progress|Blocked)\)$/i, '').trim();

/** The task a reference names, when its ids are numbers (`Phase 1 / Task A / Item 2` names none). */
export function taskRef(value: string): { stage: number; task: number } | null {
  const head = value.slice(0, LOOK);
  const dotted = REF_DOTTED.exec(head);
  if (dotted) return { stage: Number(dotted[1]), task: Number(dotted[2]) };
  const phase = REF_PHASE.exec(head);
  return phase ? { stage: Number(phase[1]), task: Number(phase[2]) } : null;
}

/** A label's value as plain text: markup and brackets gone. */
// Code and bold markers go; underscores only where they wrap the value (`_x_`), since ids are written with them (`Agent_Sensors`).
export const plainValue = (value: string) => value.slice(0, LOOK).replace(/[`*]/g, '').trim().replace(/^_+(?=\S)|(?<=\S)_+$/g, '').trim();

/** v0.3's part of the index: phase folders and plan headings as stages, entries as task logs and agents, handover files as a chain. */
export function buildV03Index(ws: Workspace): void {
  for (const p of ws.paths) {
    const phase = phaseFolder(p);
    if (!phase) continue;
    const s = stageOf(ws, phase.stage);
    if (!s.folders.includes(phase.folder)) s.folders.push(phase.folder);
    s.name ??= phase.name;
  }
  if (ws.plan) indexV03Plan(ws, ws.plan);
  for (const d of ws.documents) {
    if (d.kind === 'memory-root' || d.kind === 'task-log') indexEntries(ws, d);
    else if (d.kind === 'manager-handoff-log' || d.kind === 'worker-handoff-log') indexHandover(ws, d);
  }
}

function indexV03Plan(ws: Workspace, plan: MemoryDocument): void {
  ws.provides.plan = true;
  for (const h of plan.headings) {
    const pm = h.depth <= 3 ? PLAN_PHASE.exec(h.text) : null;
    if (pm) {
      const s = stageOf(ws, Number(pm[1]));
      const name = phaseName(pm[2]!);
      s.planned ??= { document: plan, range: h.range, name };
      s.name = name;
      continue;
    }
    const tm = h.depth >= 2 ? PLAN_TASK.exec(h.text) : null;
    if (!tm) continue;
    // `Agent_Sensors: Title` (the agent first), or `Title - Agent_UI`.
    const rest = tm[3]!.trim();
    const first = /^(Agent[\w-]*)\s*:\s*(.+)$/.exec(rest);
    const last = first ? null : /^(.+?)\s+[-–—|│]\s+(Agent[\w-]*)$/.exec(rest);
    const t = taskOf(ws, Number(tm[1]), Number(tm[2]));
    const title = first ? first[2]! : last ? last[1]! : rest;
    const agent = first ? first[1]! : last ? last[2]! : null;
    t.planned ??= { document: plan, range: h.range, title: title.trim(), agent };
    if (agent) agentOf(ws, agent);
  }
}

function indexEntries(ws: Workspace, doc: MemoryDocument): void {
  const push = (list: MemoryDocument[]) => {
    if (!list.includes(doc)) list.push(doc);
  };
  // A task log's own name says its task, entries or not.
  const { stage, task } = doc.ids;
  if (doc.kind === 'task-log' && stage !== undefined && task !== undefined) push(taskOf(ws, stage, task).logs);
  for (const entry of entriesOf(doc)) {
    const ref = labelOf(entry, 'task');
    const ids = ref ? taskRef(ref.value) : null;
    if (ids) {
      const info = taskOf(ws, ids.stage, ids.task);
      push(info.logs);
      // Entries are appended newest last: the last one that states a status is the task's.
      const status = labelOf(entry, 'status');
      const value = status ? plainValue(status.value) : '';
      if (status && value) info.status = { value, range: status.valueRange, document: doc };
    }
    const agent = labelOf(entry, 'agent');
    const name = agent ? plainValue(agent.value) : '';
    if (name) push(agentOf(ws, name).taskLogs);
  }
}

/** The number at the end of an instance id (`Manager_Instance_2` → 2). */
function instance(field: Field | undefined): Claim<number> | null {
  const m = field ? /(\d+)\D*$/.exec(plainValue(field.value)) : null;
  return m && field ? { value: Number(m[1]), range: field.valueRange } : null;
}

/** A Handover File as one link of its agent's chain: v0.3 keeps one file, overwritten at each handover. */
function indexHandover(ws: Workspace, doc: MemoryDocument): void {
  const out = findField(doc, 'Outgoing Agent ID');
  const into = findField(doc, 'Incoming Agent ID');
  const outgoing = instance(out);
  const incoming = instance(into);
  const who = out ? plainValue(out.value) : '';
  const manager = doc.kind === 'manager-handoff-log' && (!who || /manager/i.test(who));
  const agent = manager ? 'manager' : who.replace(/[_\s-]*(?:Instance[_\s-]*)?\d+$/i, '') || 'unknown';
  const focus = findField(doc, 'Current Phase/Focus');
  const phase = focus ? /\bPhase\s+(\d+)\b/i.exec(focus.value.slice(0, LOOK)) : null;
  const date = doc.title ? DATE.exec(doc.title.text) : null;
  chainOf(ws, manager ? 'manager' : 'worker', agent).links.push({
    number: doc.ids.handoff ?? outgoing?.value ?? null,
    document: doc,
    numberRange: out?.valueRange ?? doc.source.lineRange(1),
    fileNumber: doc.ids.handoff ?? null,
    stated: null,
    outgoing,
    incoming,
    stage: phase && focus ? { value: Number(phase[1]), range: focus.valueRange } : null,
    stageLabel: focus ? plainValue(focus.value) : null,
    timestamp: date && doc.title ? { value: date[0], range: doc.title.textRange } : null,
    fromLabel: who || null,
    toLabel: into ? plainValue(into.value) || null : null,
    citedTasks: [],
  });
}
