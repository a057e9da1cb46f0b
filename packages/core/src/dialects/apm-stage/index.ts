import { findField, frontmatterData, type MemoryDocument } from '../../document.ts';
import { claimAt, valueRange } from '../../rules/locate.ts';
import { agentOf, chainOf, stageOf, taskOf, type Claim, type Workspace } from '../../workspace/workspace.ts';
import { classifyStagePath, parseStageLabel } from './paths.ts';
import { indexPlan } from '../apm/plan.ts';
import type { PathIds } from '../dialect.ts';
import { h2Index } from '../../markdown/sections.ts';

const SUMMARY = /^Stage\s+(\d+)\s*[-–—:].*\bSummary$/i;
const LOG_NAME = /\b(?:Task|Delegation)_Log_\d+_\d+[\w.-]*?\.md\b/g;

/** The Stage era's part of the index: stage folders, plan headings, task logs, handoff chains, the Memory Root's summaries. */
export function buildStageIndex(ws: Workspace): void {
  for (const p of ws.paths) {
    const m = /^Memory\/(Stage_(\d+)(?:_([^/]*))?)(\/|$)/.exec(p);
    // A file such as Memory/Stage_05_notes.md is not a stage folder.
    if (m && (m[4] === '/' || !/\.[A-Za-z0-9]+$/.test(m[1]!))) {
      const s = stageOf(ws, Number(m[2]));
      if (!s.folders.includes(`Memory/${m[1]}`)) s.folders.push(`Memory/${m[1]}`);
      if (!s.name && m[3]) s.name = m[3].replace(/_/g, ' ');
    }
  }
  if (ws.plan) indexPlan(ws, ws.plan);
  for (const d of ws.documents) {
    const data = frontmatterData(d);
    if (d.kind === 'task-log') {
      const id = typeof data.task_id === 'string' ? /^Task (\d+)\.(\d+)$/.exec(data.task_id) : null;
      if (id) taskOf(ws, Number(id[1]), Number(id[2])).logs.push(d);
      else if (d.ids.stage !== undefined && d.ids.task !== undefined) taskOf(ws, d.ids.stage, d.ids.task).logs.push(d);
      if (typeof data.agent === 'string' && data.agent) agentOf(ws, data.agent).taskLogs.push(d);
    } else if (d.kind === 'worker-handoff-log' || d.kind === 'manager-handoff-log') {
      const fileNumber = d.ids.handoff ?? null;
      const number = Number.isInteger(data.handoff_number) ? (data.handoff_number as number) : fileNumber;
      const name = d.kind === 'manager-handoff-log' ? 'Manager' : typeof data.agent_id === 'string' && data.agent_id ? data.agent_id : (d.ids.agent ?? 'unknown');
      const stage = typeof data.current_stage === 'string' ? parseStageLabel(data.current_stage) : null;
      const timestamp = typeof data.timestamp === 'string' ? data.timestamp : null;
      // Session names carry the numbers here (`Agent_Api_Session_2`): handoff-session-names checks them.
      chainOf(ws, d.kind === 'manager-handoff-log' ? 'manager' : 'worker', name).links.push({
        number,
        document: d,
        get numberRange() {
          return valueRange(d, 'handoff_number');
        },
        fileNumber,
        stage: stage ? claimAt(d, 'current_stage', stage.number) : null,
        stageLabel: label(data.current_stage),
        timestamp: timestamp ? claimAt(d, 'timestamp', timestamp) : null,
        fromLabel: label(data[d.kind === 'manager-handoff-log' ? 'outgoing_manager' : 'outgoing_worker']),
        toLabel: label(data[d.kind === 'manager-handoff-log' ? 'incoming_manager' : 'incoming_worker']),
        citedTasks: d.kind === 'worker-handoff-log' ? citedTasks(d) : [],
      });
    }
  }
  if (ws.memoryRoot) {
    ws.provides.summaries = true;
    ws.summaries.push(...stageSummaries(ws.memoryRoot));
  }
}

const label = (value: unknown) => (typeof value === 'string' && value ? value : null);

/** `**Tasks Completed This Session:** Task 2.1, Task 2.2` → the tasks and where each is named. */
function citedTasks(doc: MemoryDocument): Claim<string>[] {
  const section = h2Index(doc, 'Session Summary');
  const field = findField(doc, 'Tasks Completed This Session', section === -1 ? undefined : section);
  if (!field) return [];
  const base = field.valueRange.start.offset;
  return [...field.value.matchAll(/\bTask\s+(\d+)\.(\d+)\b/g)].map((m) => ({
    value: `${Number(m[1])}.${Number(m[2])}`,
    range: doc.source.rangeAt(base + m.index, base + m.index + m[0].length),
  }));
}

/** The Memory Root's `## Stage N - Name Summary` sections and the log names they list. */
function stageSummaries(doc: MemoryDocument): Workspace['summaries'] {
  return doc.sections.flatMap((section) => {
    const m = SUMMARY.exec(section.heading.text);
    if (!m) return [];
    const text = doc.source.text.slice(section.contentStart, section.contentEnd);
    const seen = new Set<string>();
    const logs: Claim<string>[] = [];
    for (const found of text.matchAll(LOG_NAME)) {
      const at = section.contentStart + found.index;
      const key = `${doc.source.pointAt(at).line}:${found[0]}`;
      if (seen.has(key)) continue; // `[name](dir/name)` names it twice on one line
      seen.add(key);
      logs.push({ value: found[0], range: doc.source.rangeAt(at, at + found[0].length) });
    }
    return [{ document: doc, stage: Number(m[1]), heading: section.heading.range, title: section.heading.text, logs }];
  });
}

/** What a Stage-era path carries. */
export function locateStagePath(relPath: string): PathIds {
  const info = classifyStagePath(relPath);
  switch (info.kind) {
    case 'task-log':
      return {
        stage: info.stageNumber,
        task: info.taskNumber,
        folder: info.stageDir,
        ...(info.stageDirNumber !== null ? { folderStage: info.stageDirNumber } : {}),
        ...(info.slug ? { slug: info.slug } : {}),
      };
    case 'delegation-log':
      return { stage: info.stageNumber, folder: info.stageDir, ...(info.stageDirNumber !== null ? { folderStage: info.stageDirNumber } : {}) };
    case 'worker-handoff-log':
      return {
        ...(info.dirAgent ?? info.fileAgent ? { agent: (info.dirAgent ?? info.fileAgent)! } : {}),
        ...(info.dirAgent ? { folderAgent: info.dirAgent } : {}),
        ...(info.fileAgent ? { fileAgent: info.fileAgent } : {}),
        ...(info.number !== null ? { handoff: info.number } : {}),
      };
    case 'manager-handoff-log':
      return info.number !== null ? { handoff: info.number } : {};
    default:
      return {};
  }
}
