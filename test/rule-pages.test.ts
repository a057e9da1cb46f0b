import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  allRules,
  dialectIds,
  dialects,
  documentKinds,
  encodeText,
  fixWorkspace,
  lintWorkspace,
  loadVirtualRoot,
  parseRulePage,
  type DialectId,
  type DocumentKind,
  type Rule,
  type RuleExample,
  type Workspace,
} from '@memlint/core';
import { messageMatches } from '../packages/core/src/rules/rule-page.ts';

const rulesDir = path.resolve(import.meta.dirname, '..', 'rules');
const pages = readdirSync(rulesDir).filter((f) => f.endsWith('.md') && f !== 'README.md');
const readme = readFileSync(path.resolve(rulesDir, '..', 'README.md'), 'utf8');

/** The frontmatter every rule page has, each key saying what the rule's `meta` says. */
const FRONTMATTER_KEYS = ['title', 'description', 'severity', 'fixable', 'family', 'dialects', 'kinds', 'crossFile'];

/**
 * Dialects in which a rule runs but cannot find anything yet, so no invalid example can exist:
 * the index of these dialects does not hold what the rule compares.
 */
const NOTHING_TO_FIND: Partial<Record<string, { dialect: DialectId; why: string }[]>> = {
  'handoff-chain-timestamps': [
    { dialect: 'apm-v1', why: 'v1.0 handoff logs have no timestamp' },
    { dialect: 'apm-phase', why: 'Phase-era handover files have no timestamp' },
  ],
  'handoff-tasks-logged': [{ dialect: 'apm-v1', why: 'v1.0 handoff logs list their tasks in prose, which the index does not read' }],
};

function load(example: RuleExample, family: unknown): Workspace {
  // aops files live outside .apm/ trees: their examples are read as such unless they say otherwise.
  const dialect = example.dialect ?? (family === 'aops' ? 'aops' : undefined);
  return loadVirtualRoot(example.files, {
    ...(dialect ? { dialect } : {}),
    ...(example.maxFileSize ? { maxFileSize: example.maxFileSize } : {}),
  });
}

function run(ws: Workspace, example: RuleExample, ruleId: string) {
  const result = lintWorkspace(ws);
  return example.files.map((file) => {
    const doc = ws.documents.find((d) => d.relPath === file.relPath);
    const found = doc ? (result.get(doc) ?? []).filter((d) => d.ruleId === ruleId) : [];
    return { file, doc, found };
  });
}

const sorted = (list: readonly string[]) => [...list].sort();
const union = <T extends string>(lists: Iterable<readonly T[]>) => sorted([...new Set([...lists].flat())]);

/** The dialects and kinds a rule that reads its knowledge from the dialect can work in: those that provide it. */
function providers(pick: (d: (typeof dialects)[DialectId]) => readonly DocumentKind[]): { dialects: string[]; kinds: string[] } {
  const having = dialectIds.filter((id) => pick(dialects[id]).length > 0);
  return { dialects: sorted(having), kinds: union(having.map((id) => pick(dialects[id]))) };
}

const dataDriven: Record<string, { dialects: string[]; kinds?: string[] }> = {
  'frontmatter-schema': providers((d) => Object.keys(d.schemas) as DocumentKind[]),
  'frontmatter-unknown-key': providers((d) => Object.keys(d.schemas) as DocumentKind[]),
  'frontmatter-missing': providers((d) => d.frontmatterRequired),
  'title-format': providers((d) => Object.keys(d.titles ?? {}) as DocumentKind[]),
  'sections-required': providers((d) => Object.keys(d.requiredSections ?? {}) as DocumentKind[]),
  'conditional-sections': providers((d) => (d.conditionalSections ?? []).map((c) => c.kind)),
  'dialect-unsupported': { dialects: sorted(dialectIds.filter((id) => !dialects[id].rulesAvailable)) },
};

describe('rule metadata', () => {
  it('every rule has a page and every page a rule', () => {
    expect(pages.map((p) => p.replace(/\.md$/, '')).sort()).toEqual(allRules.map((r) => r.meta.id).sort());
  });

  it('the README lists every rule with its default severity and description, and says which are cross-file and fixable', () => {
    for (const { meta } of allRules) {
      const row = readme.split('\n').find((l) => l.startsWith(`| [\`${meta.id}\`](rules/${meta.id}.md) | `));
      expect(row, meta.id).toBeDefined();
      const [, severity, applies, description] = row!.replace(/ \|$/, '').split(' | ');
      expect(severity, meta.id).toBe(meta.severity);
      expect(description, meta.id).toBe(meta.description);
      expect(applies!.split(', ').includes('fixable'), `${meta.id}: "fixable" in the applies-to column`).toBe(Boolean(meta.fixable));
      expect(applies!.split(', ').includes('cross-file'), `${meta.id}: "cross-file" in the applies-to column`).toBe(Boolean(meta.crossFile));
    }
  });

  it('names real dialects and kinds', () => {
    for (const { meta } of allRules) {
      expect(meta.dialects.length, meta.id).toBeGreaterThan(0);
      for (const d of meta.dialects) expect(dialectIds, meta.id).toContain(d);
      if (meta.kinds !== 'all') {
        expect(meta.kinds.length, meta.id).toBeGreaterThan(0);
        for (const k of meta.kinds) expect(documentKinds, meta.id).toContain(k);
      }
    }
  });

  it('a rule that reads its knowledge from the dialect runs in exactly the dialects that provide it, on the kinds they cover', () => {
    for (const [id, want] of Object.entries(dataDriven)) {
      const meta = allRules.find((r) => r.meta.id === id)!.meta;
      expect(sorted(meta.dialects), `${id}: dialects`).toEqual(want.dialects);
      if (want.kinds) expect(meta.kinds === 'all' ? 'all' : sorted(meta.kinds), `${id}: kinds`).toEqual(want.kinds);
    }
  });
});

