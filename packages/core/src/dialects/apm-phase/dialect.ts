import { frontmatterData, type MemoryDocument } from '../../document.ts';
import type { Dialect, TitleCheck } from '../dialect.ts';
import { buildPhaseIndex } from './index.ts';
import { phaseSkeleton } from './skeleton.ts';
import { classifyPhasePath, kindFromPhaseFrontmatter, pad, parseTaskRef, splitAgentId } from './paths.ts';
import { phaseManagerHandoverSchema, phaseTaskLogSchema, phaseWorkerHandoverSchema } from './schemas.ts';

/** A title that starts with a fixed phrase (the rest is the project's or agent's name). */
const opening = (phrase: RegExp, form: string): TitleCheck => ({ ok: (text) => phrase.test(text), expected: () => form });

/** `Task_2_4_Kiln_Load_Board` → `Kiln Load Board`. */
const slugTitle = (doc: MemoryDocument) => (doc.ids.slug ? doc.ids.slug.replace(/_+/g, ' ').trim() : null);

const taskTitle: TitleCheck = {
  ok(text, doc) {
    const m = /^Task Log:\s*(.*)$/i.exec(text);
    if (!m) return false;
    const said = parseTaskRef(m[1]);
    const ref = parseTaskRef(frontmatterData(doc).task_ref);
    // The title names the task the frontmatter names; when the frontmatter names none, any task id will do.
    if (!ref) return said !== null;
    return said !== null && said.stage === ref.stage && said.task === ref.task && said.suffix === ref.suffix;
  },
  expected(doc) {
    const raw = frontmatterData(doc).task_ref;
    const ref = parseTaskRef(raw);
    const id = ref ? `${ref.followUp ? 'Follow-Up' : 'Task'} ${ref.stage}.${ref.task}${ref.suffix}` : doc.ids.stage !== undefined ? `Task ${doc.ids.stage}.${doc.ids.task}${doc.ids.taskSuffix ?? ''}` : 'Task X.Y';
    // `task_ref: Task 4.4 - Task Completion Detection` carries the title itself.
    const carried = typeof raw === 'string' ? /^\s*\S+[ _]?\d+[._]\d+[a-z]?\s*[-–—:]\s*(\S.*)$/i.exec(raw)?.[1]?.trim() : undefined;
    return `Task Log: ${id} - ${carried ?? slugTitle(doc) ?? '<Title>'}`;
  },
  concrete: () => false,
};

/** APM v0.4 / v0.5: `.apm/Memory/Phase_XX_<slug>/Task_X_Y_<slug>.md`, `Handovers/<Agent>_Handovers/…`, the Memory Root's phase summaries. */
export const apmPhaseDialect: Dialect = {
  id: 'apm-phase',
  family: 'apm',
  label: 'APM Phase era',
  versions: 'v0.4 … v0.5',
  rulesAvailable: true,
  detect: {
    claimsVersion: (version) => /^v?0\.[4-6](?:\.|$|[^0-9])/i.test(version.trim()),
    layoutScore: (relPaths) => relPaths.filter((p) => /^Memory\/Phase_\d+/.test(p) || /^Memory\/Handovers\//.test(p)).length,
    // Early v0.4 kept the tree in `apm/`, without the dot.
    rootFolder: (name, entries) => name === 'apm' && entries.includes('Memory') && (entries.includes('Implementation_Plan.md') || entries.includes('metadata.json') || entries.includes('Memory_Bank.md')),
  },
  classify(relPath, keys, data) {
    const kind = classifyPhasePath(relPath).kind;
    return kind === 'other' ? kindFromPhaseFrontmatter(keys, relPath, data) : kind;
  },
  locate: (relPath) => classifyPhasePath(relPath).ids,
  buildIndex: buildPhaseIndex,
  skeleton: phaseSkeleton,
  indexes: ['chains', 'instances', 'stage-summaries', 'plan-tasks'],
  stageWord: 'Phase',
  handoffWord: 'handover',
  kindNames: { 'worker-handoff-log': 'Implementation Agent handover file', 'manager-handoff-log': 'Manager handover file' },
  doneStatuses: ['Completed'],
  precreated: ['task-log'],
  stageFolder: (n) => `Memory/Phase_${pad(n)}_<Slug>/ folder`,
  taskLogPath: (s, t) => `Memory/Phase_${pad(s)}_<Slug>/Task_${s}_${t}_<Slug>.md`,
  planStageHeading: (n) => `\`## Phase ${n}:\` in Implementation_Plan.md`,
  planTaskHeading: (id) => `\`### Task ${id} –\` heading in Implementation_Plan.md`,
  schemas: {
    'task-log': phaseTaskLogSchema,
    'worker-handoff-log': phaseWorkerHandoverSchema,
    'manager-handoff-log': phaseManagerHandoverSchema,
  },
  frontmatterRequired: ['task-log', 'worker-handoff-log', 'manager-handoff-log'],
  titles: {
    'task-log': taskTitle,
    'worker-handoff-log': {
      ...opening(/^Implementation Agent Handover File\b/i, 'Implementation Agent Handover File - <Agent>'),
      // The agent is the one `agent_id` names, without its instance number.
      expected(doc) {
        const id = frontmatterData(doc).agent_id;
        const agent = typeof id === 'string' && id.trim() ? splitAgentId(id).agent : (doc.ids.fileAgent ?? doc.ids.folderAgent ?? '<Agent>');
        return `Implementation Agent Handover File - ${agent}`;
      },
    },
    'manager-handoff-log': opening(/^Manager Agent Handover File\b/i, 'Manager Agent Handover File - <Project>'),
    // `<Project> – APM Memory Root` (v0.5), `<Project> - APM Dynamic Memory Bank Root` (v0.4); `APM` is often left out.
    'memory-root': opening(/Memory (?:Root|Bank(?: Root)?)\s*$/i, '<Project> – APM Memory Root'),
    'implementation-plan': opening(/Implementation Plan\s*$/i, '<Project> – Implementation Plan'),
  },
  requiredSections: {
    'task-log': ['Summary', 'Details', 'Output', 'Issues', 'Next Steps'],
    'worker-handoff-log': ['Active Memory Context', 'Task Execution Context', 'Current Context', 'Working Notes'],
    'manager-handoff-log': ['Active Memory Context', 'Coordination Status', 'Next Actions', 'Working Notes'],
  },
  conditionalSections: [
    { kind: 'task-log', flag: 'compatibility_issues', section: 'Compatibility Concerns' },
    { kind: 'task-log', flag: 'ad_hoc_delegation', section: 'Ad-Hoc Agent Delegation' },
    { kind: 'task-log', flag: 'important_findings', section: 'Important Findings' },
  ],
};
