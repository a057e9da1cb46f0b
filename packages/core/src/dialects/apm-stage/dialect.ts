import type { Dialect } from '../dialect.ts';
import { classifyStagePath, kindFromFrontmatterKeys } from './paths.ts';
import { buildStageIndex, locateStagePath } from './index.ts';
import { stageConditionalSections, stageRequiredSections } from './sections.ts';
import { stageTitles } from './titles.ts';
import { stageSkeleton } from './skeleton.ts';
import { delegationLogSchema, managerHandoffLogSchema, taskLogSchema, workerHandoffLogSchema } from './schemas.ts';

/** APM v1.0.0-test-1..7: `.apm/Memory/Stage_<NN>_<Slug>/Task_Log_*`, `Handoffs/<AgentID>_Handoffs/…`. */
export const apmStageDialect: Dialect = {
  id: 'apm-stage',
  family: 'apm',
  label: 'APM Stage era',
  versions: 'v1.0.0-test-1 … v1.0.0-test-7',
  rulesAvailable: true,
  detect: {
    // v1.0.0-test-1 … test-7 wrote the Stage era; test-8 renamed everything.
    claimsVersion: (version) => {
      const test = /^v?1\.0\.0-test-(\d+)/i.exec(version.trim());
      return !!test && Number(test[1]) <= 7;
    },
    layoutScore: (relPaths) => relPaths.filter((p) => /^Memory\/Stage_\d+/.test(p) || /^Memory\/Handoffs\//.test(p) || p === 'Specifications.md').length,
  },
  classify(relPath, keys) {
    const kind = classifyStagePath(relPath).kind;
    return kind === 'other' ? kindFromFrontmatterKeys(keys, relPath) : kind;
  },
  locate: (relPath) => locateStagePath(relPath),
  buildIndex: buildStageIndex,
  skeleton: stageSkeleton,
  indexes: ['chains', 'stage-summaries'],
  doneStatuses: ['Success'],
  stageFolder: (n) => `Memory/Stage_${String(n).padStart(2, '0')}_* folder`,
  taskLogPath: (s, t) => `Memory/Stage_${String(s).padStart(2, '0')}_*/Task_Log_${String(s).padStart(2, '0')}_${String(t).padStart(2, '0')}_*.md`,
  planStageHeading: (n) => `\`## Stage ${n}:\` in the Implementation Plan`,
  schemas: {
    'task-log': taskLogSchema,
    'worker-handoff-log': workerHandoffLogSchema,
    'manager-handoff-log': managerHandoffLogSchema,
    'delegation-log': delegationLogSchema,
  },
  frontmatterRequired: ['task-log', 'worker-handoff-log', 'manager-handoff-log', 'delegation-log'],
  titles: stageTitles,
  requiredSections: stageRequiredSections,
  conditionalSections: stageConditionalSections,
};
