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
  logger: { info(message: string): void };
}

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
      const history = historyOf(memory, options.config);
      const entries = history[collection] as unknown as ({ id: string } & Record<string, unknown>)[];
      const seen = new Set<string>();
      for (const entry of entries) {
        seen.add(entry.id);
        // A document's HTML lives once, in its data (pages insert it; Astro renders nothing itself).
        context.store.set({ id: entry.id, data: entry, digest: context.generateDigest(entry) });
      }
      for (const id of context.store.keys()) if (!seen.has(id)) context.store.delete(id);
      context.logger.info(`${entries.length} ${collection} from ${path.relative(process.cwd(), memory) || '.'}`);
    },
  };
}
