import { statSync } from 'node:fs';
import path from 'node:path';
import { documentMemo, listFiles, loadPaths, updateWorkspace, type FindingMemo, type LintConfig, type LoadResult } from '@memlint/core';
import { buildHistory } from './history.ts';
import { publishLive, registerLive, reloadBrowsers } from './live.ts';
import { collectionSchemas, type CollectionName, type History } from './schemas.ts';

export interface MemlintLoaderOptions {
  /** The memory tree: a directory holding `.apm/` trees and/or aops files. Default: $MEMLINT_MEMORY. */
  memory?: string;
  /** Lint configuration (rules, reflection profile, dump signals). */
  config?: LintConfig;
  /**
   * In `astro dev`: how long the tree must stay unchanged after a save before the save's entries go
   * into Astro's data store (default $MEMLINT_DEV_STORE_DELAY_MS, else 2000 ms; pages reading through
   * `@memlint/astro/live` see a save at once). Entries that come or go update the store at once:
   * the routes depend on it.
   */
  devStoreDelayMs?: number;
}

/** The minimal shape of Astro's loader context this loader uses. */
interface LoaderContext {
  /** The Astro collection being loaded (its name in content.config). */
  collection?: string;
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

/**
 * How long the tree stays unchanged before a save's entries go into Astro's data store. The store is
 * saved whole and imported whole again by the next request (a 25 MB module for 5,000 files: the
 * server does nothing else for 2–3 s), so saving it after every save of a burst would put that
 * stall in front of the next save's page. Pages read the published history in the meantime.
 */
const DEV_STORE_DELAY_MS = 2000;

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
 * The tree as `astro dev` keeps it between saves: loaded once, then each changed log read again
 * (core's updateWorkspace) and the history built from the documents in memory, the findings of
 * unchanged documents from the memo, the HTML of unchanged files from the render cache. A file
 * that comes or goes, or a change outside the markdown (metadata.json), loads the tree again.
 * One per tree and configuration, shared by the collections: a save is read, linted and rendered
 * once, and every collection's entries are updated in the same turn.
 */
interface DevTree {
  /** The tree and its configuration: the key of its published history (live.ts). */
  key: string;
  memory: string;
  config: LintConfig;
  loaded: Pick<LoadResult, 'roots' | 'loose'>;
  memo: FindingMemo;
  renderCache: Map<string, string>;
  history: History;
  /** Each collection's way of putting the history into its store (the latest load's, by collection). */
  fills: Map<string, (history: History, file: string) => void>;
  /** The watcher the listeners are on (a restarted dev server brings another). */
  watcher: unknown;
  changed: Map<string, 'add' | 'change' | 'unlink'>;
  timer: NodeJS.Timeout | null;
  /** The store's update waiting for the tree to stay unchanged, and how long it waits. */
  storeTimer: NodeJS.Timeout | null;
  storeDelayMs: number;
  /** The files changed since the store was last filled (for the log line). */
  pendingFiles: Set<string>;
}

const devTrees = new Map<string, DevTree>();

function devTree(memory: string, config: LintConfig, history: History, storeDelayMs: number): DevTree {
  const key = `${memory}\u0000${JSON.stringify(config)}`;
  let tree = devTrees.get(key);
  if (!tree) {
    const loaded = loadPaths([memory]);
    const memo = documentMemo();
    const renderCache = new Map<string, string>();
    tree = { key, memory, config, loaded, memo, renderCache, history, fills: new Map(), watcher: null, changed: new Map(), timer: null, storeTimer: null, storeDelayMs, pendingFiles: new Set() };
    // The first build from the loaded tree fills the memo and the render cache.
    tree.history = buildHistory(memory, { config, loaded, memo, renderCache });
    devTrees.set(key, tree);
    // Pages read this history at request time (live.ts), not only through Astro's data store.
    publishLive(key, tree.history);
  }
  return tree;
}

/**
 * Whether two histories hold the same entries (by id) in every collection that pages are
 * made of: the same routes. Findings come and go with most edits, and are listed, not paged.
 */
function sameIds(a: History, b: History): boolean {
  for (const key of Object.keys(a) as (keyof History)[]) {
    if (key === 'findings') continue;
    const x = a[key] as unknown as { id: string }[];
    const y = b[key] as unknown as { id: string }[];
    if (!Array.isArray(x) || !Array.isArray(y)) continue;
    if (x.length !== y.length) return false;
    // The same ids, in any order (a document read again may come last).
    const ids = new Set(x.map((e) => e.id));
    if (y.some((e) => !ids.has(e.id))) return false;
  }
  return true;
}

/** Takes the gathered file events into the tree and builds its history again. */
function refresh(tree: DevTree): void {
  const events = [...tree.changed];
  tree.changed.clear();
  const isMarkdownFile = (f: string) => /\.(md|markdown)$/i.test(f);
  let reload = events.some(([file, kind]) => kind !== 'change' || !isMarkdownFile(file));
  if (!reload) {
    const roots = [...tree.loaded.roots];
    let loose = tree.loaded.loose;
    for (const [file] of events) {
      const i = roots.findIndex((r) => !r.workspace.root.loose && file.startsWith(`${r.workspace.root.dir}${path.sep}`) && r.workspace.documents.some((d) => d.path === file));
      if (i !== -1) {
        const root = roots[i]!;
        const workspace = updateWorkspace(root.workspace, [file]);
        roots[i] = { ...root, workspace, targets: new Set(workspace.documents) };
      } else if (loose && loose.workspace.documents.some((d) => d.path === file)) {
        const workspace = updateWorkspace(loose.workspace, [file]);
        loose = { ...loose, workspace, targets: new Set(workspace.documents) };
      } else {
        reload = true;
        break;
      }
    }
    if (!reload) tree.loaded = { roots, loose };
  }
  if (reload) {
    tree.loaded = loadPaths([tree.memory]);
    tree.memo = documentMemo();
    tree.renderCache.clear();
  }
  const previous = tree.history;
  tree.history = buildHistory(tree.memory, { config: tree.config, loaded: tree.loaded, memo: tree.memo, renderCache: tree.renderCache });
  // The next request reads the new history (live.ts); Astro's store gets the same entries, and
  // saves them when its debounce ends.
  publishLive(tree.key, tree.history);
  const file = events.map(([f]) => path.relative(tree.memory, f)).join(', ');
  tree.pendingFiles.add(file);
  if (tree.storeTimer) clearTimeout(tree.storeTimer);
  tree.storeTimer = null;
  // Entries that came or went (a file added or removed, or an edit that names another agent or
  // task) change the routes, which Astro takes from the store: the store at once, and Astro
  // reloads the browsers once it has saved it. Otherwise the browsers reload now and the store
  // follows when the tree has stayed unchanged.
  if (reload || tree.storeDelayMs <= 0 || !sameIds(previous, tree.history)) fillStores(tree);
  else {
    reloadBrowsers();
    tree.storeTimer = setTimeout(() => fillStores(tree), tree.storeDelayMs);
  }
}

/** Puts the tree's current history into every collection's store (Astro saves and reloads it). */
function fillStores(tree: DevTree): void {
  if (tree.storeTimer) clearTimeout(tree.storeTimer);
  tree.storeTimer = null;
  const files = [...tree.pendingFiles].join(', ');
  tree.pendingFiles.clear();
  for (const fill of tree.fills.values()) fill(tree.history, files);
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
      const fill = (history: History) => {
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
      const history = historyOf(memory, options.config);
      const { count } = fill(history);
      context.logger.info(`${count} ${collection} from ${path.relative(process.cwd(), memory) || '.'}`);
      // In `astro dev`: a saved log updates the entries it changed (its document, its findings, and
      // what other files' cross-file findings and the history say about it), and the pages showing
      // them are served anew without a restart (see DevTree: the tree is read, linted and rendered
      // again only as far as the save changed it, once for all collections).
      if (!context.watcher) return;
      const watcher = context.watcher;
      const delay = options.devStoreDelayMs ?? (Number(process.env.MEMLINT_DEV_STORE_DELAY_MS) || DEV_STORE_DELAY_MS);
      const tree = devTree(memory, options.config ?? {}, history, delay);
      if (tree.watcher !== watcher) {
        tree.watcher = watcher;
        watcher.add(memory);
        const onEvent = (kind: 'add' | 'change' | 'unlink') => (file: string) => {
          const absolute = path.resolve(file);
          const rel = path.relative(memory, absolute);
          if (rel.startsWith('..') || path.isAbsolute(rel) || rel.split(path.sep).includes('node_modules')) return;
          // An editor's swap, backup and probe files (`.x.md.swp`, `x.md~`, vim's `4913`) are not the tree's.
          if (!/\.(md|markdown|json)$/i.test(absolute) || path.basename(absolute).startsWith('.')) return;
          tree.changed.set(absolute, tree.changed.get(absolute) === 'add' && kind === 'change' ? 'add' : kind);
          if (tree.timer) clearTimeout(tree.timer);
          tree.timer = setTimeout(() => {
            tree.timer = null;
            try {
              refresh(tree);
            } catch (error) {
              (context.logger.error ?? context.logger.info)(`could not read the memory tree again: ${(error as Error).message}`);
            }
          }, DEV_SETTLE_MS);
        };
        for (const kind of ['add', 'change', 'unlink'] as const) watcher.on(kind, onEvent(kind));
      }
      registerLive(context.collection ?? collection, tree.key, collection);
      tree.fills.set(collection, (next, file) => {
        try {
          const { changed } = fill(next);
          if (changed > 0) context.logger.info(`${collection}: ${changed} entr${changed === 1 ? 'y' : 'ies'} updated after a change in ${file}`);
        } catch (error) {
          (context.logger.error ?? context.logger.info)(`could not update the ${collection} collection: ${(error as Error).message}`);
        }
      });
      // This collection's entries as the tree is now (a save may have come while it loaded).
      if (tree.history !== history) fill(tree.history);
    },
  };
}