describe('rule pages', () => {
  for (const page of pages) {
    const id = page.replace(/\.md$/, '');
    const rule = allRules.find((r) => r.meta.id === id) as Rule | undefined;
    const text = readFileSync(path.join(rulesDir, page), 'utf8');
    const parsed = parseRulePage(text, id);
    const invalid = parsed.examples.filter((e) => e.kind === 'invalid');

    describe(id, () => {
      it('its frontmatter says what the rule\'s meta says', () => {
        expect(rule, `no rule ${id}`).toBeDefined();
        const { meta } = rule!;
        const data = parsed.data;
        expect(Object.keys(data).sort()).toEqual([...FRONTMATTER_KEYS].sort());
        expect(data.title).toBe(id);
        expect(data.description).toBe(meta.description);
        expect(data.severity).toBe(meta.severity);
        expect(data.fixable).toBe(Boolean(meta.fixable));
        expect(data.crossFile).toBe(Boolean(meta.crossFile));
        expect(data.family).toBe(meta.family);
        expect(Array.isArray(data.dialects) ? sorted(data.dialects as string[]) : data.dialects).toEqual(sorted(meta.dialects));
        expect(Array.isArray(data.kinds) ? sorted(data.kinds as string[]) : data.kinds).toEqual(meta.kinds === 'all' ? 'all' : sorted(meta.kinds));
      });

      it('its summary line states the severity and whether it fixes', () => {
        const summary = text.split('\n').find((l) => l.startsWith('**Severity:**'));
        expect(summary, 'the **Severity:** · **Applies to:** · **Fixable:** line').toBeDefined();
        expect(summary).toContain(`**Severity:** ${rule!.meta.severity} ·`);
        expect(summary).toContain('**Applies to:**');
        expect(/\*\*Fixable:\*\* no\b/.test(summary!), 'Fixable: no exactly when the rule has no fixes').toBe(!rule!.meta.fixable);
      });

      it('has valid and invalid examples, each finding with a place and a message, and a fixed text when the rule fixes', () => {
        expect(parsed.examples.filter((e) => e.kind === 'valid').length).toBeGreaterThan(0);
        expect(invalid.length).toBeGreaterThan(0);
        for (const e of invalid) {
          expect(e.files.some((f) => f.expect && f.expect.length > 0), `invalid example "${e.name}" states no expected place`).toBe(true);
          for (const f of e.files) {
            for (const p of f.expect ?? []) expect(p.message, `"${e.name}": ${f.relPath} line ${p.line} states no message`).toBeTruthy();
          }
        }
        if (rule!.meta.fixable) {
          expect(invalid.some((e) => e.files.some((f) => f.fixed)), 'a fixable rule shows the text after --fix in at least one example').toBe(true);
        }
      });

      it('has examples in each APM dialect it runs in', () => {
        if (rule!.meta.family !== 'apm') return;
        const ran = parsed.examples.map((e) => ({ kind: e.kind, dialect: load(e, parsed.data.family).root.dialect.id }));
        for (const dialect of rule!.meta.dialects) {
          expect(ran.some((r) => r.kind === 'valid' && r.dialect === dialect), `a valid example in ${dialect}`).toBe(true);
          if (NOTHING_TO_FIND[id]?.some((n) => n.dialect === dialect)) continue;
          expect(ran.some((r) => r.kind === 'invalid' && r.dialect === dialect), `an invalid example in ${dialect}`).toBe(true);
        }
      });

      for (const example of parsed.examples) {
        it(`${example.kind}: ${example.name} (rules/${page}:${example.line})`, () => {
          const ws = load(example, parsed.data.family);
          for (const { file, doc, found } of run(ws, example, id)) {
            const said = `${file.relPath}: ${found.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.message}`).join(' | ')}`;
            if (example.kind === 'valid' || !file.expect) {
              expect(found.map((d) => `${d.range.start.line}:${d.range.start.column}`), said).toEqual([]);
              continue;
            }
            expect(found.map((d) => d.range.start.line), said).toEqual(file.expect.map((p) => p.line));
            file.expect.forEach((p, i) => {
              if (p.column) expect(found[i]!.range.start.column, `${file.relPath} line ${p.line}`).toBe(p.column);
              if (p.message) expect(messageMatches(found[i]!.message, p.message), `${file.relPath} line ${p.line}: "${found[i]!.message}" does not contain "${p.message}"`).toBe(true);
            });
            // The kinds in meta are the kinds the rule's findings are on.
            const { kinds } = rule!.meta;
            if (kinds !== 'all') expect(kinds, `${file.relPath} is a ${doc!.kind}, which meta.kinds does not list`).toContain(doc!.kind);
          }
          const fixedFiles = example.files.filter((f) => f.fixed);
          if (fixedFiles.length === 0) return;
          const { fixed } = fixWorkspace(ws, {}, undefined, { rules: [rule!] });
          for (const file of fixedFiles) {
            const doc = ws.documents.find((d) => d.relPath === file.relPath)!;
            const after = fixed.find((f) => f.original === doc)?.document ?? doc;
            const where = `${file.relPath} after --fix (rules/${page}:${file.fixed!.line})`;
            if (file.fixed!.bytes) expect(Buffer.from(encodeText(after.source.text, after.source.hasBom)).toString('hex'), where).toBe(Buffer.from(file.fixed!.bytes).toString('hex'));
            else expect(after.source.text, where).toBe(file.fixed!.text);
          }
        });
      }
    });
  }
});
