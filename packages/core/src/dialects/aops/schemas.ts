import { z } from 'zod';

export const taskTypes = ['goal', 'project', 'epic', 'task', 'action', 'bug', 'feature', 'learn'] as const;
export const taskStatuses = [
  'inbox',
  'active',
  'decomposing',
  'consensus',
  'waiting',
  'in_progress',
  'review',
  'merge_ready',
  'merging',
  'done',
  'cancelled',
  'blocked',
  'dormant',
  'failed',
] as const;

/** Spellings the aops task model normalises, and what they mean. */
export const taskStatusAliases: Record<string, (typeof taskStatuses)[number]> = {
  'in-progress': 'in_progress',
  'merge-ready': 'merge_ready',
  archived: 'done',
  complete: 'done',
  completed: 'done',
  closed: 'done',
  dead: 'cancelled',
  todo: 'active',
  open: 'active',
  in_review: 'review',
  'in-review': 'review',
};

const id = z.string().regex(/^[\w-]+$/, 'an id of letters, digits, `_` and `-` (e.g. aops-76d1d793)');
const ids = z.array(id);
const date = z.union([z.string(), z.iso.date()]);

/** An aops task file's frontmatter (the Python task model of early 2026). */
export const taskFileSchema = z
  .strictObject({
    id: id.optional().meta({ description: 'The task id: <project>-<8 hex digits>, or a legacy YYYYMMDD-slug.' }),
    task_id: id.optional().meta({ description: 'Older name of id.' }),
    title: z.string().min(1),
    permalink: z.string().optional(),
    alias: z.union([z.string(), z.array(z.string())]).optional(),
    aliases: z.union([z.string(), z.array(z.string())]).optional(),
    type: z.enum(taskTypes),
    status: z.string().meta({ description: 'One of the task statuses (inbox, active, in_progress, review, done, blocked, …).' }),
    priority: z.int().min(0).max(4).optional().meta({ description: '0 critical … 4 someday (default 2).' }),
    order: z.int().optional(),
    created: date.optional(),
    modified: date.optional(),
    updated: date.optional(),
    parent: id.nullable().optional(),
    depends_on: ids.optional(),
    soft_depends_on: ids.optional(),
    depth: z.int().nonnegative().optional(),
    leaf: z.boolean().optional(),
    due: date.optional(),
    planned: date.optional(),
    project: z.string().nullable().optional(),
    tags: z.array(z.string()).optional(),
    effort: z.string().optional(),
    context: z.string().optional(),
    assignee: z.string().nullable().optional(),
    complexity: z.enum(['mechanical', 'requires-judgment', 'multi-step', 'needs-decomposition', 'blocked-human']).optional(),
    unblock_condition: z.string().optional(),
    diagnostic: z.string().optional(),
    pr_url: z.string().optional(),
    pr: z.int().optional(),
    issue: z.int().optional(),
    worker_id: z.string().optional(),
    approval_type: z.enum(['standard', 'escalated']).optional(),
    decision_deadline: date.optional(),
    retry_count: z.int().nonnegative().optional(),
    idempotency_key: z.string().optional(),
    session_id: z.string().optional(),
    branch: z.string().optional(),
    issue_url: z.string().optional(),
    follow_up_tasks: ids.optional(),
    release_summary: z.string().max(500).optional(),
    cancel_reason: z.string().optional(),
  })
  .meta({ title: 'aops task file', description: 'Frontmatter of an aops task: <project>/tasks/<id>-<slug>.md' });

const tag = z.string().regex(/^[A-Za-z_][\w/-]*$/, 'a tag of letters, digits, `_`, `-` or `/`, not starting with a digit');

/** A knowledge note's frontmatter (the form of the Handover Workflow note itself). */
export const knowledgeNoteSchema = z
  .strictObject({
    title: z.string().min(1).meta({ description: 'The note title; the H1 repeats it exactly.' }),
    type: z.string().min(1).meta({ description: 'instruction, automation, spec, reference, note, knowledge, …' }),
    category: z.string().min(1),
    permalink: z.string().regex(/^[\w/.-]+$/, 'a permalink such as handover-workflow'),
    tags: z.array(tag).meta({ description: 'Tags live only in frontmatter.' }),
    aliases: z.array(z.string()).optional(),
    description: z.string().optional(),
    created: date.optional(),
    id: z.string().optional(),
    bases: z.array(z.string()).optional(),
  })
  .meta({ title: 'aops knowledge note', description: 'Frontmatter of an aops knowledge note (title, type, category, permalink, tags).' });

export type TaskFile = z.infer<typeof taskFileSchema>;
export type KnowledgeNote = z.infer<typeof knowledgeNoteSchema>;

/** New task ids are <project>-<8 hex>; the legacy form is YYYYMMDD-slug. */
export const TASK_ID_FORMS = /^(?:[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*[-_][0-9a-f]{8}|\d{8}-[a-z0-9][a-z0-9-]*)$/;
