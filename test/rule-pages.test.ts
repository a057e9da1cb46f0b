import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules, lintWorkspace, loadVirtualRoot, parseRulePage, type RuleExample } from '@memlint/core';

const rulesDir = path.resolve(import.meta.dirname, '..', 'rules');
const pages = readdirSync(rulesDir).filter((f) => f.endsWith('.md') && f !== 'README.md');

function run(example: RuleExample, ruleId: string, family: unknown) {
  // aops files live outside .apm/ trees: their examples are read as such unless they say otherwise.
  const dialect = example.dialect ?? (family === 'aops' ? 'aops' : undefined);
  const ws = loadVirtualRoot(example.files, {
    ...(dialect ? { dialect } : {}),
    ...(example.maxFileSize ? { maxFileSize: example.maxFileSize } : {}),
  });
  const result = lintWorkspace(ws);
  return example.files.map((file) => {
    const doc = ws.documents.find((d) => d.relPath === file.relPath);
    const found = doc ? (result.get(doc) ?? []).filter((d) => d.ruleId === ruleId) : [];
    return { file, found };
  });
}

describe('rule pages', () => {
  it('every rule has a page and every page a rule', () => {
    expect(pages.map((p) => p.replace(/\.md$/, '')).sort()).toEqual(allRules.map((r) => r.meta.id).sort());
  });

  it('the README lists every rule with its default severity', () => {
    const readme = readFileSync(path.resolve(rulesDir, '..', 'README.md'), 'utf8');
    for (const rule of allRules) {
      expect(readme, rule.meta.id).toContain(`| [\`${rule.meta.id}\`](rules/${rule.meta.id}.md) | ${rule.meta.severity} |`);
    }
  });

  for (const page of pages) {
    const id = page.replace(/\.md$/, '');
    const rule = allRules.find((r) => r.meta.id === id);
    const parsed = parseRulePage(readFileSync(path.join(rulesDir, page), 'utf8'), id);

    describe(id, () => {
      it('states the severity and fixability the rule has', () => {
        expect(rule, `no rule ${id}`).toBeDefined();
        expect(parsed.data.severity).toBe(rule!.meta.severity);
        expect(Boolean(parsed.data.fixable)).toBe(Boolean(rule!.meta.fixable));
      });

      it('has valid and invalid examples', () => {
        expect(parsed.examples.filter((e) => e.kind === 'valid').length).toBeGreaterThan(0);
        expect(parsed.examples.filter((e) => e.kind === 'invalid').length).toBeGreaterThan(0);
        for (const e of parsed.examples.filter((x) => x.kind === 'invalid')) {
          expect(e.files.some((f) => f.expect && f.expect.length > 0), `invalid example "${e.name}" states no expected place`).toBe(true);
        }
      });

      for (const example of parsed.examples) {
        it(`${example.kind}: ${example.name} (rules/${page}:${example.line})`, () => {
          for (const { file, found } of run(example, id, parsed.data.family)) {
            const lines = found.map((d) => `${d.range.start.line}:${d.range.start.column}`);
            if (example.kind === 'valid' || !file.expect) {
              expect(lines, `${file.relPath}: ${found.map((d) => d.message).join(' | ')}`).toEqual([]);
              continue;
            }
            const want = file.expect.map((p) => p.line);
            expect(found.map((d) => d.range.start.line), `${file.relPath}: ${found.map((d) => d.message).join(' | ')}`).toEqual(want);
            file.expect.forEach((p, i) => {
              if (p.column) expect(found[i]!.range.start.column, `${file.relPath} line ${p.line}`).toBe(p.column);
            });
          }
        });
      }
    });
  }
});
