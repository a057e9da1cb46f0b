// outDirAside: the previous build's output is moved aside at the build's start (one rename) and
// removed while the build runs; the build ends only once it is gone; leftovers of a killed build go too.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { outDirAside } from '../src/integration.ts';
import { tempDir } from '../../../test/support/run.ts';

const logger = () => {
  const lines: string[] = [];
  return { lines, info: (m: string) => lines.push(`info ${m}`), warn: (m: string) => lines.push(`warn ${m}`) };
};

/** An output folder of `pages` pages, each in a folder of its own, as a Starlight build writes them. */
function output(dir: string, pages: number): void {
  for (let i = 0; i < pages; i++) {
    mkdirSync(path.join(dir, `page-${i}`), { recursive: true });
    writeFileSync(path.join(dir, `page-${i}`, 'index.html'), `<p>${i}</p>`);
  }
}

describe('outDirAside', () => {
  it('moves the old output aside at the start, so Astro finds nothing to empty, and removes it before the build ends', async () => {
    const root = tempDir('out-dir-aside');
    const outDir = path.join(root, 'dist');
    output(outDir, 300);
    const integration = outDirAside();
    const log = logger();
    integration.hooks['astro:config:done']({ config: { outDir: pathToFileURL(`${outDir}/`) } });
    integration.hooks['astro:build:start']({ logger: log });
    // The output folder is gone at once (Astro's emptyDir has nothing to do); the old one is beside it.
    expect(existsSync(outDir)).toBe(false);
    // The build writes its pages meanwhile.
    output(outDir, 2);
    await integration.hooks['astro:build:done']({ logger: log });
    expect(readdirSync(root).sort()).toEqual(['dist']);
    expect(readdirSync(outDir).sort()).toEqual(['page-0', 'page-1']);
    expect(log.lines.filter((l) => l.startsWith('warn'))).toEqual([]);
  });

  it('removes what a killed build left aside, and does nothing on a first build', async () => {
    const root = tempDir('out-dir-aside-left');
    const outDir = path.join(root, 'dist');
    output(path.join(root, 'dist.stale-12345'), 3);
    mkdirSync(path.join(root, 'dist-other'));
    const integration = outDirAside();
    const log = logger();
    integration.hooks['astro:config:done']({ config: { outDir: pathToFileURL(`${outDir}/`) } });
    integration.hooks['astro:build:start']({ logger: log });
    await integration.hooks['astro:build:done']({ logger: log });
    expect(readdirSync(root).sort()).toEqual(['dist-other']);
    // A first build: no output, nothing aside.
    const fresh = outDirAside();
    fresh.hooks['astro:config:done']({ config: { outDir: pathToFileURL(`${path.join(root, 'new-dist')}/`) } });
    fresh.hooks['astro:build:start']({ logger: log });
    await fresh.hooks['astro:build:done']({ logger: log });
    expect(readdirSync(root).sort()).toEqual(['dist-other']);
  });
});
