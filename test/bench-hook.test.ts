// The hook bench (bench/hook.js) runs end to end on a small tree and prints its table. No timed
// assertion: only that it works, that each case answers as it should, and that it reports figures.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '..');

describe('bench/hook.js', () => {
  it('times memlint hook on recorded payloads in a 40-file tree and outside it', () => {
    const r = spawnSync(process.execPath, [path.join(repo, 'bench', 'hook.js'), '--files', '40', '--runs', '2', '--json'], { cwd: repo, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as { files: number; targetMs: number; cases: { id: string; blocked: boolean; answered: boolean; median: number; cpu: number }[] };
    expect(json.files).toBeGreaterThanOrEqual(40);
    expect(json.targetMs).toBe(300);
    const byId = Object.fromEntries(json.cases.map((c) => [c.id, c]));
    expect(byId['in-tree']).toMatchObject({ blocked: false, answered: false });
    expect(byId['in-tree-broken']).toMatchObject({ blocked: true });
    expect(byId.outside).toMatchObject({ blocked: false, answered: false });
    for (const c of json.cases) expect(c.median).toBeGreaterThan(0);
  });
});
