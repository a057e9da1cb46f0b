// A built site served on a free port with a Chromium to look at it: the set-up a browser test file
// makes once in beforeAll, and takes down in afterAll.
import { rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { chromium, type Browser } from 'playwright-core';
import { buildSite, CHROMIUM, launchArgs, loadServe } from './site.ts';

export interface ServedSite {
  /** The server's URL (`http://127.0.0.1:<port>`). */
  base: string;
  dist: string;
  browser: Browser;
  /** Closes the browser and the server and removes the work directory. */
  stop(): Promise<void>;
}

/** Builds the site into `work` (MEMLINT_MEMORY and the like in `env`), serves it and starts Chromium. */
export async function serveBuiltSite(work: string, env: Record<string, string> = {}): Promise<ServedSite> {
  const dist = await buildSite(work, env);
  const { server, url } = await (await loadServe())(dist, 0);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: launchArgs });
  return {
    base: url,
    dist,
    browser,
    async stop() {
      await browser.close();
      await new Promise((resolve) => (server as Server).close(resolve));
      rmSync(work, { recursive: true, force: true });
    },
  };
}
