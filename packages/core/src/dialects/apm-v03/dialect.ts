import type { Dialect } from '../dialect.ts';
import { buildV03Index } from './index.ts';
import { classifyV03Path } from './paths.ts';
import { v03Skeleton } from './skeleton.ts';

// What only a v0.3 tree has: the single Memory Bank at the top, the multi-file bank's README, the Handover File, `_Log.md` task logs.
const V03_MARKER = /^(?:Memory_Bank\.md|Memory\/README\.md|Handover_File\.md|Handover_Prompt\.md)$/i;
const PHASE_PATH = /^Memory\/Phase_?\d+/;
const V03_LOG = /^Memory\/Phase_?\d+[^/]*\/Task_[^/]*_Log\.md$/i;
// The Phase era's own files: with these, `Memory/Phase_…` folders are that era's.
const PHASE_ERA = /^Memory\/(?:Memory_Root\.md|Handovers(?:\/|$))/;

/**
 * How strongly a root's paths say v0.3. A `Memory/Phase_N_…` folder is the Phase era's too; next
 * to a top-level `Memory_Bank.md` (or `Memory/README.md`) and none of that era's files, the
 * folders and their logs count for v0.3 when the logs are v0.3's `Task_<Id>_Log.md`, so the
 * score beats the Phase era's count of them.
 */
export function v03LayoutScore(relPaths: readonly string[]): number {
  const markers = relPaths.filter((p) => V03_MARKER.test(p)).length;
  const nested = relPaths.filter((p) => /^Memory\/Memory_Bank\.md$/i.test(p)).length;
  if (markers === 0 || relPaths.some((p) => PHASE_ERA.test(p)) || !relPaths.some((p) => V03_LOG.test(p))) return markers + nested;
  return markers + nested + relPaths.filter((p) => PHASE_PATH.test(p)).length;
}

/**
 * Whether a folder not named `.apm` is a v0.3 memory root: it holds `Memory_Bank.md` and the plan or
 * a `Memory/` folder beside it. A `Memory_Bank.md` alone is not enough: other tools keep files of
 * that name. An `apm/` folder is early v0.4's (the Phase era's hook), even with a Memory Bank.
 */
export function v03RootFolder(name: string, entries: readonly string[]): boolean {
  return name.toLowerCase() !== 'apm' && entries.includes('Memory_Bank.md') && (entries.includes('Implementation_Plan.md') || entries.includes('Memory'));
}

/** The entries of a v0.3 root folder that belong to its memory tree (the rest of a project folder is not memory). */
export function v03RootEntry(name: string): boolean {
  return /^(?:Memory|Memory_Bank(?:[_-][A-Za-z0-9_-]+)?\.md|Implementation_Plan\.md|Handover_(?:File|Prompt)(?:[_-]\d+)?\.md|metadata\.json)$/i.test(name);
}

/**
 * APM v0.3: one `Memory_Bank.md` of `---`-separated entries (or `Memory/README.md` with
 * `Memory/Phase_<N>_<Name>/Task_<Id>_Log.md` files), `Implementation_Plan.md` and the Handover File.
 * No frontmatter anywhere: an entry's fields are bold labels. The index holds phases (as stages),
 * tasks and agents from the entries, and each Handover File as a link of its chain, for the site's
 * timelines; the chain rules do not run here, since v0.3 overwrites its single Handover File at
 * each handover and the earlier links are gone by design.
 */
export const apmV03Dialect: Dialect = {
  id: 'apm-v03',
  family: 'apm',
  label: 'APM v0.3',
  versions: 'v0.3',
  rulesAvailable: true,
  handoffWord: 'handover',
  doneStatuses: ['Completed'],
  detect: {
    claimsVersion: (version) => /^v?0\.[0-3](?:\.|$|[^0-9])/i.test(version.trim()),
    layoutScore: v03LayoutScore,
    rootFolder: v03RootFolder,
    rootEntry: v03RootEntry,
  },
  classify: (relPath) => classifyV03Path(relPath).kind,
  locate: (relPath) => classifyV03Path(relPath).ids,
  buildIndex: buildV03Index,
  skeleton: v03Skeleton,
  stageWord: 'Phase',
  stageFolder: (n) => `Memory/Phase_${n}_<Name>/ folder`,
  taskLogPath: (s, t) => `Memory/Phase_${s}_<Name>/Task_${s}.${t}_Log.md`,
  planStageHeading: (n) => `\`## Phase ${n}:\` in Implementation_Plan.md`,
  planTaskHeading: (id) => `\`### Task ${id}\` in Implementation_Plan.md`,
  schemas: {},
  frontmatterRequired: [],
  noFrontmatter: true,
};
