// The speed levers change nothing memlint says: on the bundled examples and the corpus
// (../shared/corpus, skipped when absent), the JSON report is byte for byte the same with and
// without the cache (cold, warm, after every file was touched, after one file changed and back) and
// with and without the frontmatter fast path. And the fast path reads every block it takes exactly
// as the YAML parser does.
import { cpSync, existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { flatMapping, yamlDocumentOf } from '../packages/core/src/frontmatter/frontmatter.ts';
import { memlintWith, repoRoot, tempDir } from './support/run.ts';

const corpus = path.resolve(repoRoot, '..', 'shared', 'corpus');

function filesBelow(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesBelow(p));
    else out.push(p);
  }
  return out;
}

const json = (dir: string, extra: string[] = [], env: Record<string, string> = {}) => {
  const run = memlintWith([dir, '--report', 'json', '--no-config', ...extra], dir, { env, timeout: 120_000 });
  return `${run.status}\n${run.stdout}`;
};

function checkTree(source: string) {
  const dir = tempDir('identical');
  cpSync(source, dir, { recursive: true });
  const cache = ['--cache-location', path.join(tempDir('identical-cache'), 'c.v8')];
  const plain = json(dir);
  expect(json(dir, [], { MEMLINT_YAML_FAST_PATH: '0' }), 'without the fast path').toBe(plain);
  expect(json(dir, cache), 'cache, cold').toBe(plain);
  expect(json(dir, cache), 'cache, warm').toBe(plain);
  const files = filesBelow(dir).filter((f) => f.endsWith('.md'));
  const later = new Date(Date.now() + 10_000);
  for (const f of files) utimesSync(f, later, later);
  expect(json(dir, cache), 'cache, every file touched').toBe(plain);
  // One file changed: the others come from the cache, the result is a fresh run's.
  const one = files.find((f) => f.includes('/.apm/')) ?? files[0]!;
  const before = readFileSync(one);
  writeFileSync(one, Buffer.concat([before, Buffer.from('\n## Added\n\nText.\n')]));
  expect(json(dir, cache), 'cache, one file changed').toBe(json(dir));
  writeFileSync(one, before);
  expect(json(dir, cache), 'cache, changed back').toBe(plain);
}

describe('results with and without the speed levers', () => {
  it('the bundled examples', () => checkTree(path.join(repoRoot, 'examples')), 120_000);

  it.skipIf(!existsSync(corpus))('the corpus', () => checkTree(corpus), 120_000);

  it('a run on named files (their siblings read for context only, parsed as far as the rules need) reports what a whole-tree run reports for them', () => {
    const dir = tempDir('identical-named');
    cpSync(path.join(repoRoot, 'examples'), dir, { recursive: true });
    const whole = JSON.parse(memlintWith([dir, '--report', 'json', '--no-config'], dir, {}).stdout) as { path: string; messages: unknown[] }[];
    const byFile = new Map(whole.map((f) => [path.resolve(dir, f.path), f.messages]));
    const files = [...byFile.keys()].filter((f) => f.includes(`${path.sep}.apm${path.sep}`));
    // Every file with findings, and some without.
    const picked = [...files.filter((f) => byFile.get(f)!.length > 0), ...files.filter((f) => byFile.get(f)!.length === 0).slice(0, 10)];
    expect(picked.length).toBeGreaterThan(20);
    for (const cache of [[], ['--cache-location', path.join(tempDir('identical-named-cache'), 'c.v8')]]) {
      const run = JSON.parse(memlintWith([...picked, '--report', 'json', '--no-config', ...cache], dir, {}).stdout) as { path: string; messages: unknown[] }[];
      expect(new Map(run.map((f) => [path.resolve(dir, f.path), f.messages]))).toEqual(new Map(picked.map((f) => [f, byFile.get(f)!])));
    }
  }, 120_000);

  it('the fast path reads each frontmatter block it takes as the YAML parser does', () => {
    const blocks: string[] = [];
    const roots = [path.join(repoRoot, 'examples'), path.join(repoRoot, 'rules'), ...(existsSync(corpus) ? [corpus] : [])];
    for (const f of roots.flatMap(filesBelow).filter((p) => p.endsWith('.md'))) {
      const m = /^---\r?\n([\s\S]*?)^---/m.exec(readFileSync(f, 'utf8'));
      if (m) blocks.push(m[1]!);
    }
    // And values at the edges of what it takes: numbers, words YAML reads as other types, spacing.
    const edges = ['a: 1', 'a: 01', 'a: 1.5', 'a: 1e3', 'a: 1.', 'a: true', 'a: True', 'a: yes', 'a: no', 'a: null', 'a: Null', 'a: ~', 'a:', 'a:   x  ', 'a: 2026-02-11', 'a: 2026-02-11T16:40:00Z', 'a: 0x1F', 'a: 0o17', 'a: .5', 'a: -1', 'a: +1', 'a: 123456789012345678', 'a: x:y', 'a: x #c', 'a: x# y', 'a: Task 2.3 - Title', 'a: b\nb: c\n# comment\n\nc: d', 'a: 1\na: 2', '__proto__: x', 'a: x\r\nb: y', 'a: x\rb: y', 'a: [1]', "a: 'x'", 'a: x, y', 'a: x - y', 'k-e_y: v', 'a: NaN', 'a: .inf', 'a: TRUE', 'a: FALSE', 'a: nulls'];
    let taken = 0;
    for (const content of [...blocks, ...edges.map((e) => `${e}\n`)]) {
      const fast = flatMapping(content);
      if (!fast) continue;
      taken++;
      const doc = yamlDocumentOf(content);
      expect(doc.errors, content).toEqual([]);
      expect(fast, content).toEqual(doc.toJS());
    }
    expect(taken).toBeGreaterThan(50);
  });
});
