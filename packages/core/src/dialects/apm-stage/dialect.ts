import type { Dialect } from '../dialect.ts';
import { classifyStagePath, kindFromFrontmatterKeys } from './paths.ts';
import { delegationLogSchema, managerHandoffLogSchema, taskLogSchema, workerHandoffLogSchema } from './schemas.ts';

/** APM v1.0.0-test-1..7: `.apm/Memory/Stage_<NN>_<Slug>/Task_Log_*`, `Handoffs/<AgentID>_Handoffs/…`. */
export const apmStageDialect: Dialect = {
  id: 'apm-stage',
  family: 'apm',
  label: 'APM Stage era',
  versions: 'v1.0.0-test-1 … v1.0.0-test-7',
  rulesAvailable: true,
  classify(relPath, keys) {
    const kind = classifyStagePath(relPath).kind;
    return kind === 'other' ? kindFromFrontmatterKeys(keys, relPath) : kind;
  },
  schemas: {
    'task-log': taskLogSchema,
    'worker-handoff-log': workerHandoffLogSchema,
    'manager-handoff-log': managerHandoffLogSchema,
    'delegation-log': delegationLogSchema,
  },
  frontmatterRequired: ['task-log', 'worker-handoff-log', 'manager-handoff-log', 'delegation-log'],
};
