import type { Rule } from '../../../rules/rule.ts';
import { handoffLogPath, taskLogLocation } from './paths.ts';

/** v1.0's own rules (the rest are the APM format and cross-file rules, fed by this folder's data). */
export const apmV1Rules: readonly Rule[] = [taskLogLocation, handoffLogPath];
