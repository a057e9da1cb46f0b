// `memlint --cache`, through the CLI as a process: results never differ from an uncached run, a
// change in one file updates the cross-file findings of the files it feeds, a configuration change
// drops what the cache held, and a corrupt or foreign cache file is ignored and rebuilt.
import { existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LintCache, parseDocument } from '@memlint/core';
import { copyExample, memlint, memlintWith, tempDir, writeTree } from './support/run.ts';
import { v1Handoff, writeV1HandoffTree } from './support/v1-handoffs.ts';

interface JsonFile {
  path: string;
  messages: { line: number; column: number; ruleId: string; reason: string }[];
}

const findings = (stdout: string, base: string) =>
  (JSON.parse(stdout) as JsonFile[]).flatMap((f) => f.messages.map((m) => `${path.relative(base, path.resolve(base, f.path))} ${m.line}:${m.column} ${m.ruleId}`)).sort();

/** Handoff `n` stating the numbers of handoff `stated` (a renumbered copy). */
const handoff = (n: number, stated = n) => (stated === n ? v1Handoff(n) : v1Handoff(stated));
const tree = (dir: string) => writeV1HandoffTree(dir);

/** The parse packs of a cache (one per key folder). */
const packs = (location: string) => (existsSync(`${location}.d`) ? readdirSync(`${location}.d`).map((k) => path.join(`${location}.d`, k, 'pack.v8')).filter((f) => existsSync(f)) : []);

