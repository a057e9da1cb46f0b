import { frontmatterData } from '../../document.ts';
import { findSection } from '../../document.ts';
import { linkPlace, type Claim } from '../../workspace/workspace.ts';
import { valueRange } from '../locate.ts';
import type { IndexPart } from '../../dialects/dialect.ts';
import { dialectsWhere } from '../../dialects/registry.ts';
import { defineRule } from '../rule.ts';
import { handoffWord } from '../words.ts';

const crossFileMeta = { severity: 'error', family: 'apm', crossFile: true } as const;
const withIndex = (part: IndexPart) => dialectsWhere((d) => d.indexes?.includes(part) ?? false);

const plain = (text: string) => text.replace(/[`*_~]/g, '').trim();

/** How a file states a claim (`handoff: 3`, or the format's own form, `agent_id: Agent_Backend_3`), with its own value or another. */
const said = (claim: Claim<number>, key: string, value = claim.value) => (claim.written ? claim.written(value) : `${key}: ${value}`);

export const handoffInstances = defineRule({
  meta: {
    id: 'handoff-instances',
    description: 'A handoff goes from instance N to N+1, with N its handoff number and its file number (in formats that state the numbers).',
    ...crossFileMeta,
    dialects: withIndex('instances'),
    kinds: ['worker-handoff-log', 'manager-handoff-log'],
    fixable: true,
  },
  checkWorkspace({ workspace, report }) {
    const word = handoffWord(workspace.root.dialect);
    for (const chain of workspace.chains) {
      for (const link of chain.links) {
        const { document: doc, outgoing, incoming } = link;
        if (!outgoing) continue; // a format without instance numbers, or frontmatter-schema's finding
        const stated = link.stated ?? null;
        const file = link.fileNumber ?? null;
        if (stated && file !== null && stated.value !== file) {
          // The file name is what the chain is read by: the number follows it.
          report(doc, stated.range, `\`${said(stated, 'handoff')}\` disagrees with the file name ${doc.relPath.split('/').pop()} (${word} ${file})`, {
            chain: linkPlace(chain, link),
            expected: [String(file)],
            fix: [{ start: stated.range.start.offset, end: stated.range.end.offset, text: String(file) }],
          });
        }
        const handoffValue = stated?.value ?? null;
        const number = file ?? handoffValue;
        if (number !== null && outgoing.value !== number) {
          // Either the instance or the number is wrong: both are plausible, so there is no fix.
          const renumber = outgoing.value >= 1 ? `, or renumber the ${word} to ${outgoing.value}` : '';
          report(doc, outgoing.range, `\`${said(outgoing, 'outgoing')}\` but this is ${word} ${number}: the instance that writes ${word} N is instance N (set \`${said(outgoing, 'outgoing', number)}\`${renumber})`, {
            expected: [String(number)],
            chain: linkPlace(chain, link),
          });
        }
        if (incoming && incoming.value !== outgoing.value + 1) {
          report(doc, incoming.range, `\`incoming: ${incoming.value}\` must be \`outgoing\` + 1 = ${outgoing.value + 1}: instance ${outgoing.value} hands over to instance ${outgoing.value + 1}`, {
            expected: [String(outgoing.value + 1)],
            chain: linkPlace(chain, link),
            fix: [{ start: incoming.range.start.offset, end: incoming.range.end.offset, text: String(outgoing.value + 1) }],
          });
        }
      }
    }
  },
});

export const trackerWorkerInstance = defineRule({
  meta: {
    id: 'tracker-worker-instance',
    description: 'The tracker\'s Worker Tracking instance of each worker is the incoming instance of its last handoff (1 before any handoff).',
    ...crossFileMeta,
    dialects: withIndex('tracker'),
    kinds: ['tracker'],
  },
  checkWorkspace({ workspace, report }) {
    for (const row of workspace.trackerInstances) {
      const chain = workspace.chains.find((c) => c.role === 'worker' && c.key === row.key);
      const last = chain?.links.filter((l) => l.number !== null).at(-1);
      const expected = last ? (last.incoming?.value ?? (last.outgoing ? last.outgoing.value + 1 : last.number! + 1)) : 1;
      const why = last ? `its last handoff (${last.document.relPath}) hands over to instance ${expected}` : 'it has no handoff log yet';
      if (!row.instance) {
        report(row.document, row.raw.range, `the Worker Tracking instance of ${row.agent} is ${JSON.stringify(row.raw.value)}, not a number: ${why}`, { expected: [String(expected)] });
      } else if (row.instance.value !== expected) {
        report(row.document, row.instance.range, `the tracker says ${row.agent} is instance ${row.instance.value}, but ${why}`, { expected: [String(expected)] });
      }
    }
  },
});

