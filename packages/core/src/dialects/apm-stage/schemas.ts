import { z } from 'zod';

/** Agent ids end up in folder and file names, so they are identifier-like. */
const agentId = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'an agent id such as Agent_Backend (letters, digits, `_` or `-`)')
  .meta({ description: 'The Worker agent id, e.g. Agent_Backend; it names the handoff folder and files.' });

const positiveInteger = z.int().positive();

const stageLabel = z
  .string()
  .regex(/^\s*(?:Stage\s*)?\d+\s*(?:[-–—:].*)?$/i, 'a stage such as "Stage 2 - Billing Engine"')
  .meta({ description: 'Stage number and name, e.g. "Stage 2 - Billing Engine".' });

const isoDateTime = z.iso
  .datetime({ offset: true, local: true })
  .meta({ description: 'When the handoff happened, as an ISO 8601 date-time, e.g. 2026-02-11T16:40:00Z.' });

const sessionName = (who: string) =>
  z.string().meta({ description: `${who}, e.g. Agent_Backend_Session_2` });

export const workerHandoffLogSchema = z
  .strictObject({
    agent_id: agentId,
    outgoing_worker: sessionName('The session that wrote the log: <agent_id>_Session_<handoff_number>'),
    incoming_worker: sessionName('The session that takes over: <agent_id>_Session_<handoff_number + 1>'),
    handoff_number: positiveInteger.meta({ description: 'N: equals the outgoing session number and the file number.' }),
    current_stage: stageLabel,
    timestamp: isoDateTime,
  })
  .meta({ title: 'APM Stage-era Worker Handoff Memory Log', description: 'Frontmatter of .apm/Memory/Handoffs/<AgentID>_Handoffs/<AgentID>_Handoff_Log_<N>.md' });

export const managerHandoffLogSchema = z
  .strictObject({
    outgoing_manager: z.string().meta({ description: 'Manager_Session_<handoff_number>' }),
    incoming_manager: z.string().meta({ description: 'Manager_Session_<handoff_number + 1>' }),
    handoff_number: positiveInteger.meta({ description: 'N: equals the outgoing Manager session and the file number.' }),
    current_stage: stageLabel,
    timestamp: isoDateTime,
  })
  .meta({ title: 'APM Stage-era Manager Handoff Memory Log', description: 'Frontmatter of .apm/Memory/Handoffs/Manager_Handoffs/Manager_Handoff_Log_<N>.md' });

export const taskStatuses = ['Success', 'Partial', 'Failed', 'Blocked'] as const;

export const taskLogSchema = z
  .strictObject({
    agent: z.string().min(1).meta({ description: 'The agent that did the task, e.g. Agent_Backend.' }),
    task_id: z
      .string()
      .regex(/^Task \d+\.\d+$/, 'a task id such as "Task 2.1"')
      .meta({ description: 'Task <stage>.<task>, agreeing with the folder and file numbers.' }),
    status: z.enum(taskStatuses).meta({ description: 'How the task ended.' }),
    failure_point: z
      .string()
      .min(1)
      .nullable()
      .meta({ description: 'null on Success; Execution or Validation on Failed; Execution, Validation or a description on Partial; a description on Blocked.' }),
    delegation: z.boolean().optional().meta({ description: 'test-1..4 only: true when the task delegated work (then a Delegation section is required).' }),
    important_findings: z.boolean().meta({ description: 'true requires an Important Findings section.' }),
    compatibility_issues: z.boolean().meta({ description: 'true requires a Compatibility Concerns section.' }),
  })
  .meta({ title: 'APM Stage-era Task Memory Log', description: 'Frontmatter of .apm/Memory/Stage_<NN>_<Slug>/Task_Log_<NN>_<MM>_<Slug>.md' });

export const delegationLogSchema = z
  .strictObject({
    delegation_type: z.string().min(1).meta({ description: 'Debug, Research, Refactor or a custom type.' }),
    delegating_agent: z.string().min(1),
    stage: z.union([z.int().nonnegative(), z.string().regex(/^\d+$/, 'a stage number such as 2')]).meta({ description: 'The stage number (0 for planning).' }),
    status: z.enum(['Resolved', 'Unresolved']),
  })
  .meta({ title: 'APM Stage-era Delegation Memory Log', description: 'Frontmatter of .apm/Memory/Stage_<NN>_<Slug>/Delegation_Log_<NN>_<MM>_<Type>_<Slug>.md' });

export type WorkerHandoffLog = z.infer<typeof workerHandoffLogSchema>;
export type ManagerHandoffLog = z.infer<typeof managerHandoffLogSchema>;
export type TaskLog = z.infer<typeof taskLogSchema>;
export type DelegationLog = z.infer<typeof delegationLogSchema>;
