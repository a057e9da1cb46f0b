import { z } from 'zod';

/** A whole number, also when quoted (`handover_number: "2"`). */
const count = (description: string) =>
  z.union([z.int().nonnegative(), z.string().regex(/^\s*\d+\s*$/, 'a whole number')]).meta({ description });

// What parseTaskRef reads, written for JSON Schema consumers too (no flags, no lookbehind).
const TASK_REF = /^\s*(?:[Tt][Aa][Ss][Kk]|[Ff][Oo][Ll][Ll][Oo][Ww]-?[Uu][Pp])[ _]?[0-9]+[._][0-9]+[a-zA-Z]?(?:[^0-9]|$)/;

const taskRef = (description: string) =>
  z.string().regex(TASK_REF, 'a task reference such as `Task 2.3` (a title may follow: `Task 2.3 - API User Endpoint`)').meta({ description });

export const phaseTaskStatuses = ['Completed', 'Partial', 'Blocked', 'Error'] as const;

export const phaseTaskLogSchema = z
  .strictObject({
    agent: z.string().min(1).meta({ description: 'The Implementation Agent that did the task, as the plan names it (Agent_Backend).' }),
    task_ref: taskRef('The task, as in the plan: `Task 2.3`. Phase 2, task 3; the log is Phase_02_<Slug>/Task_2_3_<Slug>.md.'),
    status: z.enum(phaseTaskStatuses).meta({ description: 'Completed, Partial, Blocked or Error.' }),
    ad_hoc_delegation: z.boolean().meta({ description: 'true when the log has an `## Ad-Hoc Agent Delegation` section.' }),
    compatibility_issues: z.boolean().meta({ description: 'true when the log has a `## Compatibility Concerns` section.' }),
    important_findings: z.boolean().meta({ description: 'true when the log has an `## Important Findings` section.' }),
  })
  .meta({ title: 'APM v0.4/v0.5 Memory Log', description: 'Frontmatter of .apm/Memory/Phase_XX_<Slug>/Task_X_Y_<Slug>.md' });

export const phaseWorkerHandoverSchema = z
  .strictObject({
    agent_type: z.literal('Implementation').meta({ description: 'Always `Implementation` for an Implementation Agent.' }),
    agent_id: z
      .string()
      .regex(/^\S+_\d+$/, 'an agent id with its instance number, such as Agent_Backend_2')
      .meta({ description: 'The outgoing instance: the agent and its instance number, which equals handover_number (Agent_Backend_2 writes Handover File 2).' }),
    handover_number: count('N: the file is <Agent>_Handover_File_N.md, written by instance N for instance N+1.'),
    last_completed_task: z.string().min(1).meta({ description: 'The last task the outgoing instance completed (Task 3.1).' }),
  })
  .meta({ title: 'APM v0.4/v0.5 Implementation Agent Handover File', description: 'Frontmatter of .apm/Memory/Handovers/<Agent>_Handovers/<Agent>_Handover_File_N.md' });

export const phaseManagerHandoverSchema = z
  .strictObject({
    agent_type: z.literal('Manager').meta({ description: 'Always `Manager` for the Manager Agent.' }),
    agent_id: z
      .string()
      .regex(/^Manager_\d+$/, 'Manager_ and the instance number, such as Manager_2')
      .meta({ description: 'The outgoing Manager instance: Manager_N, with N equal to handover_number.' }),
    handover_number: count('N: the file is Manager_Agent_Handover_File_N.md, written by Manager N for Manager N+1.'),
    current_phase: z.string().min(1).meta({ description: 'The phase in progress, as the plan names it: "Phase 3: Wheel Bookings".' }),
    active_agents: z.array(z.string()).meta({ description: 'The Implementation Agents working in the current phase.' }),
  })
  .meta({ title: 'APM v0.4/v0.5 Manager Agent Handover File', description: 'Frontmatter of .apm/Memory/Handovers/Manager_Agent_Handovers/Manager_Agent_Handover_File_N.md' });
