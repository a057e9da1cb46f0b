import { findField, frontmatterData } from '../../../document.ts';
import { defineRule } from '../../../rules/rule.ts';
import { parseStageLabel } from '../paths.ts';
import { h2Index } from '../../../markdown/sections.ts';

const LABELS = ['Tasks Completed This Session', 'Current Stage', 'Stage Progress'] as const;

/** Stage names compare without case, dash style or extra spaces. */
export function sameStage(a: string, b: string): boolean {
  const pa = parseStageLabel(a);
  const pb = parseStageLabel(b);
  if (!pa || !pb) return false;
  const name = (s: string | null) => (s ?? '').toLowerCase().replace(/[\s_]+/g, ' ').trim();
  return pa.number === pb.number && (pa.name === null || pb.name === null || name(pa.name) === name(pb.name));
}

export const handoffSessionSummary = defineRule({
  meta: {
    id: 'handoff-session-summary',
    description: 'A worker handoff\'s Session Summary gives Tasks Completed This Session, Current Stage (as in `current_stage`) and Stage Progress X/Y.',
    severity: 'error',
    family: 'apm',
    dialects: ['apm-stage'],
    kinds: ['worker-handoff-log'],
  },
  checkDocument(doc, { report }) {
    if (doc.kind !== 'worker-handoff-log') return;
    const section = h2Index(doc, 'Session Summary');
    if (section === -1) return; // sections-required reports it
    const heading = doc.sections[section]!.heading;
    for (const label of LABELS) {
      if (!findField(doc, label, section)) report(doc, heading.range, `Session Summary lacks \`**${label}:**\` on a line of its own`);
    }
    const stage = findField(doc, 'Current Stage', section);
    const declared = frontmatterData(doc).current_stage;
    if (stage && typeof declared === 'string' && parseStageLabel(declared)) {
      if (!parseStageLabel(stage.value)) {
        report(doc, stage.valueRange, `Current Stage must read \`Stage <N> - <Name>\`, got "${stage.value}"`, { expected: [declared] });
      } else if (!sameStage(stage.value, declared)) {
        report(doc, stage.valueRange, `Current Stage "${stage.value}" disagrees with current_stage "${declared}" in the frontmatter`, { expected: [declared] });
      }
    }
    const progress = findField(doc, 'Stage Progress', section);
    if (progress) {
      const m = /^(\d+)\s*\/\s*(\d+)\b/.exec(progress.value);
      if (!m) report(doc, progress.valueRange, `Stage Progress must be X/Y (tasks done of this worker's tasks in the stage), got "${progress.value}"`);
      else if (Number(m[1]) > Number(m[2])) report(doc, progress.valueRange, `Stage Progress ${m[1]}/${m[2]} counts more tasks done than the stage has (X must be ≤ Y)`);
      else if (Number(m[2]) === 0) report(doc, progress.valueRange, `Stage Progress ${m[1]}/${m[2]}: a stage with work in it has at least one task`);
    }
  },
});
