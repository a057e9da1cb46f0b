import { findField, frontmatterData } from '../../../document.ts';
import { valueRange } from '../../../rules/locate.ts';
import { defineRule } from '../../../rules/rule.ts';
import { parseStageLabel } from '../paths.ts';
import { h2Index } from './sections-required.ts';

const who = (agent: string) => (agent === 'Manager' ? 'the Manager' : agent);

export const handoffChainContinuity = defineRule({
  meta: {
    id: 'handoff-chain-continuity',
    description: 'Each agent\'s handoff logs are numbered 1, 2, … K with no gap and no duplicate.',
    severity: 'error',
    family: 'apm',
    dialects: ['apm-stage'],
    crossFile: true,
  },
  checkWorkspace({ workspace, report }) {
    for (const chain of workspace.chains) {
      let expected = 1;
      let previous: string | null = null;
      for (const link of chain.links) {
        if (link.number === null) continue;
        const at = valueRange(link.document, 'handoff_number');
        if (link.number < expected) {
          report(link.document, at, `handoff ${link.number} of ${who(chain.agent)} appears twice (also ${previous})`);
          continue;
        }
        if (link.number > expected) {
          const missing = link.number - expected === 1 ? `handoff ${expected} is missing` : `handoffs ${expected}–${link.number - 1} are missing`;
          const jump = expected === 1 ? `starts at handoff ${link.number}` : `jumps from handoff ${expected - 1} to ${link.number}`;
          report(link.document, at, `${who(chain.agent)}'s handoff chain ${jump}: ${missing}`);
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
    description: 'Timestamps never go backwards along an agent\'s handoff chain.',
    severity: 'error',
    family: 'apm',
    dialects: ['apm-stage'],
    crossFile: true,
  },
  checkWorkspace({ workspace, report }) {
    for (const chain of workspace.chains) {
      let last: { time: number; text: string; number: number } | null = null;
      for (const link of chain.links) {
        const text = frontmatterData(link.document).timestamp;
        // A time without an offset is read as UTC, so the verdict does not depend on the machine's zone.
        const time = typeof text === 'string' ? Date.parse(/(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`) : NaN;
        if (Number.isNaN(time) || link.number === null) continue; // frontmatter-schema reports bad values
        if (last && time < last.time) {
          report(link.document, valueRange(link.document, 'timestamp'), `timestamp ${text as string} is earlier than handoff ${last.number}'s (${last.text}): a chain's timestamps never go backwards`);
        }
        if (!last || time >= last.time) last = { time, text: text as string, number: link.number };
      }
    }
  },
});

export const handoffStageExists = defineRule({
  meta: {
    id: 'handoff-stage-exists',
    description: 'The stage a handoff names in current_stage exists, as a Stage_<N> folder or in the Implementation Plan.',
    severity: 'error',
    family: 'apm',
    dialects: ['apm-stage'],
    crossFile: true,
  },
  checkDocument(doc, { workspace, report }) {
    if (doc.kind !== 'worker-handoff-log' && doc.kind !== 'manager-handoff-log') return;
    const value = frontmatterData(doc).current_stage;
    const stage = typeof value === 'string' ? parseStageLabel(value) : null;
    if (!stage) return; // frontmatter-schema reports it
    const info = workspace.stages.get(stage.number);
    if (info && (info.folders.length > 0 || info.planned)) return;
    const known = [...workspace.stages.keys()].sort((a, b) => a - b);
    report(
      doc,
      valueRange(doc, 'current_stage'),
      `Stage ${stage.number} does not exist: no Memory/Stage_${String(stage.number).padStart(2, '0')}_* folder and no \`## Stage ${stage.number}:\` in the Implementation Plan${known.length ? ` (stages: ${known.join(', ')})` : ''}`,
    );
  },
});

export const handoffTasksLogged = defineRule({
  meta: {
    id: 'handoff-tasks-logged',
    description: 'Every task a handoff lists under Tasks Completed This Session has a task log.',
    severity: 'error',
    family: 'apm',
    dialects: ['apm-stage'],
    crossFile: true,
  },
  checkDocument(doc, { workspace, report }) {
    if (doc.kind !== 'worker-handoff-log') return;
    const section = h2Index(doc, 'Session Summary');
    const field = findField(doc, 'Tasks Completed This Session', section === -1 ? undefined : section);
    if (!field) return;
    const base = field.valueRange.start.offset;
    for (const m of field.value.matchAll(/\bTask\s+(\d+)\.(\d+)\b/g)) {
      const id = `${Number(m[1])}.${Number(m[2])}`;
      if ((workspace.tasks.get(id)?.logs.length ?? 0) > 0) continue;
      const pad = (s: string) => s.padStart(2, '0');
      report(
        doc,
        doc.source.rangeAt(base + m.index, base + m.index + m[0].length),
        `Task ${id} is listed as completed but has no task log (expected Memory/Stage_${pad(m[1]!)}_*/Task_Log_${pad(m[1]!)}_${pad(m[2]!)}_*.md)`,
      );
    }
  },
});