export const trackerDoneLogged = defineRule({
  meta: {
    id: 'tracker-done-logged',
    description: 'Every task the tracker marks Done has a task log.',
    ...crossFileMeta,
    dialects: withIndex('tracker'),
    kinds: ['tracker'],
  },
  checkWorkspace({ workspace, report }) {
    for (const row of workspace.trackerTasks) {
      if (!/^done\b/i.test(plain(row.status.value))) continue;
      if ((workspace.tasks.get(row.id)?.logs.length ?? 0) > 0) continue;
      const [s, t] = row.id.split('.').map(Number) as [number, number];
      const where = workspace.root.dialect.taskLogPath?.(s, t);
      report(row.document, row.status.range, `Task ${row.id} is Done in the tracker but has no task log${where ? ` (expected ${where})` : ''}`);
    }
  },
});

export const stageSummaryPresent = defineRule({
  meta: {
    id: 'stage-summary-present',
    description: 'A stage the tracker shows complete, and that has task logs, has a summary in the memory index.',
    ...crossFileMeta,
    dialects: withIndex('tracker').filter((id) => withIndex('stage-summaries').includes(id)),
    kinds: ['memory-index'],
  },
  checkWorkspace({ workspace, report }) {
    const index = workspace.documents.find((d) => d.kind === 'memory-index');
    if (!index || !workspace.provides.tracker) return;
    const summarised = new Set(workspace.summaries.map((s) => s.stage));
    const complete = new Set(workspace.trackerStages.map((s) => s.stage));
    // A stage whose tracked tasks are all Done is complete too, collapsed or not.
    const byStage = new Map<number, boolean>();
    for (const row of workspace.trackerTasks) {
      const stage = Number(row.id.split('.')[0]);
      byStage.set(stage, (byStage.get(stage) ?? true) && /^done\b/i.test(plain(row.status.value)));
    }
    for (const [stage, done] of byStage) if (done) complete.add(stage);
    const at = findSection(index, 'Stage Summaries', 2);
    const range = at !== -1 ? index.sections[at]!.heading.range : (index.title?.range ?? index.source.lineRange(1));
    for (const stage of [...complete].sort((a, b) => a - b)) {
      const logs = [...workspace.tasks.values()].filter((t) => t.stage === stage && t.logs.length > 0);
      if (logs.length === 0 || summarised.has(stage)) continue;
      report(index, range, `Stage ${stage} is complete in the tracker and has ${logs.length} task log${logs.length === 1 ? '' : 's'}, but the index has no \`### Stage ${stage} - …\` summary`);
    }
  },
});

export const taskPlanned = defineRule({
  meta: {
    id: 'task-planned',
    description: 'Every task log is for a task the plan declares.',
    ...crossFileMeta,
    // Where the plan declares every task before it is dispatched (v1.0, the Phase era); the Stage era is left as it was.
    dialects: withIndex('plan-tasks'),
    kinds: ['task-log'],
  },
  checkWorkspace({ workspace, report }) {
    if (!workspace.provides.plan) return;
    for (const task of workspace.tasks.values()) {
      if (task.planned) continue;
      for (const log of task.logs) {
        const data = frontmatterData(log);
        const key = ['task', 'task_ref'].find((k) => k in data);
        const range = key ? valueRange(log, key) : (log.title?.range ?? log.source.lineRange(1));
        const heading = workspace.root.dialect.planTaskHeading?.(task.id) ?? `\`### Task ${task.id}\` in the plan`;
        report(log, range, `Task ${task.id} is not in the plan: there is no ${heading}`);
      }
    }
  },
});
