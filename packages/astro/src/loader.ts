import { statSync } from 'node:fs';
import path from 'node:path';
import { listFiles, type LintConfig } from '@memlint/core';
import { buildHistory } from './history.ts';
import { collectionSchemas, type CollectionName, type History } from './schemas.ts';

export interface MemlintLoaderOptions {
  /** The memory tree: a directory holding `.apm/` trees and/or aops files. Default: $MEMLINT_MEMORY. */
  memory?: string;
  /** Lint configuration (rules, reflection profile, dump signals). */
  config?: LintConfig;
}

/** The minimal shape of Astro's loader context this loader uses. */
interface LoaderContext {
  store: {
    set(entry: { id: string; data: Record<string, unknown>; digest?: string }): boolean;
    delete(id: string): void;
    keys(): string[];
  };
  generateDigest(data: Record<string, unknown> | string): string;
  logger: { info(message: string): void; error?(message: string): void };
  /** In `astro dev` only: Vite's file watcher (chokidar). */
  watcher?: {
    add(paths: string | string[]): unknown;
    on(event: 'add' | 'change' | 'unlink', listener: (file: string) => void): unknown;
  };
}

/** How long a burst of file events is gathered before the history is built again (an editor's save is several). */
const DEV_SETTLE_MS = 60;

export function resolveMemory(option?: string): string {
  const memory = option ?? process.env.MEMLINT_MEMORY;
  if (!memory) throw new Error('@memlint/astro: no memory tree: set MEMLINT_MEMORY or the loader option `memory`');
  return path.resolve(memory);
}

/** A fingerprint of the tree on disk (paths, sizes, times): one build reads and lints it once. */
function fingerprint(dir: string): string {
  return listFiles(dir)
    .map((p) => {
      const s = statSync(p);
      return `${p}:${s.size}:${s.mtimeMs}`;
    })
    .sort()
    .join('\n');
}

const cache = new Map<string, { key: string; history: History }>();

/** The history of a tree, built once per state of the tree on disk. */
export function historyOf(memory: string, config: LintConfig = {}): History {
  const key = `${fingerprint(memory)}\n${JSON.stringify(config)}`;
  const hit = cache.get(memory);
  if (hit && hit.key === key) return hit.history;
  const history = buildHistory(memory, { config });
  cache.set(memory, { key, history });
  return history;
}

/**
 * An Astro content loader for one collection of a memory tree's history:
 * `defineCollection({ loader: memlintLoader('handoffs') })`. Entries whose data did not change
 * keep their digest, so Astro's data store skips them on a rebuild.
 */
export function memlintLoader(collection: CollectionName, options: MemlintLoaderOptions = {}) {
  return {
    name: `memlint-${collection}`,
    schema: collectionSchemas[collection],
    async load(context: LoaderContext) {
      const memory = resolveMemory(options.memory);
      const fill = () => {
        const history = historyOf(memory, options.config);
        const entries = history[collection] as unknown as ({ id: string } & Record<string, unknown>)[];
        const seen = new Set<string>();
        let changed = 0;
        for (const entry of entries) {
          seen.add(entry.id);
          // A document's HTML lives once, in its data (pages insert it; Astro renders nothing itself).
          // `set` is false for an entry whose digest did not change: nothing to re-render.
          if (context.store.set({ id: entry.id, data: entry, digest: context.generateDigest(entry) })) changed++;
        }
        for (const id of context.store.keys()) if (!seen.has(id)) (context.store.delete(id), changed++);
        return { count: entries.length, changed };
      };
      const { count } = fill();
      context.logger.info(`${count} ${collection} from ${path.relative(process.cwd(), memory) || '.'}`);
      // In `astro dev`: a saved log updates the entries it changed (its document, its findings, and
      // what other files' cross-file findings and the history say about it), and the pages showing
      // them are served anew without a restart. The whole history is built again (cross-file
      // findings depend on the tree), once per burst of saves and once for all collections
      // (historyOf keeps it per state of the tree on disk).
      if (!context.watcher) return;
      const watcher = context.watcher;
      watcher.add(memory);
      let timer: NodeJS.Timeout | null = null;
      const onEvent = (file: string) => {
        const rel = path.relative(memory, path.resolve(file));
        if (rel.startsWith('..') || path.isAbsolute(rel) || rel.split(path.sep).includes('node_modules')) return;
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => {
          timer = null;
          try {
            const { changed } = fill();
            if (changed > 0) context.logger.info(`${collection}: ${changed} entr${changed === 1 ? 'y' : 'ies'} updated after a change in ${path.relative(memory, file) || file}`);
          } catch (error) {
            (context.logger.error ?? context.logger.info)(`${collection}: could not read the memory tree again: ${(error as Error).message}`);
          }
        }, DEV_SETTLE_MS);
      };
      for (const event of ['add', 'change', 'unlink'] as const) watcher.on(event, onEvent);
    },
  };
}
