import { dialectsWhere } from '../../dialects/registry.ts';
import type { z } from 'zod';
import type { MemoryDocument } from '../../document.ts';
import { defineRule, type ReportExtra } from '../rule.ts';
import { frontmatterKeys } from '../../frontmatter/frontmatter.ts';
import type { Range } from '../../text/source-text.ts';
import { editDistance, keyRange, replaceValue, show, valueRange } from '../locate.ts';
import type { Dialect } from '../../dialects/dialect.ts';
import { aKind } from '../words.ts';

/** The edit distance when it is at most `limit`, else null (a long key is not compared letter by letter). */
function boundedDistance(a: string, b: string, limit: number): number | null {
  if (Math.abs(a.length - b.length) > limit) return null;
  const d = editDistance(a, b);
  return d <= limit ? d : null;
}

type Issue = z.core.$ZodIssue;


/** The value at an issue's path, for the message. */
function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let at: unknown = data;
  for (const key of path) at = at && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[key] : undefined;
  return at;
}

function describeExpected(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'int' ? 'a whole number' : issue.expected === 'number' ? 'a number' : `a ${issue.expected}`;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'too_small':
      if (issue.origin === 'string') return 'a non-empty string';
      if (Number(issue.minimum) === 0 && !issue.inclusive) return 'a positive whole number';
      return `at least ${String(issue.minimum)}`;
    default:
      return issue.message;
  }
}

/** The schema's own description of a key, for the note under a message. */
function keyDescription(schema: z.ZodObject, key: PropertyKey | undefined): string | undefined {
  const field = key === undefined ? undefined : schema.shape[String(key)];
  const meta = field?.meta() as { description?: string } | undefined;
  return meta?.description;
}

/** Closest allowed values first: `success` → `Success`. */
function rankValues(values: readonly unknown[], got: unknown): string[] {
  const text = String(got ?? '').toLowerCase();
  return values
    .map(String)
    .map((v) => ({ v, d: editDistance(v.toLowerCase(), text) }))
    .sort((a, b) => a.d - b.d)
    .map((x) => x.v);
}

function message(doc: MemoryDocument, schema: z.ZodObject, issue: Issue, data: unknown, dialect: Dialect): { text: string; extra: ReportExtra } {
  const { text, extra } = describe(doc, issue, data, dialect);
  const note = keyDescription(schema, issue.path[0]);
  return { text, extra: note && !extra.note ? { ...extra, note } : extra };
}

function describe(doc: MemoryDocument, issue: Issue, data: unknown, dialect: Dialect): { text: string; extra: ReportExtra } {
  const key = issue.path.map(String).join('.');
  const got = valueAt(data, issue.path);
  if (got === undefined) {
    return { text: `missing required key \`${key}\` in ${aKind(dialect, doc.kind)}`, extra: {} };
  }
  if (issue.code === 'invalid_value') {
    const ranked = rankValues(issue.values, got);
    const close = ranked[0] !== undefined && ranked[0].toLowerCase() === String(got).toLowerCase();
    const fix = close && typeof got === 'string' ? replaceValue(doc, key, ranked[0]!) : undefined;
    return { text: `\`${key}\` must be ${describeExpected(issue)}, got ${show(got)}`, extra: { expected: ranked, ...(fix ? { fix } : {}) } };
  }
  if (issue.code === 'invalid_format' && issue.format === 'datetime') {
    return { text: `\`${key}\` must be an ISO 8601 date-time such as 2026-02-11T16:40:00Z, got ${show(got)}`, extra: {} };
  }
  if (issue.code === 'invalid_format' || issue.code === 'custom') {
    return { text: `\`${key}\` must be ${issue.message}, got ${show(got)}`, extra: {} };
  }
  if (issue.code === 'too_small' && issue.origin === 'number') {
    return { text: `\`${key}\` must be ${describeExpected(issue)}, got ${show(got)}`, extra: {} };
  }
  if (issue.code === 'invalid_type' && (issue.expected === 'int' || issue.expected === 'number') && typeof got === 'string' && /^\d+$/.test(got.trim())) {
    return { text: `\`${key}\` must be a number, got the string ${show(got)} (remove the quotes)`, extra: { expected: [got.trim()] } };
  }
  return { text: `\`${key}\` must be ${describeExpected(issue)}, got ${show(got)}`, extra: {} };
}

// Both schema rules run where there are schemas: in these dialects, on the kinds they have schemas for.
const schemaMeta = {
  family: 'generic',
  dialects: dialectsWhere((d) => Object.keys(d.schemas).length > 0),
  kinds: ['task-log', 'worker-handoff-log', 'manager-handoff-log', 'delegation-log', 'tracker', 'memory-index', 'implementation-plan', 'specifications', 'task-file', 'knowledge-note'],
} as const;

export const frontmatterSchema = defineRule({
  meta: {
    id: 'frontmatter-schema',
    description: 'Frontmatter has every required key, each with a value of the right type.',
    severity: 'error',
    ...schemaMeta,
    fixable: true,
  },
  checkDocument(doc, { workspace, report }) {
    const fm = doc.frontmatter;
    const schema = workspace.root.dialect.schemas[doc.kind];
    if (!fm || !schema || fm.errors.length > 0) return;
    const data = fm.data ?? {};
    if (typeof data !== 'object' || Array.isArray(data)) return; // frontmatter-syntax reports it
    const parsed = schema.safeParse(data);
    if (parsed.success) return;
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') continue; // frontmatter-unknown-key
      const { text, extra } = message(doc, schema, issue, data, workspace.root.dialect);
      const missing = valueAt(data, issue.path) === undefined;
      const range = missing ? (fm.closeFence ?? fm.openFence) : valueRange(doc, issue.path as PropertyKey[]);
      report(doc, range, text, extra);
    }
  },
});

export const frontmatterUnknownKey = defineRule({
  meta: {
    id: 'frontmatter-unknown-key',
    description: 'Frontmatter keys the format does not define are reported, with the likely intended key.',
    severity: 'warning',
    ...schemaMeta,
  },
  checkDocument(doc, { workspace, report }) {
    const fm = doc.frontmatter;
    const schema = workspace.root.dialect.schemas[doc.kind];
    const data = fm?.data;
    if (!fm || !schema || fm.errors.length > 0 || !data || typeof data !== 'object' || Array.isArray(data)) return;
    const known = Object.keys(schema.shape);
    const knownSet = new Set(known);
    const present = new Set(Object.keys(data));
    // The keys' places are looked up (from the YAML document) only when there is an unknown key to report.
    if ([...present].every((k) => knownSet.has(k))) return;
    const missing = known.filter((k) => !present.has(k));
    const ranges = new Map<string, Range>();
    for (const k of frontmatterKeys(doc.source, fm)) if (!ranges.has(k.key)) ranges.set(k.key, k.range);
    for (const key of present) {
      if (knownSet.has(key)) continue;
      const guess = [...missing, ...known]
        .map((k) => ({ k, d: boundedDistance(k.toLowerCase(), key.toLowerCase(), Math.max(2, Math.floor(k.length / 4))) }))
        .filter((x) => x.d !== null)
        .sort((a, b) => a.d! - b.d!)[0]?.k;
      const text = guess
        ? `unknown key \`${key}\` in ${aKind(workspace.root.dialect, doc.kind)}: did you mean \`${guess}\`?`
        : `unknown key \`${key}\` in ${aKind(workspace.root.dialect, doc.kind)} (known keys: ${known.join(', ')})`;
      report(doc, ranges.get(key) ?? keyRange(doc, key), text, guess ? { expected: [guess] } : {});
    }
  },
});
