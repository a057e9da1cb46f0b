// The history as `astro dev` holds it now, for the pages to read at request time.
//
// A loader's entries reach a page through Astro's data store: after a save the store waits 500 ms
// for more changes, writes itself to disk whole (22 MB for a 5,000-file tree), and the next request
// imports it again, 4–6 s from the save to the page at that size. In `astro dev` the loader already
// holds the new history in this process a few hundred milliseconds after the save (see DevTree in
// loader.ts), so it publishes it here and a page asks for it before falling back to the store. The
// store is still updated as before: anything reading `getCollection` directly sees the same entries
// once Astro has saved them, and a build never publishes anything (only a loader with a file
// watcher does), so built pages read the store alone.
//
// Pages and the content config may be evaluated as separate module instances (Vite's module runner
// and Astro's content layer), so the registry lives on `globalThis` under a registered symbol.
import type { History } from './schemas.ts';

/** An entry as a page reads it, shaped as Astro's `getCollection` returns one. */
export interface LiveEntry<Data = Record<string, unknown>> {
  id: string;
  collection: string;
  data: Data;
}

/** The Vite dev server's part this module uses: the browser's hot channel. */
interface DevServer {
  environments?: Record<string, { hot?: { send(payload: unknown): void } } | undefined>;
  hot?: { send(payload: unknown): void };
}

interface Published {
  history: History;
  /** Per history key, its entries as Astro collection entries (built on first request after a publish), and an index by id. */
  entries: Map<string, { list: LiveEntry[]; byId: Map<string, LiveEntry> }>;
}

interface Registry {
  /** The published history of each tree (by the loader's key: the tree and its configuration). */
  trees: Map<string, Published>;
  /** Each Astro collection a memlint loader fills in `astro dev`: its tree, and which part of the history it holds. */
  collections: Map<string, { tree: string; key: string }>;
  server: DevServer | null;
}

const KEY = Symbol.for('@memlint/astro:live');

function registry(): Registry {
  const g = globalThis as { [KEY]?: Registry };
  return (g[KEY] ??= { trees: new Map(), collections: new Map(), server: null });
}

/** The loader's side: the tree (its loader's key) has this history now (in `astro dev` only). */
export function publishLive(tree: string, history: History): void {
  registry().trees.set(tree, { history, entries: new Map() });
}

/**
 * The loader's side: the Astro collection `collection` is filled from the tree's history under
 * `key` (`handoffs`, `documents`, …). Only collections registered here are answered: a site's own
 * collection of the same name from another loader is read from the store.
 */
export function registerLive(collection: string, tree: string, key: string): void {
  registry().collections.set(collection, { tree, key });
}

/** The integration's side: the dev server whose browsers are told to reload after a save. */
export function setLiveServer(server: DevServer | null): void {
  registry().server = server;
}

/**
 * Tells the browsers showing the site to load their page again (Vite's full reload), once the
 * history a save changed is published: they get the new page without waiting for Astro's store.
 */
export function reloadBrowsers(): void {
  const server = registry().server;
  const hot = server?.environments?.client?.hot ?? server?.hot;
  try {
    hot?.send({ type: 'full-reload', path: '*' });
  } catch {
    // a closed server: nothing is listening
  }
}

function published(collection: string): { list: LiveEntry[]; byId: Map<string, LiveEntry> } | null {
  const r = registry();
  const source = r.collections.get(collection);
  const tree = source ? r.trees.get(source.tree) : undefined;
  if (!source || !tree) return null;
  let hit = tree.entries.get(source.key);
  if (!hit) {
    const raw = (tree.history as unknown as Record<string, unknown>)[source.key];
    if (!Array.isArray(raw)) return null;
    const list = (raw as ({ id: string } & Record<string, unknown>)[]).map((data) => ({ id: data.id, collection, data }));
    hit = { list, byId: new Map(list.map((e) => [e.id, e])) };
    tree.entries.set(source.key, hit);
  }
  return hit;
}

/**
 * An Astro collection's entries as the dev server holds them now (a new array each call), or
 * null when nothing is published for it (a build, a collection memlint's loader does not fill):
 * the caller then reads Astro's store.
 */
export function liveEntries(collection: string): LiveEntry[] | null {
  const hit = published(collection);
  return hit ? hit.list.slice() : null;
}

/** One entry as the dev server holds it now; undefined when it is gone, null when nothing is published. */
export function liveEntry(collection: string, id: string): LiveEntry | undefined | null {
  const hit = published(collection);
  return hit ? hit.byId.get(id) : null;
}

/** Whether pages read a published history (in `astro dev`, once a memlint loader has run). */
export function isLive(): boolean {
  const r = registry();
  return [...r.collections.values()].some((c) => r.trees.has(c.tree));
}

/** Forgets everything published (tests; a dev server that stops). */
export function clearLive(): void {
  const r = registry();
  r.trees.clear();
  r.collections.clear();
  r.server = null;
}
