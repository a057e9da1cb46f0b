import { frontmatterData, type MemoryDocument } from '../document.ts';
import type { Dialect, DialectSource } from '../dialects/dialect.ts';
import { agentKey, classifyStagePath } from '../dialects/apm-stage/paths.ts';
import type { Range } from '../text/source-text.ts';

/** A directory holding one memory tree (`.apm/`, or a nested `.apm/archives/<session>/`). */
export interface MemoryRoot {
  /** Absolute directory path. */
  dir: string;
  dialect: Dialect;
  dialectSource: DialectSource;
  /** The version `metadata.json` names, if any. */
  version: string | null;
  /** Files named outside any `.apm/` tree, grouped for the generic checks only. */
  loose?: boolean;
}

export interface StageInfo {
  number: number;
  name: string | null;
  /** Stage folders (`Memory/Stage_02_Billing`) for this number. */
  folders: string[];
  /** The plan heading that declares it, if any. */
  planned: { document: MemoryDocument; range: Range; name: string } | null;
}

export interface TaskInfo {
  /** `2.1` */
  id: string;
  stage: number;
  task: number;
  logs: MemoryDocument[];
  planned: { document: MemoryDocument; range: Range; title: string; agent: string | null } | null;
}

export interface HandoffLink {
  /** The handoff number (frontmatter, else file name); null when neither says. */
  number: number | null;
  document: MemoryDocument;
}

export interface HandoffChain {
  role: 'worker' | 'manager';
  /** The agent id as written (`Agent_Backend`, `Manager`). */
  agent: string;
  /** Normalised id, see agentKey(). */
  key: string;
  /** Sorted by number. */
  links: HandoffLink[];
}

export interface AgentInfo {
  key: string;
  /** Every spelling seen (`Agent_Backend`, `Backend Agent`). */
  names: string[];
  taskLogs: MemoryDocument[];
  chain: HandoffChain | null;
}

/** Everything the cross-file rules (and the site) read about one memory root. */
export interface Workspace {
  root: MemoryRoot;
  documents: MemoryDocument[];
  /** Every file and folder path in the root (markdown or not), relative, `/`-separated. */
  paths: Set<string>;
  byRelPath: Map<string, MemoryDocument>;
  stages: Map<number, StageInfo>;
  tasks: Map<string, TaskInfo>;
  agents: Map<string, AgentInfo>;
  chains: HandoffChain[];
  plan: MemoryDocument | null;
  memoryRoot: MemoryDocument | null;
}

const PLAN_STAGE = /^Stage\s+(\d+)\s*[:\-–—]\s*(.+)$/i;
const PLAN_TASK = /^Task\s+(\d+)\.(\d+)\s*[:\-–—]\s*(.+?)(?:\s+[-–—|│]\s+([^-–—|│]+))?$/i;

