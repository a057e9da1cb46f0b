import { findSection, frontmatterData } from '../../../document.ts';
import { bodyStart, keyRange, replaceValue, show, valueRange } from '../../../rules/locate.ts';
import { defineRule } from '../../../rules/rule.ts';
import { TASK_ID_FORMS, taskStatusAliases, taskStatuses } from '../schemas.ts';

const filled = (value: unknown) => (Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null && String(value).trim() !== '');

/** A polecat worker's task: assigned to polecat, claimed by a worker, or in a polecat worktree. */
function byPolecat(data: Record<string, unknown>, path: string): boolean {
  return data.assignee === 'polecat' || (typeof data.worker_id === 'string' && /polecat/i.test(data.worker_id)) || /(^|\/)polecats\//.test(path);
}

export const taskStatus = defineRule({
  meta: {
    id: 'task-status',
    description: 'A task\'s status is a known value with what it needs: blocked names what unblocks it, review its pull request, failed its diagnostic, and a polecat worker never sets done.',
    severity: 'error',
    family: 'aops',
    // Task files and knowledge notes are aops kinds: no other dialect classifies a file as one.
    dialects: ['aops'],
    kinds: ['task-file'],
    fixable: true,
  },
  checkDocument(doc, { report }) {
    if (doc.kind !== 'task-file') return;
    const data = frontmatterData(doc);
    const status = data.status;
    if (typeof status !== 'string') return; // frontmatter-schema reports it
    const at = () => valueRange(doc, 'status');
    if (!(taskStatuses as readonly string[]).includes(status)) {
      const lower = status.toLowerCase();
      const canonical = (taskStatuses as readonly string[]).includes(lower) ? lower : taskStatusAliases[lower];
      const fix = canonical ? replaceValue(doc, 'status', canonical) : undefined;
      report(
        doc,
        at(),
        canonical
          ? `status "${status}" ${canonical === lower ? 'is written in lower case' : 'is an alias'}: write ${canonical}`
          : `status must be one of ${taskStatuses.join(', ')}, got "${status}"`,
        canonical ? { expected: [canonical], ...(fix ? { fix } : {}) } : {},
      );
      return;
    }
    if (status === 'blocked' && !filled(data.unblock_condition) && !filled(data.depends_on)) {
      report(doc, at(), 'a blocked task says what unblocks it: add `depends_on: [<blocking task id>]` or `unblock_condition: …`');
    }
    if ((status === 'review' || status === 'merge_ready') && !filled(data.pr_url) && !filled(data.pr)) {
      report(doc, at(), `a task in ${status} names its pull request: add \`pr_url:\` (or \`pr:\` with its number)`);
    }
    if (status === 'failed' && !filled(data.diagnostic)) {
      report(doc, at(), 'a failed task says what failed: add `diagnostic: …`');
    }
    if (status === 'done' && byPolecat(data, doc.relPath)) {
      const fix = replaceValue(doc, 'status', 'review');
      report(doc, at(), 'a polecat worker never sets done: it pushes its branch and sets review, and the Refinery sets done after merging', {
        expected: ['review'],
        ...(fix ? { fix } : {}),
      });
    }
  },
});


export const taskId = defineRule({
  meta: {
    id: 'task-id',
    description: 'A task file has an id (`<project>-<8 hex digits>`, or the legacy `YYYYMMDD-slug`).',
    severity: 'error',
    family: 'aops',
    // Task files and knowledge notes are aops kinds: no other dialect classifies a file as one.
    dialects: ['aops'],
    kinds: ['task-file'],
  },
  checkDocument(doc, { report }) {
    if (doc.kind !== 'task-file') return;
    const data = frontmatterData(doc);
    const key = 'id' in data ? 'id' : 'task_id' in data ? 'task_id' : null;
    if (!key) {
      report(doc, doc.frontmatter?.closeFence ?? bodyStart(doc), 'a task file has an `id:` (e.g. aops-76d1d793): other tasks, handoffs and reflections refer to it');
      return;
    }
    const value = data[key];
    if (typeof value === 'string' && !TASK_ID_FORMS.test(value)) {
      report(doc, valueRange(doc, key), `task id "${value}" has neither the form <project>-<8 hex digits> (aops-76d1d793) nor YYYYMMDD-slug`);
    }
  },
});

const HISTORICAL_SECTIONS = ['Work Completed', 'Outcome', 'Context'];

export const taskHistorical = defineRule({
  meta: {
    id: 'task-historical',
    description: 'A historical task made at a dump (`[Session] …`) is done and records Work Completed, Outcome and Context.',
    severity: 'error',
    family: 'aops',
    // Task files and knowledge notes are aops kinds: no other dialect classifies a file as one.
    dialects: ['aops'],
    kinds: ['task-file'],
  },
  checkDocument(doc, { report }) {
    if (doc.kind !== 'task-file') return;
    const data = frontmatterData(doc);
    if (typeof data.title !== 'string' || !/^\[Session\]/.test(data.title.trim())) return;
    // Spellings of done are task-status's to correct; here only the meaning counts.
    const status = typeof data.status === 'string' ? data.status.toLowerCase() : undefined;
    if (status !== 'done' && !(status && taskStatusAliases[status] === 'done')) {
      report(doc, data.status === undefined ? keyRange(doc, 'title') : valueRange(doc, 'status'), 'a historical `[Session]` task records finished work: its status is done', { expected: ['done'] });
    }
    for (const title of HISTORICAL_SECTIONS) {
      if (findSection(doc, title, 2) === -1) report(doc, doc.title?.range ?? bodyStart(doc), `a historical \`[Session]\` task has a \`## ${title}\` section`);
    }
  },
});

export const noteTitle = defineRule({
  meta: {
    id: 'note-title',
    description: 'A knowledge note\'s H1 repeats its frontmatter title exactly.',
    severity: 'error',
    family: 'aops',
    // Task files and knowledge notes are aops kinds: no other dialect classifies a file as one.
    dialects: ['aops'],
    kinds: ['knowledge-note'],
    fixable: true,
  },
  checkDocument(doc, { report }) {
    if (doc.kind !== 'knowledge-note') return;
    const title = frontmatterData(doc).title;
    if (typeof title !== 'string' || !title.trim()) return;
    if (!doc.title) {
      report(doc, bodyStart(doc), `a knowledge note opens with \`# ${title}\` (its title)`);
      return;
    }
    const { start, end } = doc.title.textRange;
    // Compare what was written (code spans, emphasis and all), and also the plain text.
    const raw = doc.source.text.slice(start.offset, end.offset).trim();
    if (raw === title.trim() || doc.title.text === title.trim()) return;
    // A heading holds one line: a title with a line break cannot be copied into it.
    const oneLine = !/[\r\n]/.test(title.trim());
    report(doc, doc.title.textRange, `the H1 "${doc.title.text}" differs from the title ${show(title.trim())}: a note's H1 repeats its title exactly${oneLine ? '' : ' (the title spans lines: write it on one line)'}`, {
      ...(oneLine ? { expected: [title.trim()], fix: [{ start: start.offset, end: end.offset, text: title.trim() }] } : {}),
    });
  },
});

export const taskFileRules = [taskId, taskStatus, taskHistorical, noteTitle];
