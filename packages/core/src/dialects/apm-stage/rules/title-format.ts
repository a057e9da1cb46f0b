import { frontmatterData, type DocumentKind, type MemoryDocument } from '../../../document.ts';
import { bodyStart } from '../../../rules/locate.ts';
import { defineRule } from '../../../rules/rule.ts';
import { classifyStagePath } from '../paths.ts';

interface TitleCheck {
  /** Whether the H1 text is acceptable. */
  ok(text: string, doc: MemoryDocument): boolean;
  /** The form to suggest. */
  expected(doc: MemoryDocument): string;
}

/** Whether a title names a whole number (`Handoff 3`, not `13`); anything else in the frontmatter names nothing. */
function namesNumber(text: string, n: unknown): boolean {
  return Number.isSafeInteger(n) && new RegExp(`(?<![0-9])${n as number}(?![0-9])`).test(text);
}

const endsWith = (suffix: string): TitleCheck => ({
  ok: (text) => new RegExp(`^.+\\s[-–—]\\s*${suffix}$`).test(text),
  expected: () => `<Project Name> - ${suffix}`,
});

const TASK_TITLE = /^Task Memory Log:\s*(Task \d+\.\d+)\s*[-–—]\s*\S.*$/;

const checks: Partial<Record<DocumentKind, TitleCheck>> = {
  'task-log': {
    ok(text, doc) {
      const m = TASK_TITLE.exec(text);
      const id = frontmatterData(doc).task_id;
      return !!m && (typeof id !== 'string' || m[1] === id);
    },
    expected(doc) {
      const id = frontmatterData(doc).task_id;
      const info = classifyStagePath(doc.relPath);
      const taskId = typeof id === 'string' ? id : info.kind === 'task-log' ? `Task ${info.stageNumber}.${info.taskNumber}` : 'Task <N.M>';
      const slug = info.kind === 'task-log' && info.slug ? info.slug : '<Slug>';
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

export const titleFormat = defineRule({
  meta: { id: 'title-format', description: 'Each file opens with the H1 title its kind prescribes (a task log names its task id).', severity: 'error', family: 'apm', dialects: ['apm-stage'] },
  checkDocument(doc, { report }) {
    const check = checks[doc.kind];
    if (!check || doc.problem || (doc.source.text.trim() === '' && doc.kind !== 'memory-root')) return;
    // A malformed task_id is frontmatter-schema's finding; the title would only repeat it.
    const id = frontmatterData(doc).task_id;
    if (doc.kind === 'task-log' && id !== undefined && (typeof id !== 'string' || !/^Task \d+\.\d+$/.test(id))) return;
    const expected = check.expected(doc);
    if (!doc.title) {
      report(doc, bodyStart(doc), `missing H1 title: expected \`# ${expected}\``);
      return;
    }
    const first = doc.headings[0]!;
    if (first !== doc.title) {
      report(doc, doc.title.range, `the title \`# ${doc.title.text}\` must open the file, before \`${'#'.repeat(first.depth)} ${first.text}\``);
      return;
    }
    if (!check.ok(doc.title.text, doc)) {
      const concrete = !expected.includes('<');
      report(doc, doc.title.textRange, `title \`# ${doc.title.text}\` does not match \`# ${expected}\``, concrete ? { expected: [expected] } : {});
    }
  },
});
