import type { MemoryDocument } from '../document.ts';
import type { Dialect, DialectSource } from '../dialects/dialect.ts';
import { agentKey } from '../text/ids.ts';
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
  /** `2.1`, `2.1a` */
  id: string;
  stage: number;
  task: number;
  /** A letter after the task number (`Task 2.1a`), in formats that split tasks so. */
  suffix?: string;
  logs: MemoryDocument[];
  planned: { document: MemoryDocument; range: Range; title: string; agent: string | null } | null;
  /**
   * The status the task's latest log states, in formats that state it outside the frontmatter (a
   * v0.3 entry's `**Status:**`); in the others the log's `status` key is the status.
   */
  status?: Claim<string> & { document: MemoryDocument };
}

/** A value a file states, and where it states it. */
export interface Claim<T> {
  value: T;
  range: Range;
  /** How the file would state another value of the same claim (`agent_id: Agent_Backend_2`), for messages. */
  written?: (value: T) => string;
}

export interface HandoffLink {
  /** The handoff number (frontmatter, else file name); null when neither says. */
  number: number | null;
  document: MemoryDocument;
  /** Where the number is written (the frontmatter value, else the file's first line). */
  numberRange?: Range;
  /** The number the file name carries. */
  fileNumber?: number | null;
  /** The number the file states (its frontmatter), when it states one. */
  stated?: Claim<number> | null;
  /** The instance (session) that wrote the handoff, and the one that takes over, when the format states them as numbers. */
  outgoing?: Claim<number> | null;
  incoming?: Claim<number> | null;
  /** The stage the handoff was written in, and how the handoff names it (`Stage 2 - Billing Engine`). */
  stage?: Claim<number> | null;
  stageLabel?: string | null;
  /** When it was written, as stated. */
  timestamp?: Claim<string> | null;
  /** How the format names the instance leaving and the one taking over (`Agent_Api_Session_2`, `Backend Agent 2`). */
  fromLabel?: string | null;
  toLabel?: string | null;
  /** Tasks the handoff says were completed, as `N.M`. */
  citedTasks?: Claim<string>[];
}

/** A task row of a tracker (`| 2.1 | Done | backend-agent | |`). */
export interface TrackerTask {
  document: MemoryDocument;
  id: string;
  status: Claim<string>;
  agent: string | null;
}

/** A worker's current instance as a tracker states it (`| backend-agent | 3 | |`). */
export interface TrackerInstance {
  document: MemoryDocument;
  agent: string;
  key: string;
  instance: Claim<number> | null;
  /** The instance cell as written, when it is not a number. */
  raw: Claim<string>;
}

/** A stage summary (Memory Root, memory index) and the logs it lists. */
export interface StageSummary {
  document: MemoryDocument;
  stage: number | null;
  heading: Range;
  /** The heading text, for messages. */
  title: string;
  /**
   * The logs it lists, as written. `path` is where a link's target resolves inside the root (null
   * when it leaves the root), for formats that link the logs; the others list file names.
   * `fromRepository`: where the target lands inside the root when read from the folder that holds
   * the root instead (`.apm/Memory/…`, the way agents often write it), or null.
   */
  logs: (Claim<string> & { path?: string | null; fromRepository?: string | null })[];
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
  /** What trackers, roots and indexes claim about the rest. */
  trackerTasks: TrackerTask[];
  trackerInstances: TrackerInstance[];
  /** Stages a tracker collapses as done (`**Stage 1:** Complete`). */
  trackerStages: { document: MemoryDocument; stage: number; range: Range }[];
  summaries: StageSummary[];
  /** Whether the dialect states tracker rows, summaries, plan tasks: rules about them run only when it does. */
  provides: { tracker: boolean; summaries: boolean; plan: boolean };
}

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
    trackerTasks: [],
    trackerInstances: [],
    trackerStages: [],
    summaries: [],
    provides: { tracker: false, summaries: false, plan: false },
  };
  for (const d of documents) ws.paths.add(d.relPath);
  // What the index holds is the dialect's to say: its folder knows its paths and fields.
  root.dialect.buildIndex?.(ws);
  for (const chain of ws.chains) chain.links.sort(byNumber);
  return ws;
}

const byNumber = (x: HandoffLink, y: HandoffLink) =>
  (x.number ?? Number.MAX_SAFE_INTEGER) - (y.number ?? Number.MAX_SAFE_INTEGER) || x.document.relPath.localeCompare(y.document.relPath);

/** The stage entry for a number, created on first use. */
export function stageOf(ws: Workspace, n: number): StageInfo {
  let s = ws.stages.get(n);
  if (!s) ws.stages.set(n, (s = { number: n, name: null, folders: [], planned: null }));
  return s;
}

/** The task entry for `stage.task`, created on first use. */
export function taskOf(ws: Workspace, stage: number, task: number, suffix = ''): TaskInfo {
  const id = `${stage}.${task}${suffix}`;
  let info = ws.tasks.get(id);
  if (!info) ws.tasks.set(id, (info = { id, stage, task, ...(suffix ? { suffix } : {}), logs: [], planned: null }));
  return info;
}

/** The agent entry for a name (every spelling of one agent shares it), created on first use. */
export function agentOf(ws: Workspace, name: string): AgentInfo {
  const key = agentKey(name);
  let a = ws.agents.get(key);
  if (!a) ws.agents.set(key, (a = { key, names: [], taskLogs: [], chain: null }));
  if (!a.names.includes(name)) a.names.push(name);
  return a;
}

/** The handoff chain of an agent (or the manager), created on first use. */
export function chainOf(ws: Workspace, role: HandoffChain['role'], name: string): HandoffChain {
  const key = role === 'manager' ? 'manager' : agentKey(name);
  let chain = ws.chains.find((c) => c.role === role && c.key === key);
  if (!chain) {
    chain = { role, agent: role === 'manager' ? 'Manager' : name, key, links: [] };
    ws.chains.push(chain);
    // Workers by name, the manager last.
    ws.chains.sort((x, y) => (x.role === y.role ? x.agent.localeCompare(y.agent) : x.role === 'manager' ? 1 : -1));
  }
  if (role === 'worker') agentOf(ws, name).chain = chain;
  return chain;
}

/** A finding's place at one link of a chain (the site marks it on the timeline). */
export function linkPlace(chain: HandoffChain, link: HandoffLink): { kind: 'mismatch'; agent: string; from: number; to: number } {
  return { kind: 'mismatch', agent: chain.key, from: link.number ?? 0, to: link.number ?? 0 };
}

/** Where a handoff log sits in its chain, for a per-file rule that has only the document. */
export function chainPlace(ws: Workspace, doc: MemoryDocument): ReturnType<typeof linkPlace> | undefined {
  for (const chain of ws.chains) {
    const link = chain.links.find((l) => l.document === doc);
    if (link) return linkPlace(chain, link);
  }
  return undefined;
}
