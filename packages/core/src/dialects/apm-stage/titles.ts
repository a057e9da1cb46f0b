import { frontmatterData, type DocumentKind } from '../../document.ts';
import type { TitleCheck } from '../dialect.ts';

/** Whether a title names a whole number (`Handoff 3`, not `13`); anything else in the frontmatter names nothing. */
function namesNumber(text: string, n: unknown): boolean {
  return Number.isSafeInteger(n) && new RegExp(`(?<![0-9])${n as number}(?![0-9])`).test(text);
}

const endsWith = (suffix: string): TitleCheck => ({
  ok: (text) => new RegExp(`^.+\\s[-–—]\\s*${suffix}$`).test(text),
  expected: () => `<Project Name> - ${suffix}`,
});

const TASK_TITLE = /^Task Memory Log:\s*(Task \d+\.\d+)\s*[-–—]\s*\S.*$/;

/** The H1 each Stage-era kind opens with. */
export const stageTitles: Partial<Record<DocumentKind, TitleCheck>> = {
  'task-log': {
    // A malformed task_id is frontmatter-schema's finding; the title would only repeat it.
    skip(doc) {
      const id = frontmatterData(doc).task_id;
      return id !== undefined && (typeof id !== 'string' || !/^Task \d+\.\d+$/.test(id));
    },
    ok(text, doc) {
      const m = TASK_TITLE.exec(text);
      const id = frontmatterData(doc).task_id;
      return !!m && (typeof id !== 'string' || m[1] === id);
    },
    expected(doc) {
      const id = frontmatterData(doc).task_id;
      const { ids } = doc;
      const taskId = typeof id === 'string' ? id : ids.stage !== undefined && ids.task !== undefined ? `Task ${ids.stage}.${ids.task}` : 'Task <N.M>';
      const slug = ids.slug ?? '<Slug>';
      return `Task Memory Log: ${taskId} - ${slug}`;
    },
  },
  'worker-handoff-log': {
    ok(text, doc) {
      if (text === 'Worker Agent Handoff Memory Log') return true;
      // test-5..7 titles name the agent and the handoff number instead.
      const data = frontmatterData(doc);
      return typeof data.agent_id === 'string' && text.includes(data.agent_id) && namesNumber(text, data.handoff_number);
    },
    expected: () => 'Worker Agent Handoff Memory Log',
  },
  'manager-handoff-log': {
    ok(text, doc) {
      if (text === 'Manager Agent Handoff Memory Log') return true;
      const n = frontmatterData(doc).handoff_number;
      return /Manager/.test(text) && namesNumber(text, n);
    },
    expected: () => 'Manager Agent Handoff Memory Log',
  },
  'delegation-log': { ok: (text) => /^Delegation Memory Log:\s*\S/.test(text), expected: () => 'Delegation Memory Log: <Slug>' },
  'memory-root': endsWith('APM Memory Root'),
  'implementation-plan': endsWith('APM Implementation Plan'),
  specifications: endsWith('APM Specifications'),
};

