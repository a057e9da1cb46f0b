import { z } from 'zod';
import { treeDashboardSchema } from './dashboard-schemas.ts';
import { boardColumns, boardSchema, handoffNavSchema, handoffRefSchema, taskRefSchema } from './story-schemas.ts';

/** One finding as pages show it, inline. */
export const inlineFindingSchema = z.object({
  ruleId: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  line: z.int(),
  column: z.int(),
  url: z.string(),
});

export const treeSchema = z.object({
  id: z.string(),
  label: z.string(),
  dialect: z.string(),
  dialectId: z.string(),
  /** What the format calls a stage: `Stage`, or `Phase` (the Phase era, v0.3). */
  stageWord: z.string(),
  version: z.string().nullable(),
  documents: z.int(),
  errors: z.int(),
  warnings: z.int(),
  /** Where the project stands: its name, current stage, progress, agents, latest activity and worst findings. */
  dashboard: treeDashboardSchema,
});

export const documentSchema = z.object({
  id: z.string(),
  url: z.string(),
  kind: z.string(),
  file: z.string(),
  title: z.string(),
  frontmatter: z.record(z.string(), z.unknown()),
  html: z.string(),
  /** The file's text, for the line-by-line view with findings inline (empty when the file has no findings). */
  source: z.string(),
  findings: z.array(inlineFindingSchema),
  /** When git first and last committed the file (author dates, ISO 8601 UTC); null outside git or untracked. */
  firstCommit: z.string().nullable(),
  lastCommit: z.string().nullable(),
});

/** A stage summary (the Memory Root's `## Phase 01 – … Summary`, a v1.0 memory index's `### Stage 1 - …`). */
export const stageSummarySchema = z.object({
  /** The heading's text. */
  title: z.string(),
  file: z.string(),
  /** The page of the file that holds it, and the heading's line. */
  page: z.string(),
  line: z.int(),
  /** The section's content, rendered and sanitised as documents are. */
  html: z.string(),
  /** The logs it lists or links, as written: each with its page, or the finding that says it is missing. */
  logs: z.array(
    z.object({
      name: z.string(),
      line: z.int(),
      page: z.string().nullable(),
      problem: z.object({ ruleId: z.string(), severity: z.enum(['error', 'warning']), message: z.string() }).nullable(),
    }),
  ),
});

export const stageSchema = z.object({
  id: z.string(),
  root: z.string(),
  number: z.int(),
  /** What the format calls it: `Stage`, `Phase`. */
  word: z.string(),
  name: z.string(),
  folders: z.array(z.string()),
  planned: z.boolean(),
  tasks: z.array(z.string()),
  progress: z.object({ done: z.int(), total: z.int() }),
  /** The task statuses that count as done in this format (the dialect's). */
  doneStatuses: z.array(z.string()),
  summaries: z.array(stageSummarySchema),
  /** The task board: every column in workflow order, with its tasks' ids (story.ts). */
  board: boardSchema,
});

export const taskSchema = z.object({
  id: z.string(),
  root: z.string(),
  taskId: z.string(),
  stage: z.int(),
  stageWord: z.string(),
  stageId: z.string().nullable(),
  title: z.string(),
  agent: z.string().nullable(),
  status: z.string(),
  /** Whether a log of the task has one of the format's done statuses. */
  done: z.boolean(),
  failurePoint: z.string().nullable(),
  importantFindings: z.boolean(),
  compatibilityIssues: z.boolean(),
  logged: z.boolean(),
  file: z.string().nullable(),
  page: z.string().nullable(),
  /** Every log of the task (its own first; follow-ups, and a stale second log, after it). */
  logs: z.array(z.object({ id: z.string(), file: z.string(), page: z.string(), followUp: z.boolean(), status: z.string().nullable(), done: z.boolean() })),
  errors: z.int(),
  /** The story's links (story.ts): the board column, the agent's page, the handoffs citing it, the neighbouring task pages. */
  column: z.enum(boardColumns),
  agentId: z.string().nullable(),
  citedBy: z.array(handoffRefSchema),
  previous: taskRefSchema.nullable(),
  next: taskRefSchema.nullable(),
});

