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
import path from 'node:path';
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
  /** Per collection, its entries (built on first request after a publish), and an index by id. */
  entries: Map<string, { list: LiveEntry[]; byId: Map<string, LiveEntry> }>;
}

interface Registry {
  trees: Map<string, Published>;
  server: DevServer | null;
}

const KEY = Symbol.for('@memlint/astro:live');

function registry(): Registry {
  const g = globalThis as { [KEY]?: Registry };
  return (g[KEY] ??= { trees: new Map(), server: null });
}

/** The loader's side: the tree at `memory` has this history now (in `astro dev` only). */
export function publishLive(memory: string, history: History): void {
  registry().trees.set(path.resolve(memory), { history, entries: new Map() });
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

function collectionOf(published: Published, collection: string): { list: LiveEntry[]; byId: Map<string, LiveEntry> } | null {
  let hit = published.entries.get(collection);
  if (!hit) {
    const raw = (published.history as unknown as Record<string, unknown>)[collection];
    if (!Array.isArray(raw)) return null;
    const list = (raw as ({ id: string } & Record<string, unknown>)[]).map((data) => ({ id: data.id, collection, data }));
    hit = { list, byId: new Map(list.map((e) => [e.id, e])) };
    published.entries.set(collection, hit);
  }
  return hit;
}

function publishedTree(memory?: string): Published | null {
  const trees = registry().trees;
  if (trees.size === 0) return null;
  const dir = memory ?? process.env.MEMLINT_MEMORY;
  if (dir) return trees.get(path.resolve(dir)) ?? null;
  // No tree named: the only one published, if there is only one.
  return trees.size === 1 ? [...trees.values()][0]! : null;
}

/**
 * A collection's entries as the dev server holds them now, or null when nothing is published
 * (a build, an unknown collection, another tree): the caller then reads Astro's store.
 */
export function liveEntries(collection: string, memory?: string): LiveEntry[] | null {
  const published = publishedTree(memory);
  return published ? (collectionOf(published, collection)?.list ?? null) : null;
}

/** One entry as the dev server holds it now; undefined when it is gone, null when nothing is published. */
export function liveEntry(collection: string, id: string, memory?: string): LiveEntry | undefined | null {
  const published = publishedTree(memory);
  if (!published) return null;
  const hit = collectionOf(published, collection);
  return hit ? hit.byId.get(id) : null;
}

/** Whether pages are reading a published history (in `astro dev`, once the loader has run). */
export function isLive(memory?: string): boolean {
  return publishedTree(memory) !== null;
}

/** Forgets everything published (tests; a dev server that stops). */
export function clearLive(): void {
  const r = registry();
  r.trees.clear();
  r.server = null;
}
