import type { Dialect, DialectId } from './dialect.ts';
import { apmStageDialect } from './apm-stage/dialect.ts';
import { aopsDialect } from './aops/dialect.ts';

/** A dialect memlint recognises but has no format rules for yet: only the generic checks run. */
function recognisedOnly(id: DialectId, label: string, versions: string): Dialect {
  return { id, family: 'apm', label, versions, rulesAvailable: false, classify: () => 'other', schemas: {}, frontmatterRequired: [] };
}

export const dialects: Record<DialectId, Dialect> = {
  'apm-stage': apmStageDialect,
  'apm-v1': recognisedOnly('apm-v1', 'APM v1', 'v1.0.0-test-8 … v1.0.x'),
  'apm-phase': recognisedOnly('apm-phase', 'APM Phase era', 'v0.4 … v0.5'),
  'apm-v03': recognisedOnly('apm-v03', 'APM v0.3', 'v0.3'),
  aops: aopsDialect,
  unknown: recognisedOnly('unknown', 'unrecognised layout', 'none'),
};

export function getDialect(id: DialectId): Dialect {
  return dialects[id];
}
