// An Astro integration for sites of thousands of pages: the previous build's output is moved aside
// and deleted in the background while the build runs, instead of being deleted before it starts.
//
// Astro empties the output directory (Vite's emptyOutDir) synchronously before it builds the
// entrypoints. The site's output for a 5,000-file tree is ~10,000 files in ~5,000 folders (a page
// per log, Pagefind's fragments), and on a slow filesystem unlinking them takes tens of seconds with
// the CPU idle: a warm rebuild sat 16–50 s between "Collecting build info" and "Building static
// entrypoints". Renaming the folder is one system call; its removal then overlaps with rendering,
// which is CPU-bound, and is awaited before the build ends so nothing is left behind. Incremental
// builds restore unchanged pages from Astro's cache directory, not from the old output, so nothing
// they need is moved away. A folder left by a killed build (`<outDir>.stale-<pid>`) is removed at
// the next build.
import { existsSync, readdirSync, renameSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setLiveServer } from './live.ts';

interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

/** The hooks of the integration, typed as far as they are used (Astro's own types stay optional). */
export interface OutDirAside {
  name: string;
  hooks: {
    'astro:config:done': (options: { config: { outDir: URL } }) => void;
    'astro:build:start': (options: { logger: Logger }) => void;
    'astro:build:done': (options: { logger: Logger }) => Promise<void>;
  };
}

const STALE = /\.stale-\d+$/;

export function outDirAside(): OutDirAside {
  let outDir: string | null = null;
  let removing: Promise<unknown> | null = null;
  return {
    name: 'memlint:out-dir-aside',
    hooks: {
      'astro:config:done': ({ config }) => {
        // A folder URL ends in a slash: without it, the name can be given a suffix.
        outDir = path.resolve(fileURLToPath(config.outDir));
      },
      'astro:build:start': ({ logger }) => {
        if (!outDir) return;
        const parent = path.dirname(outDir);
        const base = path.basename(outDir);
        const stale: string[] = [];
        try {
          for (const name of readdirSync(parent)) if (name.startsWith(`${base}.stale-`) && STALE.test(name)) stale.push(path.join(parent, name));
        } catch {
          // no parent folder yet: nothing to move
        }
        if (existsSync(outDir)) {
          const aside = `${outDir}.stale-${process.pid}`;
          try {
            renameSync(outDir, aside);
            stale.push(aside);
          } catch (error) {
            // Another filesystem, a permission: Astro empties it as it always does.
            logger.warn(`could not move the previous output aside (${(error as Error).message}); Astro empties it`);
          }
        }
        if (stale.length > 0) removing = Promise.all(stale.map((dir) => rm(dir, { recursive: true, force: true, maxRetries: 2 })));
      },
      'astro:build:done': async ({ logger }) => {
        if (!removing) return;
        const started = performance.now();
        try {
          await removing;
        } catch (error) {
          logger.warn(`could not remove the previous output: ${(error as Error).message}`);
        }
        const waited = performance.now() - started;
        if (waited > 100) logger.info(`waited ${Math.round(waited)} ms for the previous output to be removed`);
        removing = null;
      },
    },
  };
}

/** The dev server's part the dev integration uses (Vite's ViteDevServer, typed as far as used). */
type DevServer = NonNullable<Parameters<typeof setLiveServer>[0]> & {
  watcher?: { on(event: 'change' | 'add', listener: (file: string) => void): unknown };
  /** Vite's URLs of the server (without Astro's base). */
  resolvedUrls?: { local: string[] } | null;
};

/** The hooks of the dev integration, typed as far as they are used. */
export interface MemlintDev {
  name: string;
  hooks: {
    'astro:config:done': (options: { config: { root: URL; base?: string } }) => void;
    'astro:server:setup': (options: { server: DevServer; logger: Logger & { debug?(message: string): void } }) => void;
    'astro:server:done': () => void;
  };
}

/**
 * In `astro dev`, for a memory tree of thousands of files:
 *
 * - once a save's history is published (live.ts), the browsers showing the site load their page
 *   again, instead of waiting for Astro's data store to be saved and imported again;
 * - when Astro has saved its data store (after the loader's delayed update), the server loads it
 *   again at once with one request of its own, while the tree is quiet: otherwise the first request
 *   after the next save would wait for that import (2–3 s for 5,000 files).
 */
export function memlintDev(): MemlintDev {
  let storeFile: string | null = null;
  let base = '/';
  let timer: NodeJS.Timeout | null = null;
  return {
    name: 'memlint:dev',
    hooks: {
      'astro:config:done': ({ config }) => {
        storeFile = path.join(fileURLToPath(config.root), '.astro', 'data-store.json');
        base = config.base ?? '/';
      },
      'astro:server:setup': ({ server, logger }) => {
        setLiveServer(server);
        const onFile = (file: string) => {
          if (!storeFile || path.resolve(file) !== storeFile) return;
          if (timer) clearTimeout(timer);
          timer = setTimeout(() => {
            timer = null;
            const local = server.resolvedUrls?.local[0];
            if (!local) return;
            // The site's root page (under Astro's base, which Vite's URLs leave out).
            const url = new URL(base.startsWith('/') ? base : `/${base}`, local);
            const started = performance.now();
            fetch(url, { headers: { 'x-memlint': 'reload-store' } })
              .then(async (response) => {
                await response.arrayBuffer();
                const ms = Math.round(performance.now() - started);
                if (response.ok) logger.info(`data store loaded again in ${ms} ms (the site's root requested after Astro saved it)`);
                else (logger.debug ?? logger.info)(`could not load the data store again: ${url.pathname} answered ${response.status}`);
              })
              .catch((error: Error) => (logger.debug ?? (() => {}))(`could not load the data store again: ${error.message}`));
          }, 50);
        };
        server.watcher?.on('change', onFile);
        server.watcher?.on('add', onFile);
      },
      'astro:server:done': () => {
        if (timer) clearTimeout(timer);
        setLiveServer(null);
      },
    },
  };
}
