import { getCollection } from 'astro:content';

/** Every entry of a collection, by id. */
export async function byId<C extends 'documents' | 'handoffs' | 'tasks' | 'agents' | 'stages'>(collection: C) {
  const entries = await getCollection(collection);
  return new Map(entries.map((e) => [e.id, e]));
}

export const statusClass = (status: string) =>
  status === 'Success' ? 'ml-ok' : status === 'Failed' || status === 'Blocked' ? 'ml-error' : status === 'Partial' ? 'ml-warning' : 'ml-muted';

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
