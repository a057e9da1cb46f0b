import { frontmatterData, type MemoryDocument } from '../../document.ts';
import { agentKey } from '../../text/ids.ts';
import type { Dialect, TitleCheck } from '../dialect.ts';
import { buildV1Index, display } from './index.ts';
import { v1Skeleton } from './skeleton.ts';
import { classifyV1Path, kindFromV1Frontmatter, pad } from './paths.ts';
import { countValue, v1IndexSchema, v1ManagerHandoffSchema, v1PlanSchema, v1SpecSchema, v1TaskLogSchema, v1TrackerSchema, v1WorkerHandoffSchema } from './schemas.ts';

const exact = (title: string): TitleCheck => ({ ok: (text) => text === title, expected: () => title, concrete: () => true });

// `Task 2.1 - Title` (a dash, an en or em dash, or a colon after the id).
const TASK_TITLE = /^Task (\d+)\.(\d+)\s*[-–—:]\s*\S/;
// `Backend Agent Handoff 2 (Backend Agent 2 → Backend Agent 3)`; `->` and `to` are read as the arrow.
const HANDOFF_TITLE = /^(.+?) Handoff (\d+) \((.+?) (\d+) (?:→|->|to) (.+?) (\d+)\)$/;

function handoffTitle(manager: boolean): TitleCheck {
  const numbers = (doc: MemoryDocument) => {
    const data = frontmatterData(doc);
    const out = countValue(data.outgoing) ?? countValue(data.handoff) ?? doc.ids.handoff ?? null;
    return { handoff: countValue(data.handoff) ?? out, out, in: countValue(data.incoming) ?? (out === null ? null : out + 1) };
  };
  const name = (doc: MemoryDocument) => {
    const agent = frontmatterData(doc).agent;
    const slug = typeof agent === 'string' && agent ? agent : doc.ids.agent;
    return manager ? 'Manager' : slug ? display(slug) : '<Display Name>';
  };
  return {
    ok(text, doc) {
      const m = HANDOFF_TITLE.exec(text);
      if (!m) return false;
      const n = numbers(doc);
      const who = name(doc);
      const same = (a: string) => agentKey(a) === agentKey(who);
      return (
        same(m[1]!) && same(m[3]!) && same(m[5]!) &&
        (n.handoff === null || Number(m[2]) === n.handoff) && (n.out === null || Number(m[4]) === n.out) && (n.in === null || Number(m[6]) === n.in)
      );
    },
    expected(doc) {
      const n = numbers(doc);
      const who = name(doc);
      return `${who} Handoff ${n.handoff ?? 'N'} (${who} ${n.out ?? 'N'} → ${who} ${n.in ?? 'N+1'})`;
    },
    concrete: (doc) => numbers(doc).out !== null && !name(doc).includes('<'),
  };
}

/** APM v1.0 final (v1.0.0 … v1.0.2) and the kebab-case pre-releases before it (v1.0.0-test-8 and later). */
export const apmV1Dialect: Dialect = {
  id: 'apm-v1',
  family: 'apm',
  label: 'APM v1.0',
  versions: 'v1.0.0-test-8 … v1.0.x',
  rulesAvailable: true,
  detect: {
    claimsVersion: (version) => {
      const v = version.trim().replace(/^v/i, '');
      const test = /^1\.0\.0-test-(\d+)/.exec(v);
      return test ? Number(test[1]) > 7 : /^1\.\d/.test(v);
    },
    layoutScore: (relPaths) =>
      relPaths.filter((p) => /^memory\/stage-\d+(\/|$)/.test(p) || /^memory\/handoffs\//.test(p) || ['tracker.md', 'memory/index.md', 'plan.md', 'spec.md', 'archives/index.md'].includes(p)).length,
  },
  classify(relPath, keys) {
    const kind = classifyV1Path(relPath).kind;
    return kind === 'other' ? kindFromV1Frontmatter(keys, relPath) : kind;
  },
  locate: (relPath) => classifyV1Path(relPath).ids,
  buildIndex: buildV1Index,
  skeleton: v1Skeleton,
  indexes: ['chains', 'instances', 'stage-summaries', 'tracker', 'plan-tasks'],
  doneStatuses: ['Success'],
  stageFolder: (n) => `memory/stage-${pad(n)}/ folder`,
  taskLogPath: (s, t) => `memory/stage-${pad(s)}/task-${pad(s)}-${pad(t)}.log.md`,
  planStageHeading: (n) => `\`## Stage ${n}:\` in plan.md`,
  planTaskHeading: (id) => `\`### Task ${id}:\` heading in plan.md`,
  schemas: {
    'task-log': v1TaskLogSchema,
    'worker-handoff-log': v1WorkerHandoffSchema,
    'manager-handoff-log': v1ManagerHandoffSchema,
    tracker: v1TrackerSchema,
    'memory-index': v1IndexSchema,
    'implementation-plan': v1PlanSchema,
    specifications: v1SpecSchema,
  },
  frontmatterRequired: ['task-log', 'worker-handoff-log', 'manager-handoff-log'],
  titles: {
    'task-log': {
      ok(text, doc) {
        const m = TASK_TITLE.exec(text);
        if (!m) return false;
        const data = frontmatterData(doc);
        const [stage, task] = [countValue(data.stage), countValue(data.task)];
        return (stage === null || Number(m[1]) === stage) && (task === null || Number(m[2]) === task);
      },
      expected(doc) {
        const data = frontmatterData(doc);
        const stage = countValue(data.stage) ?? doc.ids.stage ?? 'N';
        const task = countValue(data.task) ?? doc.ids.task ?? 'M';
        return `Task ${stage}.${task} - ${typeof data.title === 'string' && data.title.trim() ? data.title.trim() : '<Title>'}`;
      },
      concrete(doc) {
        const data = frontmatterData(doc);
        return countValue(data.stage) !== null && countValue(data.task) !== null && typeof data.title === 'string' && data.title.trim() !== '';
      },
    },
    'worker-handoff-log': handoffTitle(false),
    'manager-handoff-log': handoffTitle(true),
    tracker: exact('APM Tracker'),
    'memory-index': exact('APM Memory Index'),
    'implementation-plan': exact('APM Plan'),
    specifications: exact('APM Spec'),
  },
  requiredSections: {
    'task-log': ['Summary', 'Details', 'Output', 'Validation', 'Issues'],
    'worker-handoff-log': ['Summary', 'Working Context', 'Working Notes'],
    'manager-handoff-log': ['Summary', 'Working Context', 'Working Notes'],
    tracker: ['Task Tracking'],
    'memory-index': ['Memory Notes', 'Stage Summaries'],
  },
  conditionalSections: [
    { kind: 'task-log', flag: 'compatibility_issues', section: 'Compatibility Concerns' },
    { kind: 'task-log', flag: 'important_findings', section: 'Important Findings' },
  ],
};
