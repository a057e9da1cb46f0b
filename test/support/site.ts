// The built site, for the browser tests: built into a work dir, served by scripts/serve.js, driven
// through Debian's Chromium (never a downloaded browser).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './run.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);
export const skipReason = `${CHROMIUM} not found (install Debian's chromium package: apt-get install chromium)`;

/**
 * Whether a browser test file runs, skips, or fails for want of a browser. A developer without Chromium
 * gets skips; CI sets MEMLINT_REQUIRE_BROWSER=1, and there a Chromium that is missing or does not start
 * fails the run instead of leaving it green.
 */
export function browserDecision(env: Record<string, string | undefined>, problem: string | null): 'run' | 'skip' | 'fail' {
  if (problem === null) return 'run';
  return /^(?:1|true|yes)$/i.test(env.MEMLINT_REQUIRE_BROWSER ?? '') ? 'fail' : 'skip';
}

let launchCheck: Promise<string | null> | undefined;
/** What keeps Chromium from being used (missing, or it does not start and load a page), or null: checked once per process. */
export function chromiumProblem(): Promise<string | null> {
  return (launchCheck ??= (async () => {
    if (!haveChromium) return skipReason;
    try {
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: launchArgs, timeout: 60_000 });
      try {
        const page = await browser.newPage();
        await page.setContent('<p>ok</p>');
        if ((await page.textContent('p')) !== 'ok') return `${CHROMIUM} started but did not render a page`;
      } finally {
        await browser.close();
      }
      return null;
    } catch (e) {
      return `${CHROMIUM} does not start: ${(e as Error).message.split('\n')[0]}`;
    }
  })());
}

/**
 * Call at the top of a browser test file: true when its tests can run. Without a usable Chromium it
 * warns and returns false (the file's tests skip), or, under MEMLINT_REQUIRE_BROWSER=1, adds a failing
 * test that says why.
 */
export async function browserGate(file: string): Promise<boolean> {
  const problem = await chromiumProblem();
  const decision = browserDecision(process.env, problem);
  if (decision === 'skip') console.warn(`${file} skipped: ${problem}`);
  if (decision === 'fail') {
    const { it } = await import('vitest');
    it(`needs Chromium (MEMLINT_REQUIRE_BROWSER=1): ${problem}`, () => {
      throw new Error(`${file}: ${problem}`);
    });
  }
  return decision === 'run';
}

/**
 * Builds the site into `<work>/dist`. The build gets its own Astro cache directory (through a
 * one-line config that extends site/astro.config.mjs), so it never shares site/node_modules/.astro
 * (data store, incremental-build cache) with another build running at the same time.
 */
export async function buildSite(work: string, env: Record<string, string> = {}): Promise<string> {
  const outDir = path.join(work, 'dist');
  const config = path.join(work, 'astro.config.mjs');
  const siteDir = path.join(repoRoot, 'site');
  writeFileSync(
    config,
    `import config from ${JSON.stringify(pathToFileURL(path.join(siteDir, 'astro.config.mjs')).href)};\n` +
      `export default { ...config, cacheDir: ${JSON.stringify(path.join(work, 'cache'))} };\n`,
  );
  const astro = path.join(siteDir, 'node_modules', 'astro', 'bin', 'astro.mjs');
  // vitest copies its import.meta.env into process.env (NODE_ENV=test, MODE=test, DEV=1, PROD='', SSR=1,
  // BASE_URL, VITEST*). Passed on, they make Astro render the pages as in development: Starlight's search
  // modal then says "only available in production builds". The build gets the environment without them.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(NODE_ENV|MODE|DEV|PROD|SSR|BASE_URL|TEST|VITEST\w*)$/.test(k)));

  // Astro joins --config to the project root, so it is given relative to site/. The build runs in
  // the work dir, with site/ as its root: Astro puts its prerender output (.prerender/) inside the
  // outDir only when the outDir is inside the working directory, else in <cwd>/.astro/, where two
  // builds at once (the browser test files run in parallel) remove each other's files.
  const args = [astro, 'build', '--root', siteDir, '--config', path.relative(siteDir, config), '--outDir', outDir];
  const output = await new Promise<{ code: number | null; text: string }>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: work, env: { ...inherited, NO_COLOR: '1', FORCE_COLOR: '0', ...env } });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d));
    child.stderr.on('data', (d: Buffer) => (text += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, text }));
  });
  if (output.code !== 0 || !existsSync(path.join(outDir, 'index.html'))) {
    throw new Error(`astro build failed (exit ${output.code}):\n${output.text.slice(-4000)}`);
  }
  if (readFileSync(path.join(outDir, 'index.html'), 'utf8').includes('only available in production builds')) {
    throw new Error('astro build rendered the pages in development flavour (check the environment passed to it)');
  }
  return outDir;
}