export function buildWorkspace(root: MemoryRoot, documents: MemoryDocument[], paths: Iterable<string>): Workspace {
  const ws: Workspace = {
    root,
    documents,
    paths: new Set(paths),
    byRelPath: new Map(documents.map((d) => [d.relPath, d])),
    stages: new Map(),
    tasks: new Map(),
    agents: new Map(),
    chains: [],
    plan: documents.find((d) => d.kind === 'implementation-plan') ?? null,
    memoryRoot: documents.find((d) => d.kind === 'memory-root') ?? null,
  };
  for (const d of documents) ws.paths.add(d.relPath);

  const stage = (n: number): StageInfo => {
    let s = ws.stages.get(n);
    if (!s) ws.stages.set(n, (s = { number: n, name: null, folders: [], planned: null }));
    return s;
  };
  const task = (s: number, t: number): TaskInfo => {
    const id = `${s}.${t}`;
    let info = ws.tasks.get(id);
    if (!info) ws.tasks.set(id, (info = { id, stage: s, task: t, logs: [], planned: null }));
    return info;
  };
  const agent = (name: string): AgentInfo => {
    const key = agentKey(name);
    let a = ws.agents.get(key);
    if (!a) ws.agents.set(key, (a = { key, names: [], taskLogs: [], chain: null }));
    if (!a.names.includes(name)) a.names.push(name);
    return a;
  };

  for (const p of ws.paths) {
    const m = /^Memory\/(Stage_(\d+)(?:_([^/]*))?)(\/|$)/.exec(p);
    // A file such as Memory/Stage_05_notes.md is not a stage folder.
    if (m && (m[4] === '/' || !/\.[A-Za-z0-9]+$/.test(m[1]!))) {
      const s = stage(Number(m[2]));
      if (!s.folders.includes(`Memory/${m[1]}`)) s.folders.push(`Memory/${m[1]}`);
      if (!s.name && m[3]) s.name = m[3].replace(/_/g, ' ');
    }
  }

  if (ws.plan) {
    for (const h of ws.plan.headings) {
      const sm = h.depth === 2 ? PLAN_STAGE.exec(h.text) : null;
      if (sm) {
        const s = stage(Number(sm[1]));
        s.planned ??= { document: ws.plan, range: h.range, name: sm[2]!.trim() };
        s.name = sm[2]!.trim();
      }
      const tm = h.depth === 3 ? PLAN_TASK.exec(h.text) : null;
      if (tm) {
        const t = task(Number(tm[1]), Number(tm[2]));
        t.planned ??= { document: ws.plan, range: h.range, title: tm[3]!.trim(), agent: tm[4]?.trim() ?? null };
        if (tm[4]) agent(tm[4].trim());
      }
    }
  }

  const workerChains = new Map<string, HandoffChain>();
  const managerChain: HandoffChain = { role: 'manager', agent: 'Manager', key: 'manager', links: [] };
  for (const d of documents) {
    const data = frontmatterData(d);
    if (d.kind === 'task-log') {
      const id = typeof data.task_id === 'string' ? /^Task (\d+)\.(\d+)$/.exec(data.task_id) : null;
      const info = classifyStagePath(d.relPath);
      if (id) task(Number(id[1]), Number(id[2])).logs.push(d);
      else if (info.kind === 'task-log') task(info.stageNumber, info.taskNumber).logs.push(d);
      if (typeof data.agent === 'string' && data.agent) agent(data.agent).taskLogs.push(d);
    } else if (d.kind === 'worker-handoff-log' || d.kind === 'manager-handoff-log') {
      const info = classifyStagePath(d.relPath);
      const fileNumber = info.kind === 'worker-handoff-log' || info.kind === 'manager-handoff-log' ? info.number : null;
      const number = Number.isInteger(data.handoff_number) ? (data.handoff_number as number) : fileNumber;
      if (d.kind === 'manager-handoff-log') {
        managerChain.links.push({ number, document: d });
        continue;
      }
      const name =
        typeof data.agent_id === 'string' && data.agent_id
          ? data.agent_id
          : info.kind === 'worker-handoff-log'
            ? (info.dirAgent ?? info.fileAgent ?? 'unknown')
            : 'unknown';
      const a = agent(name);
      let chain = workerChains.get(a.key);
      if (!chain) workerChains.set(a.key, (chain = { role: 'worker', agent: name, key: a.key, links: [] }));
      chain.links.push({ number, document: d });
      a.chain = chain;
    }
  }
  const byNumber = (x: HandoffLink, y: HandoffLink) =>
    (x.number ?? Number.MAX_SAFE_INTEGER) - (y.number ?? Number.MAX_SAFE_INTEGER) || x.document.relPath.localeCompare(y.document.relPath);
  for (const chain of [...workerChains.values(), managerChain]) chain.links.sort(byNumber);
  ws.chains = [...[...workerChains.values()].sort((x, y) => x.agent.localeCompare(y.agent))];
  if (managerChain.links.length > 0) ws.chains.push(managerChain);
  return ws;
}

