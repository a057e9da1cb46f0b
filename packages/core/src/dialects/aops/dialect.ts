import type { DocumentKind } from '../../document.ts';
import type { Dialect } from '../dialect.ts';
import { aopsSkeleton } from './skeleton.ts';
import { knowledgeNoteSchema, TASK_ID_FORMS, taskFileSchema, taskTypes } from './schemas.ts';

/**
 * Keys of the aops task model that other task tools' files do not write (Backlog.md's
 * `backlog/tasks/*.md` have `id`, `title`, `status`, `created_date`, `priority: high`): a file in a
 * `tasks/` folder is an aops task only with one of them, a numeric priority, or an id of aops form.
 */
const AOPS_TASK_KEYS = ['type', 'project', 'permalink', 'alias', 'parent', 'depends_on', 'soft_depends_on', 'depth', 'leaf', 'created', 'modified'];

function aopsShaped(keys: readonly string[], data: Record<string, unknown>): boolean {
  const id = data.id ?? data.task_id;
  return AOPS_TASK_KEYS.some((k) => keys.includes(k)) || typeof data.priority === 'number' || (typeof id === 'string' && TASK_ID_FORMS.test(id));
}

/** Task files and knowledge notes are told by their frontmatter (they live anywhere in a PKB). */
export function classifyAops(relPath: string, keys: readonly string[], data: Record<string, unknown>): DocumentKind {
  const has = (k: string) => keys.includes(k);
  const type = typeof data.type === 'string' ? data.type : '';
  if ((has('id') || has('task_id')) && (taskTypes as readonly string[]).includes(type)) return 'task-file';
  if (/(^|\/)tasks\//.test(relPath) && (has('status') || has('id') || has('task_id')) && has('title') && aopsShaped(keys, data)) return 'task-file';
  if (has('permalink') && has('title') && (has('category') || has('type'))) return 'knowledge-note';
  return 'other';
}

/** Markdown outside any `.apm/` tree: aops reflections, task files and knowledge notes. */
export const aopsDialect: Dialect = {
  id: 'aops',
  family: 'aops',
  label: 'aops session-end files',
  versions: 'generation 2 (default), 1b, 3, 5 as reflection profiles',
  rulesAvailable: true,
  classify: (relPath, keys, data = {}) => classifyAops(relPath, keys, data),
  schemas: { 'task-file': taskFileSchema, 'knowledge-note': knowledgeNoteSchema },
  frontmatterRequired: [],
  skeleton: aopsSkeleton,
};
