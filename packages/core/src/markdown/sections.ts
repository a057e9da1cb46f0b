import type { MemoryDocument } from '../document.ts';

// Section titles are short: a heading longer than this is none of them.
const LONGEST_TITLE = 64;
const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();
const h2Titles = new WeakMap<MemoryDocument, Map<string, number>>();

/** Index of the first `##` heading with this text, or -1 (each heading normalised once per document). */
export function h2Index(doc: MemoryDocument, title: string): number {
  let titles = h2Titles.get(doc);
  if (!titles) {
    titles = new Map();
    for (const [i, s] of doc.sections.entries()) {
      // Lower-casing never shortens a text: a heading longer than every title is none of them.
      if (s.heading.depth !== 2 || s.heading.text.length > LONGEST_TITLE) continue;
      const key = norm(s.heading.text);
      if (!titles.has(key)) titles.set(key, i);
    }
    h2Titles.set(doc, titles);
  }
  return titles.get(norm(title)) ?? -1;
}
