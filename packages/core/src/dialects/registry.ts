import type { Dialect, DialectId } from './dialect.ts';
import { apmStageDialect } from './apm-stage/dialect.ts';
import { apmV1Dialect } from './apm-v1/dialect.ts';
import { apmPhaseDialect } from './apm-phase/dialect.ts';
import { apmV03Dialect } from './apm-v03/dialect.ts';
import { aopsDialect } from './aops/dialect.ts';

const unknownDialect: Dialect = { id: 'unknown', family: 'apm', label: 'unrecognised layout', versions: 'none', rulesAvailable: false, classify: () => 'other', schemas: {}, frontmatterRequired: [] };

/** Every dialect memlint knows; adding one is a folder and a line here. */
export const dialects: Record<DialectId, Dialect> = {
  'apm-stage': apmStageDialect,
  'apm-v1': apmV1Dialect,
  'apm-phase': apmPhaseDialect,
  'apm-v03': apmV03Dialect,
  aops: aopsDialect,
  unknown: unknownDialect,
};

export function getDialect(id: DialectId): Dialect {
  return dialects[id];
}

/** The dialects a predicate holds for, in registry order: a rule that needs some dialect data runs where it is. */
export function dialectsWhere(has: (d: Dialect) => boolean): DialectId[] {
  return (Object.keys(dialects) as DialectId[]).filter((id) => has(dialects[id]));
}
