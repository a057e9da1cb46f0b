import type { Rule } from '../../../rules/rule.ts';
import { handoffFileName } from './handoff-file-name.ts';
import { handoffPromptSessions } from './handoff-prompt-sessions.ts';
import { handoffSessionNames } from './handoff-session-names.ts';
import { handoffSessionSummary } from './handoff-session-summary.ts';
import { memoryRootHandoffCount } from './memory-root.ts';
import { taskLogId } from './task-log-id.ts';
import { taskLogStatus } from './task-log-status.ts';

/** The Stage era's rules (APM v1.0.0-test-1..7). */
export const apmStageRules: readonly Rule[] = [
  handoffSessionNames,
  handoffFileName,
  handoffSessionSummary,
  taskLogId,
  taskLogStatus,
  handoffPromptSessions,
  memoryRootHandoffCount,
];
