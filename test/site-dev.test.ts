// `astro dev` on a memory tree, as `pnpm site:dev` runs it: a saved log's pages (its findings
// included) are served anew without a restart, and so are the pages of the files whose cross-file
// findings it feeds; the pages read the history memlint holds in the server, before Astro's data
// store has the save.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyExample, repoRoot, tempDir } from './support/run.ts';

const siteDir = path.join(repoRoot, 'site');

/** Starts `astro dev` on a tree; resolves with its URL once it serves. */
async function startDev(memory: string, work: string): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const config = path.join(work, 'astro.config.mjs');
  writeFileSync(config, `import config from ${JSON.stringify(pathToFileURL(path.join(siteDir, 'astro.config.mjs')).href)};\nexport default { ...config, cacheDir: ${JSON.stringify(path.join(work, 'cache'))} };\n`);
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(NODE_ENV|MODE|DEV|PROD|SSR|BASE_URL|TEST|VITEST\w*)$/.test(k)));
  const astro = path.join(siteDir, 'node_modules', 'astro', 'bin', 'astro.mjs');
  const child = spawn(process.execPath, [astro, 'dev', '--config', path.relative(siteDir, config), '--host', '127.0.0.1', '--port', '0'], {
    cwd: siteDir,
    // The store gets a save 5 s after it (2 s by default): room on a loaded machine to see the page first.
    env: { ...inherited, MEMLINT_MEMORY: memory, MEMLINT_DEV_STORE_DELAY_MS: '5000', NO_COLOR: '1', FORCE_COLOR: '0', ASTRO_TELEMETRY_DISABLED: '1' },
  });
  let text = '';
  child.stdout!.on('data', (d: Buffer) => (text += d));
  child.stderr!.on('data', (d: Buffer) => (text += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`astro dev did not start:\n${text.slice(-3000)}`)), 120_000);
    const poll = setInterval(() => {
      const m = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(text);
      if (m) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve(m[1]!);
      }
    }, 50);
    child.on('exit', (code) => reject(new Error(`astro dev exited ${code}:\n${text.slice(-3000)}`)));
  });
  return { child, url, output: () => text };
}

/** Fetches a page until its HTML satisfies the test (or the time is up); resolves with the HTML and how long it took. */
async function until(url: string, test: (html: string) => boolean, timeoutMs = 30_000): Promise<{ html: string; ms: number }> {
  const started = performance.now();
  let html = '';
  while (performance.now() - started < timeoutMs) {
    const response = await fetch(url);
    html = await response.text();
    if (response.ok && test(html)) return { html, ms: performance.now() - started };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} never matched within ${timeoutMs} ms; last:\n${html.slice(0, 2000)}`);
}

describe('pnpm site:dev on a memory tree', () => {
  let dev: Awaited<ReturnType<typeof startDev>>;
  let tree = '';

  beforeAll(async () => {
    const work = tempDir('site-dev');
    tree = copyExample('apm-v1', path.join(work, 'tree'));
    dev = await startDev(tree, work);
  }, 180_000);

  afterAll(() => {
    dev?.child.kill('SIGTERM');
  });

  it('serves a changed log\'s page with its new content and findings, without a restart', async () => {
    const page = `${dev.url}/files/`;
    const index = await until(page, (html) => html.includes('backend-agent/handoff-02.log.md'));
    // The page of the backend agent's second handoff (the link the files index gives).
    const href = /href="([^"]+)"[^>]*>\s*<code[^>]*>[^<]*backend-agent\/handoff-02\.log\.md</.exec(index.html)?.[1];
    expect(href).toBeTruthy();
    const url = new URL(href!, page).href;
    const clean = await until(url, (html) => html.includes('Backend Agent 2 → Backend Agent 3'));
    expect(clean.html).not.toContain('handoff-instances');
    const file = path.join(tree, '.apm', 'memory', 'handoffs', 'backend-agent', 'handoff-02.log.md');
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^incoming: \d+$/m);
    // incoming must be outgoing + 1: 97 makes a finding (its message names the value), and the title the page shows changes with it.
    writeFileSync(file, text.replace(/^incoming: \d+$/m, 'incoming: 97').replace('Backend Agent 2 → Backend Agent 3', 'Backend Agent 2 → Backend Agent 97'));
    const changed = await until(url, (html) => html.includes('Backend Agent 2 → Backend Agent 97') && html.includes('handoff-instances') && html.includes('incoming: 97'));
    expect(changed.ms).toBeLessThan(20_000);
    // The page read the history the loader holds: Astro's data store on disk does not have the save
    // yet (it gets it once the tree has been unchanged for 5 s here), and then does.
    const storeFile = path.join(siteDir, '.astro', 'data-store.json');
    expect(readFileSync(storeFile, 'utf8')).not.toContain('Backend Agent 97');
    const started = performance.now();
    while (!readFileSync(storeFile, 'utf8').includes('Backend Agent 97')) {
      expect(performance.now() - started).toBeLessThan(20_000);
      await new Promise((r) => setTimeout(r, 100));
    }
    // Back as it was: the finding goes.
    writeFileSync(file, text);
    await until(url, (html) => !html.includes('incoming: 97') && !html.includes('handoff-instances'));
    expect(dev.child.exitCode).toBeNull();
  }, 90_000);
});
