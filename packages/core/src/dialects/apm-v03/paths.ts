import type { DocumentKind } from '../../document.ts';
import type { PathIds } from '../dialect.ts';

/** What a v0.3 path says: its kind and the ids in its folder and file names. */
export interface V03PathInfo {
  kind: DocumentKind;
  ids: PathIds;
}

// `Memory_Bank.md`, and the split banks a large project keeps (`Memory_Bank_Frontend.md`).
const MEMORY_BANK = /^Memory_Bank(?:[_-][A-Za-z0-9_-]+)?\.md$/i;
// `Phase_1_Sensor_Logging`, `Phase_01`, `Phase-2-UI`, `Phase1`.
const PHASE_DIR = /^Phase[_-]?(\d+)(?:[_-](.*))?$/i;
// `Task_1.1_Log.md`, `Task_1_1_Log.md`, `Task_A_Log.md`; tolerant: `Task_1_1.md`, `Task_1_1_Sensor_Service_Log.md`.
const TASK_FILE = /^Task[_-]?([^/]*)\.md$/i;
// The numbers a task id starts with: `1.1`, `1_1`, `2-3`, or a lone `3`.
const TASK_ID = /^(\d+)(?:[._-](\d+))?(?![0-9])/;
const HANDOVER_FILE = /^Handover_File(?:[_-](\d+))?\.md$/i;
const HANDOVER_PROMPT = /^Handover_Prompt(?:[_-](\d+))?\.md$/i;

/** `Sensor_Logging` → `Sensor Logging`. */
export const words = (slug: string) => slug.replace(/[_-]+/g, ' ').trim();

/** Classifies a path relative to the memory root (`Memory_Bank.md`, `Memory/Phase_1_Setup/Task_1.1_Log.md`, …). */
export function classifyV03Path(relPath: string): V03PathInfo {
  const parts = relPath.split('/');
  const name = parts.at(-1)!;
  const handover = HANDOVER_FILE.exec(name);
  if (handover) return { kind: 'manager-handoff-log', ids: handover[1] ? { handoff: Number(handover[1]) } : {} };
  const prompt = HANDOVER_PROMPT.exec(name);
  if (prompt) return { kind: 'handoff-prompt', ids: prompt[1] ? { handoff: Number(prompt[1]) } : {} };
  if (parts.length === 1) {
    if (MEMORY_BANK.test(name)) return { kind: 'memory-root', ids: {} };
    if (/^Implementation_Plan\.md$/i.test(name)) return { kind: 'implementation-plan', ids: {} };
    return { kind: 'other', ids: {} };
  }
  if (!/^Memory$/i.test(parts[0]!)) return { kind: 'other', ids: {} };
  if (parts.length === 2) {
    // The multi-file Memory Bank's own README, or a bank kept inside `Memory/`.
    if (/^README\.md$/i.test(name) || MEMORY_BANK.test(name)) return { kind: 'memory-root', ids: {} };
    const task = TASK_FILE.exec(name);
    return task ? { kind: 'task-log', ids: taskIds(task[1]!) } : { kind: 'other', ids: {} };
  }
  if (parts.length === 3) {
    const phase = PHASE_DIR.exec(parts[1]!);
    const task = TASK_FILE.exec(name);
    if (phase && task) {
      const stage = Number(phase[1]);
      const ids: PathIds = { stage, folder: parts[1]!, folderStage: stage, ...taskIds(task[1]!, stage) };
      return { kind: 'task-log', ids };
    }
  }
  return { kind: 'other', ids: {} };
}

/** The task number a log's name carries: `1.2` (in Phase 1) → 2, a lone `3` → 3, `A` → none. */
function taskIds(id: string, stage?: number): PathIds {
  const rest = id.replace(/^[_-]+/, '');
  const slug = rest.replace(/[_-]?Log$/i, '');
  const m = TASK_ID.exec(rest);
  const out: PathIds = slug ? { slug } : {};
  if (!m) return out;
  if (m[2] !== undefined) {
    // `Task_1.2` names phase 1's task 2; outside a phase folder the first number is the phase.
    if (stage === undefined) return { ...out, stage: Number(m[1]), task: Number(m[2]) };
    return Number(m[1]) === stage ? { ...out, task: Number(m[2]) } : out;
  }
  return { ...out, task: Number(m[1]) };
}

/** The phase folders of a root (`Memory/Phase_1_Sensor_Logging`), with their number and name. */
export function phaseFolder(relPath: string): { folder: string; stage: number; name: string | null } | null {
  const parts = relPath.split('/');
  if (parts.length !== 2 || !/^Memory$/i.test(parts[0]!)) return null;
  const m = PHASE_DIR.exec(parts[1]!);
  if (!m || parts[1]!.includes('.')) return null;
  return { folder: relPath, stage: Number(m[1]), name: m[2] ? words(m[2]) || null : null };
}
