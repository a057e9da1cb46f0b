import type { DocumentKind } from '../../document.ts';
export { agentKey } from '../../text/ids.ts';

/** What a Stage-era path says about its file. Numbers are as written (padded or not). */
export type StagePathInfo =
  | { kind: 'task-log'; stageDir: string; stageDirNumber: number | null; stageNumber: number; taskNumber: number; slug: string | null }
  | { kind: 'delegation-log'; stageDir: string; stageDirNumber: number | null; stageNumber: number; sequence: number }
  | { kind: 'worker-handoff-log'; dirAgent: string | null; fileAgent: string | null; number: number | null }
  | { kind: 'manager-handoff-log'; number: number | null }
  | { kind: 'memory-root' | 'implementation-plan' | 'specifications' | 'handoff-prompt' }
  | { kind: 'other' };

const STAGE_DIR = /^Stage_(\d+)(?:_.*)?$/;
const TASK_LOG = /^Task_Log_(\d+)_(\d+)(?:_(.+))?\.md$/;
const DELEGATION_LOG = /^Delegation_Log_(\d+)_(\d+)(?:_.+)?\.md$/;
const MANAGER_LOG = /^Manager_Handoff_Log_(\d+)\.md$/;
const WORKER_LOG = /^(.+)_Handoff_Log_(\d+)\.md$/;
const HANDOFF_DIR = /^(.+)_Handoffs$/;

/** Classifies a path relative to the memory root (`Memory/...`, `Implementation_Plan.md`, `bus/...`). */
export function classifyStagePath(relPath: string): StagePathInfo {
  const parts = relPath.split('/');
  const name = parts.at(-1)!;
  if (parts.length === 1) {
    if (name === 'Implementation_Plan.md') return { kind: 'implementation-plan' };
    if (name === 'Specifications.md') return { kind: 'specifications' };
    return { kind: 'other' };
  }
  if (parts[0] === 'bus' && parts.length === 3 && name === 'apm-handoff.md') return { kind: 'handoff-prompt' };
  if (parts[0] !== 'Memory') return { kind: 'other' };
  if (parts.length === 2) return name === 'Memory_Root.md' ? { kind: 'memory-root' } : { kind: 'other' };
  if (parts[1] === 'Handoffs' && parts.length === 4) {
    // A file named like a handoff log is one, wherever in Handoffs/ it sits; other files
    // there (a README) are classified by their frontmatter, if at all.
    const manager = MANAGER_LOG.exec(name);
    if (manager) return { kind: 'manager-handoff-log', number: Number(manager[1]) };
    const f = WORKER_LOG.exec(name);
    if (!f) return { kind: 'other' };
    const d = HANDOFF_DIR.exec(parts[2]!);
    return { kind: 'worker-handoff-log', dirAgent: d ? d[1]! : null, fileAgent: f[1]!, number: Number(f[2]) };
  }
  if (parts.length === 3) {
    const stageDir = parts[1]!;
    const s = STAGE_DIR.exec(stageDir);
    const stageDirNumber = s ? Number(s[1]) : null;
    const t = TASK_LOG.exec(name);
    if (t) return { kind: 'task-log', stageDir, stageDirNumber, stageNumber: Number(t[1]), taskNumber: Number(t[2]), slug: t[3] ?? null };
    const g = DELEGATION_LOG.exec(name);
    if (g) return { kind: 'delegation-log', stageDir, stageDirNumber, stageNumber: Number(g[1]), sequence: Number(g[2]) };
  }
  return { kind: 'other' };
}

/** When the path says nothing, the frontmatter keys may still tell the kind (a log in the wrong place). */
export function kindFromFrontmatterKeys(keys: readonly string[], relPath: string): DocumentKind {
  if (!relPath.startsWith('Memory/')) return 'other';
  const has = (k: string) => keys.includes(k);
  if (has('outgoing_worker') || has('incoming_worker')) return 'worker-handoff-log';
  if (has('outgoing_manager') || has('incoming_manager')) return 'manager-handoff-log';
  if (has('task_id') && has('status')) return 'task-log';
  if (has('delegation_type') && has('delegating_agent')) return 'delegation-log';
  return 'other';
}

/** `Stage 2 - Billing Engine`, `Stage 02: Billing`, `2 - Billing` → number and name. */
export function parseStageLabel(value: string): { number: number; name: string | null } | null {
  const m = /^(?:Stage\s*)?(\d+)\s*(?:[-–—:]\s*(.*))?$/i.exec(value.trim());
  if (!m) return null;
  return { number: Number(m[1]), name: m[2] ? m[2] : null };
}

/** Folder and file names compare with case and `_`/`-`/space differences ignored. */
export function slugKey(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/g, '');
}
