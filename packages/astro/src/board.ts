import { boardColumns, type Board, type BoardColumn } from './story-schemas.ts';

/**
 * Where each format's task statuses stand on the board: the one place the site maps a status to a column.
 * Whether a task is done is core's to say (the dialect's done statuses, carried as the task's `done`);
 * this table places the statuses that are not done. Keys are dialect ids.
 */
export const statusColumns: Readonly<Record<string, Readonly<Record<string, BoardColumn>>>> = {
  'apm-stage': { Success: 'done', Partial: 'in-progress', Blocked: 'blocked', Failed: 'failed' },
  'apm-v1': { Success: 'done', Partial: 'in-progress', Failed: 'failed' },
  'apm-phase': { Completed: 'done', Partial: 'in-progress', Blocked: 'blocked', Error: 'failed' },
  // v0.3's Status label is free text: its usual values, and the words below for the rest.
  'apm-v03': { Completed: 'done', 'Partially Completed': 'in-progress', 'In Progress': 'in-progress', Blocked: 'blocked', Failed: 'failed' },
};

/** Free-text statuses (v0.3 entries, formats without a table) by what they say. */
const byWords: [RegExp, BoardColumn][] = [
  [/\b(?:partial(?:ly)?|in[ _-]?progress|ongoing|started|active|review)\b/i, 'in-progress'],
  [/\bblock(?:ed|er)?\b/i, 'blocked'],
  [/\b(?:fail(?:ed|ure)?|error)\b/i, 'failed'],
];

/** Generic names of the columns, where the format has no status of its own for one. */
const genericLabels: Record<BoardColumn, string> = {
  'not-logged': 'Not logged',
  'in-progress': 'In progress',
  blocked: 'Blocked',
  failed: 'Failed',
  done: 'Done',
  other: 'Other status',
};

export interface BoardTask {
  status: string;
  done: boolean;
  logged: boolean;
}

/** The column of one task: done as core says, not logged when there is no log, else by its format's status. */
export function boardColumn(task: BoardTask, dialectId: string): BoardColumn {
  if (task.done) return 'done';
  if (!task.logged) return 'not-logged';
  const table = statusColumns[dialectId];
  const column = table?.[task.status];
  // A done status the task did not reach (done is core's word) stays out of the done column.
  if (column && column !== 'done') return column;
  if (table && dialectId !== 'apm-v03') return 'other';
  return byWords.find(([pattern]) => pattern.test(task.status))?.[1] ?? 'other';
}

/** A column's title in the format's own words (`Partial`, `Error`, `Completed`), else a generic one. */
export function columnLabel(column: BoardColumn, dialectId: string, doneStatuses: readonly string[]): string {
  if (column === 'done') return doneStatuses[0] ?? genericLabels.done;
  if (column === 'not-logged' || column === 'other' || dialectId === 'apm-v03') return genericLabels[column];
  const own = Object.entries(statusColumns[dialectId] ?? {}).filter(([, c]) => c === column).map(([s]) => s);
  return own.length ? own.join(' / ') : genericLabels[column];
}

/** Every column in workflow order with the tasks in it (the page collapses empty ones). */
export function stageBoard(tasks: (BoardTask & { id: string })[], dialectId: string, doneStatuses: readonly string[]): Board {
  return boardColumns.map((column) => ({
    column,
    label: columnLabel(column, dialectId, doneStatuses),
    tasks: tasks.filter((t) => boardColumn(t, dialectId) === column).map((t) => t.id),
  }));
}
