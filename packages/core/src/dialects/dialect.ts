import type { ZodObject } from 'zod';
import type { DocumentKind } from '../document.ts';

export const dialectIds = ['apm-stage', 'apm-v1', 'apm-phase', 'apm-v03', 'aops', 'unknown'] as const;
export type DialectId = (typeof dialectIds)[number];

/** One version of one family's format: which kind a path is, and each kind's frontmatter schema. */
export interface Dialect {
  id: DialectId;
  family: 'apm' | 'aops';
  label: string;
  /** The releases that wrote this format. */
  versions: string;
  /** Whether memlint has this dialect's format rules yet. */
  rulesAvailable: boolean;
  /** The kind of a file from its path inside the root (and its frontmatter keys when the path says nothing). */
  classify(relPath: string, frontmatterKeys: readonly string[], frontmatter?: Record<string, unknown>): DocumentKind;
  schemas: Partial<Record<DocumentKind, ZodObject>>;
  /** Kinds that must open with frontmatter. */
  frontmatterRequired: readonly DocumentKind[];
}

/** How a memory root's dialect was decided. */
export type DialectSource = 'option' | 'metadata' | 'layout' | 'none';

/**
 * Maps an APM version string (`.apm/metadata.json`) to its dialect.
 * v1.0.0-test-1..7 wrote the Stage era; test-8 and later the kebab-case v1 layout.
 */
export function dialectForVersion(version: string): DialectId | null {
  const v = version.trim().replace(/^v/i, '');
  const test = /^1\.0\.0-test-(\d+)/.exec(v);
  if (test) return Number(test[1]) <= 7 ? 'apm-stage' : 'apm-v1';
  if (/^1\./.test(v)) return 'apm-v1';
  if (/^0\.[4-6]/.test(v)) return 'apm-phase';
  if (/^0\.[0-3]/.test(v)) return 'apm-v03';
  return null;
}

/** The dialect a root's layout suggests: which directories and files it has. */
export function dialectForLayout(relPaths: readonly string[]): DialectId | null {
  const score = { 'apm-stage': 0, 'apm-v1': 0, 'apm-phase': 0, 'apm-v03': 0 };
  for (const p of relPaths) {
    if (/^Memory\/Stage_\d+/.test(p) || /^Memory\/Handoffs\//.test(p) || p === 'Specifications.md') score['apm-stage'] += 1;
    if (/^memory\/stage-\d+\//.test(p) || /^memory\/handoffs\//.test(p) || p === 'tracker.md' || p === 'memory/index.md') score['apm-v1'] += 1;
    if (/^Memory\/Phase_\d+/.test(p) || /^Memory\/Handovers\//.test(p)) score['apm-phase'] += 1;
    if (/(^|\/)Memory_Bank\.md$/.test(p)) score['apm-v03'] += 1;
  }
  const best = (Object.entries(score) as [DialectId, number][]).sort((a, b) => b[1] - a[1])[0]!;
  return best[1] > 0 ? best[0] : null;
}
