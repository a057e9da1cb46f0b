import { z } from 'zod';

/** A whole number, also when a formatter or an agent quoted it (`stage: "2"`). */
const count = (description: string) =>
  z.union([z.int().nonnegative(), z.string().regex(/^\s*\d+\s*$/, 'a whole number')]).meta({ description });

/** The number a count holds (a quoted one too), or null. */
export function countValue(value: unknown): number | null {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return Number(value);
  return null;
}

const agentSlug = z
  .string()
  .min(1)
  .meta({ description: 'The worker\'s slug, e.g. backend-agent: it names the handoff folder and the bus folder.' });

export const v1TaskStatuses = ['Success', 'Partial', 'Failed'] as const;

export const v1TaskLogSchema = z
  .strictObject({
    stage: count('The stage number, as in the plan (`## Stage N:`) and the stage-NN folder.'),
    task: count('The task number within the stage: Task N.M has stage N and task M.'),
    title: z.string().min(1).meta({ description: 'The task title, as in the plan.' }),
    agent: agentSlug,
    status: z.enum(v1TaskStatuses).meta({ description: 'Success, Partial or Failed.' }),
    important_findings: z.boolean().meta({ description: 'true when the log has a `## Important Findings` section.' }),
    compatibility_issues: z.boolean().meta({ description: 'true when the log has a `## Compatibility Concerns` section.' }),
  })
  .meta({ title: 'APM v1.0 Task Log', description: 'Frontmatter of .apm/memory/stage-NN/task-NN-MM.log.md' });

const handoffFields = {
  outgoing: count('The instance that wrote the handoff (N).'),
  incoming: count('The instance that takes over: outgoing + 1.'),
  handoff: count('The handoff number: equals outgoing and the handoff-NN file number.'),
  stage: count('The stage the handoff was written in.'),
};

export const v1WorkerHandoffSchema = z
  .strictObject({ agent: agentSlug, ...handoffFields })
  .meta({ title: 'APM v1.0 Worker Handoff Log', description: 'Frontmatter of .apm/memory/handoffs/<agent>/handoff-NN.log.md' });

export const v1ManagerHandoffSchema = z
  .strictObject({ agent: z.literal('manager').meta({ description: 'Always `manager` for the Manager.' }), ...handoffFields })
  .meta({ title: 'APM v1.0 Manager Handoff Log', description: 'Frontmatter of .apm/memory/handoffs/manager/handoff-NN.log.md' });

export const v1TrackerSchema = z
  .strictObject({
    title: z.string().min(1).meta({ description: 'The project name.' }),
    completed_at: z.iso.datetime({ offset: true }).optional().meta({ description: 'When the project completed, ISO 8601 UTC.' }),
  })
  .meta({ title: 'APM v1.0 Tracker', description: 'Frontmatter of .apm/tracker.md' });

export const v1IndexSchema = z
  .strictObject({ title: z.string().min(1).meta({ description: 'The project name.' }) })
  .meta({ title: 'APM v1.0 Memory Index', description: 'Frontmatter of .apm/memory/index.md' });

const documentFields = {
  title: z.string().min(1).meta({ description: 'The project name.' }),
  modified: z.string().optional().meta({ description: 'The last change and why, e.g. "Task 2.3 scope clarified based on task-02-02.log.md findings."' }),
};

export const v1PlanSchema = z.strictObject(documentFields).meta({ title: 'APM v1.0 Plan', description: 'Frontmatter of .apm/plan.md' });
export const v1SpecSchema = z.strictObject(documentFields).meta({ title: 'APM v1.0 Spec', description: 'Frontmatter of .apm/spec.md' });
