import { z } from 'zod';
import type { DocumentKind } from '../document.ts';
import type { DialectId } from '../dialects/dialect.ts';
import { getDialect } from '../dialects/registry.ts';

/** The kinds that have a frontmatter schema in a dialect. */
export function schemaKinds(dialect: DialectId = 'apm-stage'): DocumentKind[] {
  return Object.keys(getDialect(dialect).schemas) as DocumentKind[];
}

/** JSON Schema (2020-12) of a kind's frontmatter, exported from the same zod object the linter uses. */
export function jsonSchemaFor(kind: DocumentKind, dialect: DialectId = 'apm-stage'): Record<string, unknown> | null {
  const schema = getDialect(dialect).schemas[kind];
  if (!schema) return null;
  return z.toJSONSchema(schema, { target: 'draft-2020-12' }) as Record<string, unknown>;
}
