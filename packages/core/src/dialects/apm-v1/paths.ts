import type { DocumentKind } from '../../document.ts';
import type { PathIds } from '../dialect.ts';

/** What a v1.0 path says: its kind and the ids in its folder and file names. */
export interface V1PathInfo {
  kind: DocumentKind;
  ids: PathIds;
}

const STAGE_DIR = /^stage-(\d+)$/;
// `task-02-01.log.md`, and the follow-up and split forms real trees use: `task-07-02-backend.log.md`.
const TASK_LOG = /^task-(\d+)-(\d+)(?:-([a-z0-9][a-z0-9._-]*))?\.log\.md$/i;
const HANDOFF_LOG = /^handoff-(\d+)\.log\.md$/i;
const BUS = /^(task|report|handoff)\.md$/;

/** Classifies a path relative to the memory root (`memory/...`, `tracker.md`, `bus/...`). */
export function classifyV1Path(relPath: string): V1PathInfo {
  const parts = relPath.split('/');
  const name = parts.at(-1)!;
  if (parts.length === 1) {
    const kind: DocumentKind =
      name === 'tracker.md' ? 'tracker' : name === 'plan.md' ? 'implementation-plan' : name === 'spec.md' ? 'specifications' : 'other';
    return { kind, ids: {} };
  }
  if (parts[0] === 'bus' && parts.length === 3 && BUS.test(name)) return { kind: name === 'handoff.md' ? 'handoff-prompt' : 'bus-message', ids: { agent: parts[1]! } };
  if (parts[0] !== 'memory') return { kind: 'other', ids: {} };
  if (parts.length === 2) return { kind: name === 'index.md' ? 'memory-index' : 'other', ids: {} };
  if (parts[1] === 'handoffs' && parts.length === 4) {
    const h = HANDOFF_LOG.exec(name);
    if (!h) return { kind: 'other', ids: {} };
    const agent = parts[2]!;
    return { kind: agent === 'manager' ? 'manager-handoff-log' : 'worker-handoff-log', ids: { agent, handoff: Number(h[1]) } };
  }
  if (parts.length === 3) {
    const s = STAGE_DIR.exec(parts[1]!);
    const t = TASK_LOG.exec(name);
    if (t) {
      return {
        kind: 'task-log',
        ids: { stage: Number(t[1]), task: Number(t[2]), folder: parts[1]!, ...(t[3] ? { slug: t[3] } : {}), ...(s ? { folderStage: Number(s[1]) } : {}) },
      };
    }
  }
  return { kind: 'other', ids: {} };
}

/** When the path says nothing, the frontmatter may still tell a log filed in the wrong place. */
export function kindFromV1Frontmatter(keys: readonly string[], relPath: string): DocumentKind {
  if (!relPath.startsWith('memory/')) return 'other';
  const has = (k: string) => keys.includes(k);
  // A markdown file in the handoffs area is a handoff, however it is named (handoff-log-path says where it belongs).
  const handoffs = /^memory\/handoffs\/([^/]+)\//.exec(relPath);
  if (handoffs && keys.length > 0) return handoffs[1] === 'manager' ? 'manager-handoff-log' : 'worker-handoff-log';
  if (has('outgoing') && has('incoming')) return keys.includes('agent') ? 'worker-handoff-log' : 'manager-handoff-log';
  if (has('stage') && has('task') && has('status')) return 'task-log';
  return 'other';
}

/** `02` → `02`, `2` → `02`: numbers in v1.0 file names are zero-padded to two digits. */
export const pad = (n: number) => String(n).padStart(2, '0');
