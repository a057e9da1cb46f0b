import { linkPlace } from '../../workspace/workspace.ts';
import { dialectsWhere } from '../../dialects/registry.ts';
import { defineRule } from '../rule.ts';
import { handoffWord } from '../words.ts';

const crossFileMeta = { severity: 'error', family: 'apm', crossFile: true } as const;
/** The dialects whose index holds handoff chains. */
const withChains = dialectsWhere((d) => d.indexes?.includes('chains') ?? false);

const who = (agent: string) => (agent.toLowerCase() === 'manager' ? 'the Manager' : agent);

export const handoffChainContinuity = defineRule({
  meta: {
    id: 'handoff-chain-continuity',
    description: 'Each agent\'s handoff logs are numbered 1, 2, … K with no gap and no duplicate.',
    ...crossFileMeta,
    dialects: withChains,
    kinds: ['worker-handoff-log', 'manager-handoff-log'],
  },
  checkWorkspace({ workspace, report }) {
    const word = handoffWord(workspace.root.dialect);
    for (const chain of workspace.chains) {
      let expected = 1;
      let previous: string | null = null;
      for (const link of chain.links) {
        if (link.number === null) continue;
        // Where the number is written, looked up only for a finding.
        const at = () => link.numberRange ?? link.document.source.lineRange(1);
        if (link.number < expected) {
          report(link.document, at(), `${word} ${link.number} of ${who(chain.agent)} appears twice (also ${previous})`, {
            chain: { kind: 'duplicate', agent: chain.key, from: link.number, to: link.number },
          });
          continue;
        }
        if (link.number > expected) {
          const missing = link.number - expected === 1 ? `${word} ${expected} is missing` : `${word}s ${expected}–${link.number - 1} are missing`;
          const jump = expected === 1 ? `starts at ${word} ${link.number}` : `jumps from ${word} ${expected - 1} to ${link.number}`;
          report(link.document, at(), `${who(chain.agent)}'s ${word} chain ${jump}: ${missing}`, {
            chain: { kind: 'gap', agent: chain.key, from: expected, to: link.number - 1 },
          });
        }
        expected = link.number + 1;
        previous = link.document.relPath;
      }
    }
  },
});

export const handoffChainTimestamps = defineRule({
  meta: {
    id: 'handoff-chain-timestamps',
    description: 'Timestamps never go backwards along an agent\'s handoff chain (in formats whose handoffs have one).',
    ...crossFileMeta,
    dialects: withChains,
    kinds: ['worker-handoff-log', 'manager-handoff-log'],
  },
  checkWorkspace({ workspace, report }) {
    const word = handoffWord(workspace.root.dialect);
    for (const chain of workspace.chains) {
      let last: { time: number; text: string; number: number } | null = null;
      for (const link of chain.links) {
        const text = link.timestamp?.value;
        // A time without an offset is read as UTC, so the verdict does not depend on the machine's zone.
        const time = typeof text === 'string' ? Date.parse(/(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`) : NaN;
        if (Number.isNaN(time) || link.number === null || !link.timestamp) continue; // frontmatter-schema reports bad values
        if (last && time < last.time) {
          report(link.document, link.timestamp.range, `timestamp ${text as string} is earlier than ${word} ${last.number}'s (${last.text}): a chain's timestamps never go backwards`, { chain: linkPlace(chain, link) });
        }
        if (!last || time >= last.time) last = { time, text: text as string, number: link.number };
      }
    }
  },
});

export const handoffStageExists = defineRule({
  meta: {
    id: 'handoff-stage-exists',
    description: 'The stage a handoff names (`current_stage`, or v1.0\'s `stage`) exists, as a stage folder or in the plan.',
    ...crossFileMeta,
    dialects: withChains,
    kinds: ['worker-handoff-log', 'manager-handoff-log'],
  },
  checkWorkspace({ workspace, report }) {
    const { dialect } = workspace.root;
    const known = [...workspace.stages.values()].filter((s) => s.folders.length > 0 || s.planned).map((s) => s.number).sort((a, b) => a - b);
    for (const chain of workspace.chains) {
      for (const link of chain.links) {
        const stage = link.stage;
        if (!stage) continue; // frontmatter-schema reports a missing or malformed stage
        const info = workspace.stages.get(stage.value);
        if (info && (info.folders.length > 0 || info.planned)) continue;
        const word = dialect.stageWord ?? 'Stage';
        const folder = dialect.stageFolder?.(stage.value) ?? `${word.toLowerCase()} ${stage.value} folder`;
        const heading = dialect.planStageHeading?.(stage.value) ?? `${word.toLowerCase()} ${stage.value} in the plan`;
        report(link.document, stage.range, `${word} ${stage.value} does not exist: no ${folder} and no ${heading}${known.length ? ` (${word.toLowerCase()}s: ${known.join(', ')})` : ''}`, { chain: linkPlace(chain, link) });
      }
    }
  },
});

export const handoffTasksLogged = defineRule({
  meta: {
    id: 'handoff-tasks-logged',
    description: 'Every task a handoff lists as completed this session has a task log.',
    ...crossFileMeta,
    dialects: withChains,
    // Only worker handoffs list the tasks they completed.
    kinds: ['worker-handoff-log'],
  },
  checkWorkspace({ workspace, report }) {
    for (const chain of workspace.chains) {
      for (const link of chain.links) {
        for (const cited of link.citedTasks ?? []) {
          if ((workspace.tasks.get(cited.value)?.logs.length ?? 0) > 0) continue;
          const [s, t] = cited.value.split('.').map((n) => parseInt(n, 10)) as [number, number];
          const suffix = /[a-z]$/i.exec(cited.value)?.[0].toLowerCase() ?? '';
          // A log created ahead of time (the Phase era's Manager does) and never written is not in the index.
          const empty = workspace.documents.find((d) => d.kind === 'task-log' && d.ids.stage === s && d.ids.task === t && (d.ids.taskSuffix ?? '') === suffix && !d.ids.followUp && d.source.text.trim() === '');
          const where = workspace.root.dialect.taskLogPath?.(s, t);
          const what = empty ? `its log, ${empty.relPath}, is empty` : `has no task log${where ? ` (expected ${where})` : ''}`;
          report(link.document, cited.range, `Task ${cited.value} is listed as completed but ${what}`, { chain: linkPlace(chain, link) });
        }
      }
    }
  },
});
