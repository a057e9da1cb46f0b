/**
 * Framework Reflection profiles: which labels each generation of the aops session-end
 * workflow requires. Generation 2 (the Handover Workflow note) is the default.
 */
export interface ReflectionProfile {
  id: string;
  label: string;
  /** Labels that must be present, in this order (Root cause is handled by its own rule). */
  required: readonly string[];
  /** Every label the profile knows, in order; others are reported as unknown. */
  known: readonly string[];
}

const FULL = ['Prompts', 'Guidance received', 'Followed', 'Outcome', 'Accomplishments', 'Friction points', 'Root cause', 'Proposed changes', 'Next step'] as const;

export const reflectionProfiles: Record<string, ReflectionProfile> = {
  '2': {
    id: '2',
    label: 'generation 2 (Handover Workflow, early 2026)',
    required: FULL.filter((l) => l !== 'Root cause'),
    known: FULL,
  },
  '1b': {
    id: '1b',
    label: 'generation 1b (AGENTS.md, January 2026)',
    required: FULL.filter((l) => l !== 'Root cause'),
    known: [...FULL, 'Workflow improvements', 'JIT context needed', 'Context distractions', 'User tone'],
  },
  '3': {
    id: '3',
    label: 'generation 3 (/dump command, March 2026): three fields at least',
    required: ['Outcome', 'Accomplishments', 'Next step'],
    known: FULL,
  },
  '5': {
    id: '5',
    label: 'generation 5 (handover skill, mid 2026): four fields',
    required: ['Outcome', 'Accomplishments', 'Friction points', 'Proposed changes'],
    known: ['Outcome', 'Accomplishments', 'Friction points', 'Proposed changes', 'Next step'],
  },
};

export const DEFAULT_PROFILE = '2';

/** `2`, `gen2`, `generation-2`, `gen-1b` → the profile id, or null when unknown. */
export function resolveProfile(name: string): ReflectionProfile | null {
  const id = name.trim().toLowerCase().replace(/^(?:gen(?:eration)?)[-_ ]?/, '');
  return reflectionProfiles[id] ?? null;
}

/** Older and variant spellings the aops parser also reads, mapped to the label they stand for. */
export const labelAliases: Record<string, string> = {
  request: 'Prompts',
  prompt: 'Prompts',
  accomplishment: 'Accomplishments',
  'friction point': 'Friction points',
  'proposed change': 'Proposed changes',
  'next steps': 'Next step',
};
