import type { DocumentKind } from '../../document.ts';
import type { PathIds } from '../dialect.ts';

/** What a Phase-era path says: its kind and the ids in its folder and file names. */
export interface PhasePathInfo {
  kind: DocumentKind;
  ids: PathIds;
}

// `Phase_02_Firing_Queue`, `Phase_2_Firing_Queue`, a slug-less `Phase_04`, a sub-phase `Phase_09_5_Validation`.
const PHASE_DIR = /^Phase_(\d+)(?:_(\d+)(?=_|$))?(?:_(.+))?$/i;
// `Task_2_1_Slug.md`, `Task_2.1_Slug.md`, `Task_2_1a_Slug.md`, `Task_2_1.md`; follow-ups `FollowUp_1_1_Slug.md`.
const TASK_FILE = /^(Task|Follow-?Up)_(\d+)[._](\d+)([a-z])?(?:_(.+))?\.md$/i;
// `Agent_Backend_Handover_File_2.md`, `Manager_Agent_Handover_File_3.md`.
const HANDOVER_FILE = /^(.+)_Handover_File_(\d+)\.md$/i;
const HANDOVER_DIR = /^(.+)_Handovers$/i;

/** The Manager's handover folder and file prefix. */
export const MANAGER = 'Manager_Agent';

/** What a phase folder's name says (`Phase_09_5_…` is a sub-phase of Phase 9). */
export function phaseFolder(name: string): { phase: number; sub: number | null; slug: string | null } | null {
  const m = PHASE_DIR.exec(name);
  return m ? { phase: Number(m[1]), sub: m[2] ? Number(m[2]) : null, slug: m[3] ?? null } : null;
}

/** Classifies a path relative to the memory root (`.apm/` or early v0.4's `apm/`). */
export function classifyPhasePath(relPath: string): PhasePathInfo {
  const parts = relPath.split('/');
  const name = parts.at(-1)!;
  if (!/\.md$/i.test(name)) return { kind: 'other', ids: {} };
  if (parts.length === 1) {
    if (name === 'Implementation_Plan.md') return { kind: 'implementation-plan', ids: {} };
    // v0.4's simple strategy keeps the whole memory in one Memory_Bank.md beside the plan.
    if (name === 'Memory_Bank.md') return { kind: 'memory-root', ids: {} };
    return { kind: 'other', ids: {} };
  }
  if (parts[0] !== 'Memory') return { kind: 'other', ids: {} };
  if (parts.length === 2) return { kind: name === 'Memory_Root.md' || name === 'Memory_Bank.md' ? 'memory-root' : 'other', ids: {} };
  if (parts[1] === 'Handovers') {
    if (parts.length !== 4) return { kind: 'other', ids: {} };
    const dir = HANDOVER_DIR.exec(parts[2]!);
    const file = HANDOVER_FILE.exec(name);
    const ids: PathIds = {
      ...(dir ? { folderAgent: dir[1]! } : {}),
      ...(file ? { fileAgent: file[1]!, handoff: Number(file[2]) } : {}),
    };
    const manager = (dir?.[1] ?? file?.[1] ?? '').toLowerCase() === MANAGER.toLowerCase();
    // Any markdown file in a handover folder is a handover, however it is named: handover-file-path says where it belongs.
    return { kind: manager ? 'manager-handoff-log' : 'worker-handoff-log', ids: { ...ids, ...(ids.fileAgent ?? ids.folderAgent ? { agent: ids.fileAgent ?? ids.folderAgent } : {}) } };
  }
  if (parts.length === 3) {
    const folder = phaseFolder(parts[1]!);
    const file = TASK_FILE.exec(name);
    const where: PathIds = { folder: parts[1]!, ...(folder ? { folderStage: folder.phase } : {}) };
    if (file) {
      return {
        kind: 'task-log',
        ids: {
          ...where,
          stage: Number(file[2]),
          task: Number(file[3]),
          ...(file[4] ? { taskSuffix: file[4].toLowerCase() } : {}),
          ...(file[5] ? { slug: file[5] } : {}),
          ...(/^follow/i.test(file[1]!) ? { followUp: true } : {}),
        },
      };
    }
    // `Task_Six_Market_Validation.md` in a phase folder is still meant as a task log.
    if (folder && /^Task_/i.test(name)) return { kind: 'task-log', ids: where };
  }
  return { kind: 'other', ids: {} };
}

/** When the path says nothing, the frontmatter may still tell a log filed in the wrong place (`Memory/Ad_Hoc/…`). */
export function kindFromPhaseFrontmatter(keys: readonly string[], relPath: string, data: Record<string, unknown> = {}): DocumentKind {
  if (!relPath.startsWith('Memory/')) return 'other';
  const has = (k: string) => keys.includes(k);
  if (has('agent_type') && has('handover_number')) return String(data.agent_type).trim().toLowerCase() === 'manager' ? 'manager-handoff-log' : 'worker-handoff-log';
  if (has('task_ref') && (has('status') || has('agent'))) return 'task-log';
  return 'other';
}

/** `2` → `02`: phase folders are zero-padded to two digits. */
export const pad = (n: number) => String(n).padStart(2, '0');

/** `Agent_Backend_2` → `Agent_Backend` and 2; `Manager_3` → `Manager` and 3. */
export function splitAgentId(id: string): { agent: string; instance: number | null } {
  const m = /^(.*?)_(\d+)$/.exec(id.trim());
  return m && m[1] ? { agent: m[1], instance: Number(m[2]) } : { agent: id.trim(), instance: null };
}

/** A task reference: `Task 2.3`, `Task 2.3 - Title`, `Task_2.3_Title`, `Task 2.1a`, `Follow-Up 1.1`. */
export function parseTaskRef(value: unknown): { stage: number; task: number; suffix: string; followUp: boolean } | null {
  if (typeof value !== 'string') return null;
  const m = /^\s*(Task|Follow-?Up)[ _]?(\d+)[._](\d+)([a-z])?(?![0-9])/i.exec(value);
  if (!m) return null;
  return { stage: Number(m[2]), task: Number(m[3]), suffix: m[4]?.toLowerCase() ?? '', followUp: /^follow/i.test(m[1]!) };
}
