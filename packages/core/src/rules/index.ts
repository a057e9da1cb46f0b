import type { Rule } from './rule.ts';
import { dialectUnsupported } from './generic/dialect-unsupported.ts';
import { fileEncoding } from './generic/file-encoding.ts';
import { fileSize } from './generic/file-size.ts';
import { fileUnreadable } from './generic/file-unreadable.ts';
import { frontmatterMissing } from './generic/frontmatter-missing.ts';
import { frontmatterSchema, frontmatterUnknownKey } from './generic/frontmatter-schema.ts';
import { frontmatterSyntax } from './generic/frontmatter-syntax.ts';
import { skeletonPlaceholder } from './generic/skeleton-placeholder.ts';
import { apmStageRules } from '../dialects/apm-stage/rules/index.ts';
import { apmV1Rules } from '../dialects/apm-v1/rules/index.ts';
import { apmPhaseRules } from '../dialects/apm-phase/rules/index.ts';
import { apmV03Rules } from '../dialects/apm-v03/rules/index.ts';
import { conditionalSectionsRule } from './generic/conditional-sections.ts';
import { sectionsRequired } from './generic/sections-required.ts';
import { titleFormat } from './generic/title-format.ts';
import { handoffChainContinuity, handoffChainTimestamps, handoffStageExists, handoffTasksLogged } from './cross-file/handoff-chains.ts';
import { handoffInstances, stageSummaryPresent, taskPlanned, trackerDoneLogged, trackerWorkerInstance } from './cross-file/claims.ts';
import { memoryRootStageLogs } from './cross-file/stage-summaries.ts';
import { reflectionRules } from '../dialects/aops/rules/reflection.ts';
import { taskFileRules } from '../dialects/aops/rules/task-file.ts';

export const genericRules: readonly Rule[] = [
  fileUnreadable,
  fileEncoding,
  fileSize,
  frontmatterSyntax,
  frontmatterMissing,
  frontmatterSchema,
  frontmatterUnknownKey,
  dialectUnsupported,
  skeletonPlaceholder,
];

/** The APM format rules whose knowledge (titles, sections) comes from the dialect. */
export const apmFormatRules: readonly Rule[] = [titleFormat, sectionsRequired, conditionalSectionsRule];

/** Cross-file rules, written once against the dialect-neutral index. */
export const crossFileRules: readonly Rule[] = [
  memoryRootStageLogs,
  handoffChainContinuity,
  handoffChainTimestamps,
  handoffStageExists,
  handoffTasksLogged,
  handoffInstances,
  trackerWorkerInstance,
  trackerDoneLogged,
  stageSummaryPresent,
  taskPlanned,
];

/** Every rule memlint has, in the order they run. */
export const allRules: readonly Rule[] = [...genericRules, ...apmFormatRules, ...apmStageRules, ...apmV1Rules, ...apmPhaseRules, ...apmV03Rules, ...crossFileRules, ...reflectionRules, ...taskFileRules];

export function findRule(id: string): Rule | undefined {
  return allRules.find((r) => r.meta.id === id);
}
