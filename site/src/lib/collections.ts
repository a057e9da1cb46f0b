// The pages' way to the history: Astro's `getCollection`, except in `astro dev`, where memlint's
// loader publishes the history it holds after each save and the pages read that (see
// @memlint/astro/live): a saved log's pages serve their new content and findings without waiting
// for Astro's data store to be saved and imported again. In a build nothing is published, and
// every call is Astro's.
import { getCollection as storeCollection, type CollectionEntry, type CollectionKey } from 'astro:content';
import { isLive, liveEntries, liveEntry } from '@memlint/astro/live';

export async function getCollection<C extends CollectionKey>(
  collection: C,
  filter?: (entry: CollectionEntry<C>) => unknown,
): Promise<CollectionEntry<C>[]> {
  const live = liveEntries(collection) as CollectionEntry<C>[] | null;
  if (live) return filter ? live.filter(filter) : live;
  return filter ? storeCollection(collection, filter) : storeCollection(collection);
}

/**
 * An entry a page got as a prop from getStaticPaths, as the dev server holds it now (Astro keeps the
 * props of a route until its store is saved). In a build, the entry itself.
 */
export function current<C extends CollectionKey, E extends CollectionEntry<C> | undefined>(collection: C, entry: E, id = entry?.id): E {
  if (id === undefined) return entry;
  const live = liveEntry(collection, id);
  // Gone since (a deleted log): the prop, until the route goes with the store.
  return (live ?? entry) as E;
}

/** Whether the pages read the dev server's history (props from getStaticPaths may be older). */
export const live = () => isLive();