export type Serve = (root: string, port?: number) => Promise<{ server: Server; url: string }>;
export const loadServe = async (): Promise<Serve> => ((await import(pathToFileURL(path.join(repoRoot, 'scripts', 'serve.js')).href)) as { serve: Serve }).serve;

/** A built site served on a free port, and a Chromium to visit it with; `close` stops both. */
export async function serveSite(dist: string): Promise<{ base: string; browser: Browser; close(): Promise<void> }> {
  const { chromium } = await import('playwright-core');
  const { server, url } = await (await loadServe())(dist, 0);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: launchArgs });
  const close = async () => {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
  };
  return { base: url, browser, close };
}

/** Serious and critical axe-core violations on a page, one line per element, less those `allowed` (markup not ours). */
export async function axeProblems(page: Page, allowed: { id: string; target: RegExp }[] = []): Promise<string[]> {
  await page.addScriptTag({ path: path.join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js') });
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
  })))`)) as { id: string; impact: string | null; help: string; nodes: { target: string; summary: string }[] }[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) =>
      v.nodes
        .filter((n) => !allowed.some((a) => a.id === v.id && a.target.test(n.target)))
        .map((n) => `${v.impact} ${v.id} (${v.help}): ${n.target}\n    ${n.summary.replace(/\n/g, '\n    ')}`),
    );
}

export const launchArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'];

/** Every page of the build: each `index.html` under dist, as its route. */
export function builtPages(dist: string, dir = dist): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'pagefind' || e.name === '_astro' ? [] : builtPages(dist, p);
    return e.name === 'index.html' ? [`/${path.relative(dist, dir).split(path.sep).map(encodeURIComponent).join('/')}/`.replace(/^\/\/$/, '/')] : [];
  });
}

/** `<a href>` values of an HTML document (attribute values unescaped). */
export function hrefs(html: string): string[] {
  return [...html.matchAll(/<a\b[^>]*?\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)].map((m) =>
    (m[1] ?? m[2] ?? m[3] ?? '').replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"'),
  );
}

export interface Crawl {
  /** Every same-origin page reached from `/`, with its status. */
  pages: Map<string, number>;
  /** Links whose target did not answer 200: `from → to (status)`. */
  broken: string[];
}

/** Follows every same-origin `a[href]` from `/` (hashes stripped, /pagefind/ left out), up to `limit` pages. */
export async function crawl(base: string, limit = 400): Promise<Crawl> {
  const origin = new URL(base).origin;
  const pages = new Map<string, number>();
  const broken: string[] = [];
  const queue: { url: string; from: string }[] = [{ url: new URL('/', base).href, from: '(start)' }];
  const queued = new Set([queue[0]!.url]);
  while (queue.length && pages.size < limit) {
    const { url, from } = queue.shift()!;
    const res = await fetch(url, { redirect: 'manual' });
    const body = await res.text();
    pages.set(url, res.status);
    if (res.status !== 200) {
      broken.push(`${from} → ${url} (${res.status})`);
      continue;
    }
    if (!(res.headers.get('content-type') ?? '').startsWith('text/html')) continue;
    for (const href of hrefs(body)) {
      let target: URL;
      try {
        target = new URL(href, url);
      } catch {
        broken.push(`${url} → ${href} (unparsable)`);
        continue;
      }
      if (target.origin !== origin || !/^https?:$/.test(target.protocol)) continue;
      target.hash = '';
      if (target.pathname.startsWith('/pagefind/')) continue;
      if (queued.has(target.href)) continue;
      queued.add(target.href);
      queue.push({ url: target.href, from: url });
    }
  }
  return { pages, broken };
}
