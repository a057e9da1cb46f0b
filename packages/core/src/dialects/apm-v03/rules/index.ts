import type { Rule } from '../../../rules/rule.ts';
import { memoryBankEntry } from './entry.ts';
import { handoverSections } from './handover.ts';
import { memoryBankStatus } from './status.ts';

/** APM v0.3's own rules (Memory Bank entries, the handover file). */
export const apmV03Rules: readonly Rule[] = [memoryBankEntry, memoryBankStatus, handoverSections];
