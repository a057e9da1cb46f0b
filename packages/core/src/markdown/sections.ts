import type { MemoryDocument } from '../document.ts';

// Section titles are short: a heading longer than this is none of them.
const LONGEST_TITLE = 64;
const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();
const h2Titles = new WeakMap<MemoryDocument, { aliases: SectionAliases | undefined; titles: Map<string, number> }>();

/** Section headings in another language, or renamed: written heading (normalised) → the format's title (normalised). */
export type SectionAliases = ReadonlyMap<string, string>;

/** `{ "Resumo": "Summary" }` → the normalised map h2Index reads. */
export function sectionAliases(map: Record<string, string> | undefined): SectionAliases {
  return new Map(Object.entries(map ?? {}).map(([written, title]) => [norm(written), norm(title)]));
}

/**
 * Index of the first `##` heading with this text (or one the aliases map to it), or -1; each
 * heading is normalised once per document.
 */
export function h2Index(doc: MemoryDocument, title: string, aliases?: SectionAliases): number {
  let cached = h2Titles.get(doc);
  if (!cached || cached.aliases !== aliases) {
    const titles = new Map<string, number>();
    cached = { aliases, titles };
    for (const [i, s] of doc.sections.entries()) {
      // Lower-casing never shortens a text: a heading longer than every title is none of them.
      if (s.heading.depth !== 2 || s.heading.text.length > LONGEST_TITLE) continue;
      const written = norm(s.heading.text);
      const key = aliases?.get(written) ?? written;
      if (!titles.has(key)) titles.set(key, i);
    }
    h2Titles.set(doc, cached);
  }
  return cached.titles.get(norm(title)) ?? -1;
}
