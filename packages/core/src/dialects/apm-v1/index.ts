import { findSection, frontmatterData, type MemoryDocument } from '../../document.ts';
import { tablesIn } from '../../markdown/tables.ts';
import { claimAt, valueRange } from '../../rules/locate.ts';
import { agentKey } from '../../text/ids.ts';
import { agentOf, chainOf, stageOf, taskOf, type Claim, type Workspace } from '../../workspace/workspace.ts';
import { indexPlan } from '../apm/plan.ts';
import { countValue } from './schemas.ts';

const LOG_NAME = /\btask-\d+-\d+(?:-[a-z0-9][a-z0-9._-]*?)?\.log\.md\b/gi;
const SUMMARY = /^Stage\s+(\d+)\b/i;

/** v1.0's part of the index: stage folders, the plan, task logs, handoff chains, the tracker's rows and the index's summaries. */
export function buildV1Index(ws: Workspace): void {
  for (const p of ws.paths) {
    const m = /^memory\/(stage-(\d+))(\/|$)/.exec(p);
    if (m && (m[3] === '/' || !p.includes('.'))) {
      const s = stageOf(ws, Number(m[2]));
      if (!s.folders.includes(`memory/${m[1]}`)) s.folders.push(`memory/${m[1]}`);
    }
  }
  if (ws.plan) indexPlan(ws, ws.plan);
  for (const d of ws.documents) {
    const data = frontmatterData(d);
    if (d.kind === 'task-log') {
      const stage = countValue(data.stage) ?? d.ids.stage;
      const task = countValue(data.task) ?? d.ids.task;
      if (stage !== undefined && task !== undefined) taskOf(ws, stage, task).logs.push(d);
      if (typeof data.agent === 'string' && data.agent) agentOf(ws, data.agent).taskLogs.push(d);
    } else if (d.kind === 'worker-handoff-log' || d.kind === 'manager-handoff-log') {
      const fileNumber = d.ids.handoff ?? null;
      const stated = countValue(data.handoff);
      const claim = (key: string): Claim<number> | null => {
        const value = countValue(data[key]);
        return value === null ? null : claimAt(d, key, value);
      };
      const manager = d.kind === 'manager-handoff-log';
      const name = manager ? 'manager' : typeof data.agent === 'string' && data.agent ? data.agent : (d.ids.agent ?? 'unknown');
      chainOf(ws, manager ? 'manager' : 'worker', name).links.push({
        number: stated ?? fileNumber,
        document: d,
        get numberRange() {
          return stated !== null ? valueRange(d, 'handoff') : d.source.lineRange(1);
        },
        fileNumber,
        stated: claim('handoff'),
        outgoing: claim('outgoing'),
        incoming: claim('incoming'),
        stage: claim('stage'),
        timestamp: null,
        fromLabel: claim('outgoing') ? `${display(name)} ${claim('outgoing')!.value}` : null,
        toLabel: claim('incoming') ? `${display(name)} ${claim('incoming')!.value}` : null,
        citedTasks: [],
      });
    } else if (d.kind === 'tracker') {
      ws.provides.tracker = true;
      indexTracker(ws, d);
    } else if (d.kind === 'memory-index') {
      ws.provides.summaries = true;
      ws.summaries.push(...indexSummaries(d));
    }
  }
}

/** `backend-agent` → `Backend Agent`, `manager` → `Manager`. */
export const display = (slug: string) =>
  slug
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');

const column = (header: string[], name: RegExp) => header.findIndex((h) => name.test(h));

/** `## Task Tracking` rows (task, status, agent) and `## Worker Tracking` rows (agent, instance). */
function indexTracker(ws: Workspace, doc: MemoryDocument): void {
  const tasks = findSection(doc, 'Task Tracking', 2);
  if (tasks !== -1) {
    const section = doc.sections[tasks]!;
    for (const field of doc.fields) {
      const m = /^Stage (\d+)$/i.exec(field.label);
      const inside = field.range.start.offset >= section.contentStart && field.range.start.offset <= section.contentEnd;
      if (m && inside && /^complete[d]?\b/i.test(field.value)) ws.trackerStages.push({ document: doc, stage: Number(m[1]), range: field.range });
    }
    for (const table of tablesIn(doc, section.contentStart, section.contentEnd)) {
      const [id, status, agent] = [column(table.header, /^task$/i), column(table.header, /^status$/i), column(table.header, /^agent$/i)];
      if (id === -1 || status === -1) continue;
      for (const row of table.rows) {
        const m = /^(?:Task\s+)?(\d+)\.(\d+)$/i.exec((row[id]?.text ?? '').replace(/[`*_]/g, '').trim());
        const cell = row[status];
        if (!m || !cell) continue;
        ws.trackerTasks.push({ document: doc, id: `${Number(m[1])}.${Number(m[2])}`, status: { value: cell.text, range: cell.range }, agent: row[agent]?.text || null });
      }
    }
  }
  const workers = findSection(doc, 'Worker Tracking', 2);
  if (workers !== -1) {
    const section = doc.sections[workers]!;
    for (const table of tablesIn(doc, section.contentStart, section.contentEnd)) {
      const [agent, instance] = [column(table.header, /^(?:agent|worker)$/i), column(table.header, /^instance$/i)];
      if (agent === -1 || instance === -1) continue;
      for (const row of table.rows) {
        const name = row[agent]?.text.replace(/[`*]/g, '').trim();
        const cell = row[instance];
        if (!name || !cell) continue;
        // `3`, `Instance 3`, `3 (since Task 3.1)`: the number comes first.
        const n = /^(?:Instance\s+)?(\d+)(?:\s+\(.*\))?$/i.exec(cell.text.replace(/[`*]/g, '').trim());
        ws.trackerInstances.push({
          document: doc,
          agent: name,
          key: agentKey(name),
          instance: n ? { value: Number(n[1]), range: cell.range } : null,
          raw: { value: cell.text, range: cell.range },
        });
      }
    }
  }
}

/** `## Stage Summaries` → each `### Stage N - Name` with the log names it lists. */
function indexSummaries(doc: MemoryDocument): Workspace['summaries'] {
  const at = findSection(doc, 'Stage Summaries', 2);
  if (at === -1) return [];
  const parent = doc.sections[at]!;
  const out: Workspace['summaries'] = [];
  for (const section of doc.sections) {
    if (section.heading.depth !== 3 || section.contentStart < parent.contentStart || section.contentStart > parent.contentEnd) continue;
    const m = SUMMARY.exec(section.heading.text);
    const text = doc.source.text.slice(section.contentStart, section.contentEnd);
    const logs = [...text.matchAll(LOG_NAME)].map((found) => {
      const start = section.contentStart + found.index;
      return { value: found[0], range: doc.source.rangeAt(start, start + found[0].length) };
    });
    out.push({ document: doc, stage: m ? Number(m[1]) : null, heading: section.heading.range, title: section.heading.text, logs });
  }
  return out;
}
