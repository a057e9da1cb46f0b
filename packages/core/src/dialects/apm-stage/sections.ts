import type { ConditionalSection } from '../dialect.ts';
import type { DocumentKind } from '../../document.ts';

/** The `##` sections each kind must have, in this order. */
export const stageRequiredSections: Partial<Record<DocumentKind, readonly string[]>> = {
  'worker-handoff-log': ['Session Summary', 'Working Context', 'Technical Notes', 'Continuation Guidance'],
  'manager-handoff-log': ['Tracked Worker Handoffs', 'User Preferences', 'Coordination Insights', 'Working Notes'],
  'task-log': ['Summary', 'Details', 'Output', 'Validation', 'Issues', 'Next Steps'],
  'delegation-log': ['Summary', 'Delegation Context', 'Findings', 'Resolution', 'Integration Notes'],
};

/** Flag → the section it calls for (test-1..4 task logs also have `delegation`). */
export const stageConditionalSections: readonly ConditionalSection[] = [
  { kind: 'task-log', flag: 'compatibility_issues', section: 'Compatibility Concerns' },
  { kind: 'task-log', flag: 'important_findings', section: 'Important Findings' },
  { kind: 'task-log', flag: 'delegation', section: 'Delegation' },
];
