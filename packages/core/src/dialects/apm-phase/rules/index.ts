import type { Rule } from '../../../rules/rule.ts';
import { handoverFilePath, taskRefLocation } from './locations.ts';
import { phaseSummaryPresent, taskLogDuplicate, taskLogEmpty } from './progress.ts';

/** The Phase era's own rules (APM v0.4 / v0.5); the rest are the APM format and cross-file rules, fed by this folder's data. */
export const apmPhaseRules: readonly Rule[] = [taskRefLocation, handoverFilePath, taskLogEmpty, taskLogDuplicate, phaseSummaryPresent];
