import type { Rule } from '../../../rules/rule.ts';
import { conditionalSectionsRule } from './conditional-sections.ts';
import { handoffChainContinuity, handoffChainTimestamps, handoffStageExists, handoffTasksLogged } from './handoff-chains.ts';
import { handoffFileName } from './handoff-file-name.ts';
import { handoffPromptSessions } from './handoff-prompt-sessions.ts';
import { handoffSessionNames } from './handoff-session-names.ts';
import { handoffSessionSummary } from './handoff-session-summary.ts';
import { memoryRootHandoffCount, memoryRootStageLogs } from './memory-root.ts';
import { sectionsRequired } from './sections-required.ts';
import { taskLogId } from './task-log-id.ts';
import { taskLogStatus } from './task-log-status.ts';
import { titleFormat } from './title-format.ts';

/** The Stage era's rules (APM v1.0.0-test-1..7). */
export const apmStageRules: readonly Rule[] = [
  titleFormat,
  sectionsRequired,
  handoffSessionNames,
  handoffFileName,
  handoffSessionSummary,
  taskLogId,
  taskLogStatus,
  conditionalSectionsRule,
  handoffPromptSessions,
  memoryRootHandoffCount,
  memoryRootStageLogs,
  handoffChainContinuity,
  handoffChainTimestamps,
  handoffStageExists,
  handoffTasksLogged,
];