export const handoffSchema = z.object({
  id: z.string(),
  root: z.string(),
  agent: z.string(),
  agentId: z.string(),
  role: z.enum(['worker', 'manager']),
  number: z.int().nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  stage: z.string().nullable(),
  stageWord: z.string(),
  /** What the format calls a handoff: `handoff`, or the Phase era's `handover`. */
  handoffWord: z.string(),
  stageId: z.string().nullable(),
  timestamp: z.string().nullable(),
  file: z.string(),
  page: z.string(),
  tasksCited: z.array(z.object({ taskId: z.string(), page: z.string().nullable() })),
  previous: z.string().nullable(),
  next: z.string().nullable(),
  problems: z.array(z.object({ ruleId: z.string(), message: z.string() })),
  errors: z.int(),
  /** Previous and next in the chain by number and agent, and the gaps between (story.ts). */
  nav: handoffNavSchema,
});

export const agentSchema = z.object({
  id: z.string(),
  root: z.string(),
  name: z.string(),
  role: z.enum(['worker', 'manager']),
  handoffWord: z.string(),
  currentSession: z.int(),
  handoffs: z.array(z.string()),
  taskLogs: z.int(),
  breaks: z.array(
    z.object({ kind: z.enum(['gap', 'duplicate', 'mismatch']), session: z.int(), message: z.string(), handoff: z.string().optional(), ruleId: z.string().optional() }),
  ),
  /** The agent's tasks, and its sessions drawn on a time axis as an SVG (story.ts, timeline.ts). */
  tasks: z.array(taskRefSchema),
  timeline: z.string(),
});

export const sessionSchema = z.object({
  id: z.string(),
  agentId: z.string(),
  agent: z.string(),
  number: z.int(),
  startedBy: z.string().nullable(),
  endedBy: z.string().nullable(),
  current: z.boolean(),
  missing: z.boolean(),
});

export const reflectionSchema = z.object({
  id: z.string(),
  file: z.string(),
  page: z.string(),
  line: z.int(),
  title: z.string(),
  date: z.string().nullable(),
  form: z.string(),
  outcome: z.enum(['success', 'partial', 'failure', 'quick-exit', 'unknown']),
  profile: z.string(),
  dump: z.boolean(),
  dumpSignal: z.string().nullable(),
  quickExit: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
  findings: z.array(inlineFindingSchema),
  /** The task file its Next step names (story.ts). */
  nextTask: taskRefSchema.nullable(),
});

export const findingSchema = z.object({
  id: z.string(),
  ruleId: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  /** The memory tree the file belongs to (its label, as trees have it). */
  tree: z.string(),
  file: z.string(),
  line: z.int(),
  column: z.int(),
  url: z.string(),
  /** The site page of the file. */
  page: z.string(),
});

export type TreeSummary = z.infer<typeof treeSchema>;
export type Document = z.infer<typeof documentSchema>;
export type Stage = z.infer<typeof stageSchema>;
export type StageSummaryEntry = z.infer<typeof stageSummarySchema>;
export type Task = z.infer<typeof taskSchema>;
export type Handoff = z.infer<typeof handoffSchema>;
export type Agent = z.infer<typeof agentSchema>;
export type Session = z.infer<typeof sessionSchema>;
export type Reflection = z.infer<typeof reflectionSchema>;
export type Finding = z.infer<typeof findingSchema>;

export interface History {
  memory: string;
  trees: TreeSummary[];
  documents: Document[];
  stages: Stage[];
  tasks: Task[];
  agents: Agent[];
  sessions: Session[];
  handoffs: Handoff[];
  reflections: Reflection[];
  findings: Finding[];
}

/** Each collection the loader fills, with its schema. */
export const collectionSchemas = {
  trees: treeSchema,
  documents: documentSchema,
  stages: stageSchema,
  tasks: taskSchema,
  agents: agentSchema,
  sessions: sessionSchema,
  handoffs: handoffSchema,
  reflections: reflectionSchema,
  findings: findingSchema,
} as const;
export type CollectionName = keyof typeof collectionSchemas;
