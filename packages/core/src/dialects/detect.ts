import { dropFrontmatter, frontmatterData, isYamlMapping, type MemoryDocument } from '../document.ts';
import type { Dialect, DialectId } from './dialect.ts';
import { dialects } from './registry.ts';

/** The dialect whose releases include an APM version string (`.apm/metadata.json`), or null. */
export function dialectForVersion(version: string): DialectId | null {
  for (const d of Object.values(dialects)) if (d.detect?.claimsVersion(version)) return d.id;
  return null;
}

/** The dialect a root's layout suggests most strongly: which folders and files it has. */
export function dialectForLayout(relPaths: readonly string[]): DialectId | null {
  let best: { id: DialectId; score: number } | null = null;
  for (const d of Object.values(dialects)) {
    const score = d.detect?.layoutScore(relPaths) ?? 0;
    if (score > 0 && (!best || score > best.score)) best = { id: d.id, score };
  }
  return best?.id ?? null;
}

/** Each dialect's layout score for a root, highest first (the evidence `--explain-dialect` shows). */
export function layoutScores(relPaths: readonly string[]): { id: DialectId; score: number }[] {
  return Object.values(dialects)
    .map((d) => ({ id: d.id, score: d.detect?.layoutScore(relPaths) ?? 0 }))
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score);
}

/** Sets a document's kind and the ids its path carries, once, as its dialect reads them. */
export function classifyDocument(doc: MemoryDocument, dialect: Dialect): void {
  if (dialect.noFrontmatter && doc.frontmatter && !isYamlMapping(doc.frontmatter)) dropFrontmatter(doc);
  const data = frontmatterData(doc);
  doc.kind = dialect.classify(doc.relPath, Object.keys(data), data);
  doc.ids = dialect.locate?.(doc.relPath, doc.kind) ?? {};
}
