// `memlint --cache`: where the cache lives, what it is keyed by, and linting a root through it.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  allRules,
  cacheKey,
  cachedDigest,
  lintWorkspace,
  LintCache,
  readStamp,
  rootFingerprint,
  type Diagnostic,
  type LintConfig,
  type LoadedRoot,
  type MemoryDocument,
} from '@memlint/core';

/** The cache file: `--cache-location` (a file, or a directory for `cache.v8`), else under node_modules/.cache/memlint/. */
export function cacheFile(location: string | undefined, cwd: string): string {
  if (location === undefined) return path.join(cwd, 'node_modules', '.cache', 'memlint', 'cache.v8');
  const resolved = path.resolve(cwd, location);
  let isDir = /[\\/]$/.test(location);
  try {
    isDir ||= statSync(resolved).isDirectory();
  } catch {
    // not there yet: a file of that name
  }
  return isDir ? path.join(resolved, 'cache.v8') : resolved;
}

/**
 * What identifies the code that made a cache: the package version, and the built bundle's (or,
 * run from the sources, every source file's) size and time, so a changed memlint drops the cache
 * even without a version bump.
 */
function buildStamp(): string {
  const self = fileURLToPath(import.meta.url);
  const stamp = (file: string) => {
    try {
      const s = statSync(file);
      return `${s.size}:${s.mtimeMs}`;
    } catch {
      return '-';
    }
  };
  if (!self.endsWith('.ts')) return stamp(self);
  const parts: string[] = [];
  const packages = path.resolve(path.dirname(self), '..', '..');
  for (const pkg of ['core', 'cli']) {
    const dir = path.join(packages, pkg, 'src');
    let names: string[] = [];
    try {
      names = readdirSync(dir, { recursive: true }) as string[];
    } catch {
      continue;
    }
    for (const name of names.sort()) if (name.endsWith('.ts')) parts.push(`${pkg}/${name}=${stamp(path.join(dir, name))}`);
  }
  return parts.join(',');
}

export function openCache(options: { location: string | undefined; cwd: string; version: string; config: LintConfig; dialect?: string; maxFileSize?: number }): LintCache {
  const key = cacheKey({
    version: `${options.version}+${buildStamp()}`,
    config: options.config,
    dialect: options.dialect,
    maxFileSize: options.maxFileSize,
    rules: allRules.map((r) => r.meta.id),
  });
  return new LintCache(cacheFile(options.location, options.cwd), key).load();
}

/** What a document contributes to its root's fingerprint: its bytes' digest, or why it could not be read. */
function digestOf(doc: MemoryDocument): string {
  return readStamp(doc)?.sha256 ?? cachedDigest(doc) ?? `!${JSON.stringify(doc.problem)}`;
}

/**
 * Lints one root: the stored findings when nothing in it changed since they were stored, else the
 * rules over its documents (restored from the cache or parsed), and the findings stored.
 */
export function lintRoot(root: LoadedRoot, config: LintConfig, cache: LintCache | null): Map<MemoryDocument, Diagnostic[]> {
  const ws = root.workspace;
  if (root.cached) return root.cached;
  if (!cache) return lintWorkspace(ws, config, root.targets);
  const fingerprint = rootFingerprint({
    dialect: ws.root.dialect.id,
    version: ws.root.version,
    paths: ws.paths,
    digests: ws.documents.map((d) => [d.relPath, digestOf(d)] as [string, string]),
  });
  const targets = [...root.targets];
  const stored = cache.findings(ws.root.dir, fingerprint, targets.map((d) => d.path), root.signature ?? null);
  if (stored) return new Map(targets.map((d) => [d, stored.get(d.path)!]));
  const result = lintWorkspace(ws, config, root.targets, allRules, cache.memoFor(`${ws.root.dialect.id}\0${ws.root.version ?? ''}`, (d) => (d.problem ? undefined : digestOf(d))));
  cache.store(ws.root.dir, fingerprint, new Map([...result].map(([d, list]) => [d.path, list])), root.signature ?? null);
  return result;
}