describe('memlint --cache', () => {
  it('gives what an uncached run gives, cold and warm, and keeps the cache under node_modules/.cache/memlint by default', () => {
    const dir = copyExample('apm-v1-defects', tempDir('cache-same'));
    const plain = memlint([dir, '--report', 'json'], dir);
    const cold = memlint([dir, '--report', 'json', '--cache'], dir);
    const warm = memlint([dir, '--report', 'json', '--cache'], dir);
    expect(cold.stdout).toBe(plain.stdout);
    expect(warm.stdout).toBe(plain.stdout);
    expect([cold.status, warm.status]).toEqual([plain.status, plain.status]);
    expect(existsSync(path.join(dir, 'node_modules', '.cache', 'memlint', 'cache.v8'))).toBe(true);
    // Touched but unchanged: the contents decide, the new times are taken up.
    const file = path.join(dir, '.apm', 'tracker.md');
    const later = new Date(Date.now() + 5000);
    utimesSync(file, later, later);
    expect(memlint([dir, '--report', 'json', '--cache'], dir).stdout).toBe(plain.stdout);
    // Named files (a pre-commit run): the same as without the cache too.
    const named = path.join(dir, '.apm', 'memory', 'handoffs', 'frontend-agent', 'handoff-02.log.md');
    const namedPlain = memlint([named, '--report', 'json'], dir);
    expect(memlint([named, '--report', 'json', '--cache'], dir).stdout).toBe(namedPlain.stdout);
    expect(memlint([named, '--report', 'json', '--cache'], dir).stdout).toBe(namedPlain.stdout);
  });

  it('a changed file updates the cross-file findings of an unchanged one: editing handoff 2 changes handoff 3', () => {
    const dir = tempDir('cache-cross');
    tree(dir);
    const cache = ['--cache', '--cache-location', path.join(dir, 'cache/')];
    expect(findings(memlint([dir, '--report', 'json', ...cache], dir).stdout, dir)).toEqual([]);
    expect(findings(memlint([dir, '--report', 'json', ...cache], dir).stdout, dir)).toEqual([]);
    // Handoff 2 now says it is handoff 1: a duplicate, and the chain jumps from 1 to 3 at handoff 3.
    writeFileSync(path.join(dir, '.apm/memory/handoffs/backend-agent/handoff-02.log.md'), handoff(2, 1));
    const after = memlint([dir, '--report', 'json', ...cache], dir);
    const uncached = memlint([dir, '--report', 'json'], dir);
    expect(after.stdout).toBe(uncached.stdout);
    expect(findings(after.stdout, dir)).toContain('.apm/memory/handoffs/backend-agent/handoff-03.log.md 5:10 handoff-chain-continuity');
    // Put back: handoff 3's finding goes away though handoff 3 never changed.
    writeFileSync(path.join(dir, '.apm/memory/handoffs/backend-agent/handoff-02.log.md'), handoff(2));
    expect(findings(memlint([dir, '--report', 'json', ...cache], dir).stdout, dir)).toEqual([]);
    // A file removed is a change too.
    rmSync(path.join(dir, '.apm/memory/handoffs/backend-agent/handoff-02.log.md'));
    expect(memlint([dir, '--report', 'json', ...cache], dir).stdout).toBe(memlint([dir, '--report', 'json'], dir).stdout);
  });

  it('a per-file finding that reads the rest of the tree is not kept: an unchanged log\'s message follows a new phase folder', () => {
    const dir = tempDir('cache-local');
    const log = (ref: string) => `---\nagent: Agent_Api\ntask_ref: ${ref}\nstatus: Completed\nad_hoc_delegation: false\ncompatibility_issues: false\nimportant_findings: false\n---\n\n# Task Log: ${ref} - Work\n\n## Summary\nx\n\n## Details\nx\n\n## Output\nx\n\n## Issues\nx\n\n## Next Steps\nx\n`;
    writeTree(dir, {
      '.apm/metadata.json': '{"templateVersion":"v0.5.4"}',
      '.apm/Memory/Phase_02_Base/Task_3_1_Work.md': log('Task 3.1'),
    });
    const cache = ['--cache-location', path.join(dir, 'cache/'), '--rule', 'task-planned=off'];
    const first = memlint([dir, '--report', 'json', ...cache], dir);
    expect(first.stdout).toContain('Memory/Phase_03_<Slug>/Task_3_1_Work.md');
    // The log is unchanged; the phase folder it belongs in now exists, and the message names it.
    writeTree(dir, { '.apm/Memory/Phase_03_Next/Task_3_2_More.md': log('Task 3.2') });
    const after = memlint([dir, '--report', 'json', ...cache], dir);
    expect(after.stdout).toBe(memlint([dir, '--report', 'json', '--rule', 'task-planned=off'], dir).stdout);
    expect(after.stdout).toContain('Memory/Phase_03_Next/Task_3_1_Work.md');
  });

  it('a configuration change is never answered from the cache', () => {
    const dir = copyExample('apm-v1-defects', tempDir('cache-config'));
    const before = memlint([dir, '--report', 'json', '--cache'], dir);
    expect(findings(before.stdout, dir).some((f) => f.endsWith('handoff-instances'))).toBe(true);
    writeFileSync(path.join(dir, '.memlintrc.json'), JSON.stringify({ rules: { 'handoff-instances': 'off' } }));
    const after = memlint([dir, '--report', 'json', '--cache'], dir);
    expect(findings(after.stdout, dir).some((f) => f.endsWith('handoff-instances'))).toBe(false);
    expect(after.stdout).toBe(memlint([dir, '--report', 'json'], dir).stdout);
    // And on the command line.
    const rule = memlint([dir, '--report', 'json', '--cache', '--rule', 'task-planned=off'], dir);
    expect(rule.stdout).toBe(memlint([dir, '--report', 'json', '--rule', 'task-planned=off'], dir).stdout);
  });

  it('a corrupt, truncated or foreign cache file is ignored and rebuilt, never an error', () => {
    const dir = copyExample('apm-v1-defects', tempDir('cache-corrupt'));
    const location = path.join(dir, 'c.v8');
    const plain = memlint([dir, '--report', 'json'], dir);
    memlint([dir, '--report', 'json', '--cache-location', location], dir);
    const good = readFileSync(location);
    for (const bad of [Buffer.from('not a cache'), good.subarray(0, good.length >> 1), Buffer.alloc(0), Buffer.from(JSON.stringify({ format: 'memlint-cache/2', key: 'x' }))]) {
      for (const file of [location, `${location}.files`, `${location}.local`, ...packs(location)]) writeFileSync(file, bad);
      const run = memlint([dir, '--report', 'json', '--cache-location', location], dir);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(plain.status);
      expect(run.stdout).toBe(plain.stdout);
      expect(statSync(location).size).toBeGreaterThan(bad.length > 100 ? 0 : 100);
    }
  });

  it('the parses are one pack: read back when only times changed, a damaged pack parsed again, never an error', () => {
    const dir = copyExample('apm-v1-defects', tempDir('cache-pack'));
    const location = path.join(dir, 'c.v8');
    const plain = memlint([dir, '--report', 'json'], dir);
    memlint([dir, '--report', 'json', '--cache-location', location], dir);
    expect(packs(location)).toHaveLength(1);
    const [pack] = packs(location);
    const touchAll = (when: number) => {
      for (const entry of readdirSync(path.join(dir, '.apm'), { recursive: true, withFileTypes: true })) {
        if (entry.isFile() && entry.name.endsWith('.md')) utimesSync(path.join(entry.parentPath, entry.name), when, when);
      }
    };
    // Same bytes, new times: every file is read again and its parse taken from the pack.
    touchAll(1_700_000_000);
    const restored = memlint([dir, '--report', 'json', '--cache-location', location], dir);
    expect(restored.stdout).toBe(plain.stdout);
    // The same, with the pack overwritten by bytes of the same length, then cut short.
    const size = statSync(pack!).size;
    for (const bad of [Buffer.alloc(size, 0x5a), Buffer.alloc(size >> 2, 0xff)]) {
      writeFileSync(pack!, bad);
      touchAll(1_700_000_000 + bad.length);
      const run = memlint([dir, '--report', 'json', '--cache-location', location], dir);
      expect(run.stderr).toBe('');
      expect(run.stdout).toBe(plain.stdout);
    }
  });

  it('the pack grows by what changed and is rewritten once most of it is parses no file uses (unit)', () => {
    const dir = tempDir('cache-pack-unit');
    const file = path.join(dir, 'c.v8');
    const doc = (n: number) => parseDocument({ path: '/root/a.md', relPath: 'a.md', kind: 'other', text: `---\nn: ${n}\n---\n\n# Log ${n}\n\n${'## Part\nwords\n\n'.repeat(20)}` });
    const pack = () => packs(file)[0]!;
    const run = (n: number) => {
      const cache = new LintCache(file, 'key', { packSlack: 4096 }).load();
      cache.record(doc(n), `digest-${n}`, `stat-${n}`);
      cache.save();
    };
    run(0);
    const one = statSync(pack()).size;
    expect(one).toBeGreaterThan(0);
    run(1);
    expect(Math.abs(statSync(pack()).size - one * 2)).toBeLessThan(16);
    const sizes: number[] = [];
    for (let n = 2; n < 12; n++) {
      run(n);
      sizes.push(statSync(pack()).size);
    }
    // Appended while what is unused stays under the slack and what is used; then rewritten to the one used parse.
    expect(Math.max(...sizes)).toBeLessThan(one * 2 + 4096 + 2 * 32);
    expect(sizes.some((s, i) => i > 0 && s < sizes[i - 1]!)).toBe(true);
    // The parse the files file names is the one read back.
    const cache = new LintCache(file, 'key').load();
    const restored = cache.restore({ path: '/root/a.md', relPath: 'a.md', bytes: Buffer.from(`---\nn: 11\n---\n\n# Log 11\n\n${'## Part\nwords\n\n'.repeat(20)}`), digest: 'digest-11', stat: 'stat-11' });
    expect(restored?.title?.text).toBe('Log 11');
  });

  it('a cache of another memlint version or setting is dropped (unit: the key decides)', () => {
    const dir = tempDir('cache-key');
    const file = path.join(dir, 'c.v8');
    const a = new LintCache(file, 'key-a').load();
    a.store('/root', 'fp', new Map([['/root/x.md', []]]), 'sig');
    a.save();
    expect(new LintCache(file, 'key-a').load().findingsFor('/root', 'sig', ['/root/x.md'])).toBeDefined();
    const b = new LintCache(file, 'key-b').load();
    expect(b.findingsFor('/root', 'sig', ['/root/x.md'])).toBeUndefined();
    expect(b.discarded).toBe(true);
  });

  it('a cache that cannot be written is a note on stderr; the run\'s result stands', () => {
    const dir = copyExample('apm-v1-defects', tempDir('cache-unwritable'));
    writeTree(dir, { blocker: 'a file where the cache folder would be' });
    const plain = memlint([dir, '--report', 'json'], dir);
    const run = memlintWith([dir, '--report', 'json', '--cache-location', path.join(dir, 'blocker', 'cache.v8')], dir, {});
    expect(run.status).toBe(plain.status);
    expect(run.stdout).toBe(plain.stdout);
    expect(run.stderr).toMatch(/^memlint: cannot write the cache .*blocker.*the next run starts without it\n$/);
  });

  it('usage errors: --cache-location needs a path', () => {
    const run = memlint(['--cache-location', '', '.'], tempDir('cache-usage'));
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--cache-location/);
  });
});
