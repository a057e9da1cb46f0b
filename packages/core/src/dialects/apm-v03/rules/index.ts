import type { Rule } from '../../../rules/rule.ts';

/** APM v0.3's own rules (Memory Bank entries, the handover file). */
export const apmV03Rules: readonly Rule[] = [];
