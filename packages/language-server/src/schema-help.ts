// What hover and completion say about frontmatter keys: read from the JSON Schema core exports
// from the same zod objects the linter checks with, never written again here.
import { jsonSchemaFor, type DialectId, type DocumentKind } from '@memlint/core';

export interface KeyHelp {
  key: string;
  description: string | null;
  /** The values the key allows, when it allows a fixed set (null among them when it may be null). */
  values: unknown[] | null;
  /** The JSON types the key takes ('string', 'integer', 'boolean', 'null', …). */
  types: string[];
  required: boolean;
}

type Schema = Record<string, unknown>;

const cache = new Map<string, Map<string, KeyHelp> | null>();

function collect(node: Schema, values: unknown[], types: Set<string>): { fixed: boolean } {
  let fixed = true;
  if ('const' in node) values.push(node.const);
  else if (Array.isArray(node.enum)) values.push(...(node.enum as unknown[]));
  else if (Array.isArray(node.anyOf) || Array.isArray(node.oneOf)) {
    for (const sub of ((node.anyOf ?? node.oneOf) as Schema[])) if (!collect(sub, values, types).fixed) fixed = false;
  } else if (node.type === 'null') values.push(null);
  else fixed = false;
  const t = node.type;
  if (typeof t === 'string') types.add(t);
  else if (Array.isArray(t)) for (const x of t) types.add(String(x));
  return { fixed };
}

/** Every key the frontmatter of a kind may have, in the schema's order. */
export function keysOf(kind: DocumentKind, dialect: DialectId): Map<string, KeyHelp> | null {
  const id = `${dialect}\u0000${kind}`;
  if (!cache.has(id)) {
    const schema = jsonSchemaFor(kind, dialect) as Schema | null;
    const properties = (schema?.properties ?? null) as Record<string, Schema> | null;
    if (!properties) cache.set(id, null);
    else {
      const required = new Set((schema!.required as string[] | undefined) ?? []);
      const keys = new Map<string, KeyHelp>();
      for (const [key, node] of Object.entries(properties)) {
        const values: unknown[] = [];
        const types = new Set<string>();
        const { fixed } = collect(node, values, types);
        const description = typeof node.description === 'string' ? node.description : null;
        keys.set(key, { key, description, values: fixed && values.length > 0 ? values : null, types: [...types], required: required.has(key) });
      }
      cache.set(id, keys);
    }
  }
  return cache.get(id) ?? null;
}

/** A value as YAML writes it in frontmatter. */
export function yamlValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return /^[\w.-][\w ./-]*$/.test(value) && !/^(null|true|false|~|\d)/i.test(value) ? value : JSON.stringify(value);
  return String(value);
}
