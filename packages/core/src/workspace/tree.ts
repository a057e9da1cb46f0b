import { statSync } from 'node:fs';
import path from 'node:path';
import { classifyDocument } from '../dialects/detect.ts';
import { getDialect } from '../dialects/registry.ts';
import { discover, InputError, listFiles, loadRoot, memoryRootOf, readDocument, type LoadOptions } from './load.ts';
import { buildWorkspace, type Workspace } from './workspace.ts';

/**
 * The one memory tree a path names, for a host that lays out or checks one artifact: the memory
 * root the path is in, else the one root below it (the outermost, when roots nest), else the
 * folder's markdown read as aops session files. Several roots side by side are an InputError
 * naming them.
 */
export function loadTreeAt(target: string, options: LoadOptions = {}): Workspace {
  const abs = path.resolve(target);
  const inside = memoryRootOf(abs);
  if (inside) return loadRoot(inside, options);
  const stat = statSync(abs, { throwIfNoEntry: false });
  if (!stat) throw new InputError('no such file or directory', target);
  if (!stat.isDirectory()) throw new InputError('not a directory, nor a file inside a memory tree', target);
  const roots = [...discover([abs]).roots.keys()];
  const outer = roots.filter((r) => !roots.some((o) => o !== r && r.startsWith(`${o}${path.sep}`)));
  if (outer.length > 1) throw new InputError(`holds several memory trees (${outer.map((r) => path.relative(abs, r)).join(', ')}): name one`, target);
  if (outer.length === 1) return loadRoot(outer[0]!, options);
  return loadAopsFolder(abs, options);
}

/** A folder's markdown files as aops session files, their paths relative to it. */
export function loadAopsFolder(dir: string, options: LoadOptions = {}): Workspace {
  const files = listFiles(dir).filter((f) => /\.(?:md|markdown)$/i.test(f));
  const rel = (f: string) => path.relative(dir, f).split(path.sep).join('/');
  const dialect = getDialect('aops');
  const documents = files.map((f) => readDocument(f, rel(f), options));
  for (const d of documents) classifyDocument(d, dialect);
  return buildWorkspace({ dir, dialect, dialectSource: 'none', version: null }, documents, files.map(rel));
}
