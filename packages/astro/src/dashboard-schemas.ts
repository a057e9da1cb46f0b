import { z } from 'zod';

// What the dashboard says about one tree: where the project stands. Filled by dashboard.ts from the
// rest of the history (core's index and findings) and, when the tree is in git, from git's dates.

/** The progress bar's segments, in the order they are drawn. */
export const progressKeys = ['done', 'partial', 'blocked', 'failed', 'other', 'not-logged'] as const;
export type ProgressKey = (typeof progressKeys)[number];

export const projectNameSchema = z.object({
  name: z.string(),
  /** Where the name was read: a file of the tree (its page and path), or null for the folder's name. */
  file: z.string().nullable(),
  page: z.string().nullable(),
  /** How: the file's `title`, its H1, the `project` of its task files, or the folder that holds `.apm/`. */
  from: z.enum(['title', 'heading', 'project', 'folder']),
});

export const currentStageSchema = z.object({
  id: z.string(),
  number: z.int(),
  label: z.string(),
  name: z.string(),
  /** Why this stage is the current one, in words. */
  reason: z.string(),
  /** Every stage of the tree is finished (the current one is the last). */
  allFinished: z.boolean(),
});

export const progressSegmentSchema = z.object({ key: z.enum(progressKeys), label: z.string(), count: z.int() });

export const agentStateSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(['worker', 'manager']),
  /** The session (instance) now at work: one after the latest handoff. */
  instance: z.int(),
  latestHandoff: z
    .object({ id: z.string(), page: z.string(), label: z.string(), timestamp: z.string().nullable(), firstCommit: z.string().nullable() })
    .nullable(),
});

/** A finding the dashboard lists, with the page of its file. */
export const worstFindingSchema = z.object({ ruleId: z.string(), severity: z.enum(['error', 'warning']), message: z.string(), file: z.string(), line: z.int(), page: z.string() });

/** One log of a stage and when git first saw it. */
export const landedEntrySchema = z.object({ label: z.string(), file: z.string(), page: z.string(), firstCommit: z.string() });

export const treeDashboardSchema = z.object({
  project: projectNameSchema,
  currentStage: currentStageSchema.nullable(),
  /** Every task of the tree by status (zero counts included); `tasks` is their sum. */
  progress: z.array(progressSegmentSchema),
  tasks: z.int(),
  agents: z.array(agentStateSchema),
  /** The latest date the tree shows: git's last commit of one of its files, else the latest date a file states. */
  lastActivity: z.object({ date: z.string(), source: z.enum(['git', 'stated']), file: z.string(), page: z.string() }).nullable(),
  findings: z.object({ errors: z.int(), warnings: z.int(), worst: z.array(worstFindingSchema) }),
  /** Whether git dates the tree's files (a repository that tracks at least one of them). */
  git: z.boolean(),
  /** Per stage, its logs (task logs and handoffs) in the order git first saw them; only with git. */
  landed: z.array(z.object({ stageId: z.string(), label: z.string(), entries: z.array(landedEntrySchema) })),
  /** What the site cannot model about this tree, and so does not show, in sentences. */
  limits: z.array(z.string()),
});

export type TreeDashboard = z.infer<typeof treeDashboardSchema>;
export type AgentState = z.infer<typeof agentStateSchema>;
export type ProgressSegment = z.infer<typeof progressSegmentSchema>;
