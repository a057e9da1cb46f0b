import type { MemoryDocument } from '../../../document.ts';
import { editDistance } from '../../../rules/locate.ts';
import { longestIncreasing } from '../../../rules/order.ts';
import { defineRule } from '../../../rules/rule.ts';
import { dumpEvidence, findReflections, splitLabel, type Reflection, type ReflectionLabel } from '../reflection.ts';

// A Framework Reflection can sit in any markdown file, inside an APM tree too (a handoff log that
// ends with one gets both families' findings): the reflection rules run in every dialect, on every kind.
const meta = { severity: 'error', family: 'aops', dialects: ['apm-stage', 'apm-v1', 'apm-phase', 'apm-v03', 'aops', 'unknown'], kinds: 'all' } as const;
const label = (reflection: Reflection, key: string): ReflectionLabel | undefined => reflection.labels.find((l) => l.key === key);
const isNone = (value: string) => /^(?:none|n\/a|nothing|none needed|no(?:ne)? next step|-|—)\s?\.?$/i.test(value.trim());
const OUTCOMES = ['success', 'partial', 'failure'] as const;

/** The outcome a block states, lower-cased, when it is one of the three. */
export function outcomeOf(reflection: Reflection): (typeof OUTCOMES)[number] | null {
  const value = label(reflection, 'Outcome')?.firstValue.trim().toLowerCase().replace(/[.*`]/g, '');
  return OUTCOMES.find((o) => o === value) ?? null;
}

const each = (doc: MemoryDocument, visit: (r: Reflection) => void) => {
  for (const r of findReflections(doc)) visit(r);
};

export const reflectionHeading = defineRule({
  meta: {
    ...meta,
    severity: 'warning',
    id: 'reflection-heading',
    description: 'A Framework Reflection opens with the heading `## Framework Reflection`, not a bold line, bare text or an H3/H4.',
    fixable: true,
  },
  checkDocument(doc, { report }) {
    each(doc, (r) => {
      if (r.form === 'h2') return;
      const range = r.openerRange;
      const fixable = r.form === 'h3' || r.form === 'h4' || r.form === 'bold';
      const what = { h3: 'an H3', h4: 'an H4', bold: 'a bold line', 'bold-inline': 'a bold lead-in with text after it', bare: 'plain text' }[r.form];
      report(doc, range, `the reflection opens with ${what}: write the heading \`## Framework Reflection\` (the form aops documents; the others are tolerated drift)`, {
        expected: ['## Framework Reflection'],
        ...(fixable ? { fix: [{ start: range.start.offset, end: range.end.offset, text: '## Framework Reflection' }] } : {}),
      });
    });
  },
});

export const reflectionLabels = defineRule({
  meta: {
    ...meta,
    id: 'reflection-labels',
    description: 'A full Framework Reflection has every label its profile requires, in order.',
  },
  checkDocument(doc, { report, settings }) {
    const { profile } = settings;
    each(doc, (r) => {
      if (r.quickExit && r.labels.length === 0) return; // reflection-quick-exit judges it
      const present = profile.required.map((key) => r.labels.findIndex((l) => l.key === key));
      for (const [i, key] of profile.required.entries()) {
        if (present[i] === -1) {
          report(doc, r.openerRange, `the reflection lacks \`**${key}**:\` (profile ${profile.id} requires ${profile.required.join(', ')})`);
        }
      }
      const inOrder = longestIncreasing(present.map((at, i) => ({ at, i })).filter((x) => x.at !== -1));
      for (const [i, key] of profile.required.entries()) {
        if (present[i] === -1 || inOrder.has(i)) continue;
        const before = profile.required.slice(0, i).filter((_, k) => inOrder.has(k)).at(-1);
        report(doc, r.labels[present[i]!]!.labelRange, `\`**${key}**\` is out of order: it belongs ${before ? `after \`**${before}**\`` : 'first'} (${profile.required.join(' → ')})`);
      }
    });
  },
});

export const reflectionLabelFormat = defineRule({
  meta: {
    ...meta,
    id: 'reflection-label-format',
    description: 'Each reflection label is written `**Label**: value` at the start of its own line, which is the only form the aops parser reads.',
    fixable: true,
  },
  checkDocument(doc, { report }) {
    each(doc, (r) => {
      for (const l of r.labels) {
        if (l.colonInside) {
          const text = doc.source.text.slice(l.labelRange.start.offset, l.labelRange.end.offset);
          // `**Root cause (if not success):**` → `**Root cause** (if not success):`
          // The label holds no `*`, so the first `**` after the opening one closes it.
          const close = text.indexOf('**', 2);
          const { name, note } = splitLabel(text.slice(2, close));
          const fixed = name && close !== -1 ? `**${name}**${note}:${text.slice(close + 2).replace(/^:/, '')}` : null;
          report(doc, l.labelRange, `write \`**${l.raw || '<label>'}**:\` with the colon after the bold: aops does not read \`**${l.raw}:**\``, {
            ...(fixed ? { expected: [fixed], fix: [{ start: l.labelRange.start.offset, end: l.labelRange.end.offset, text: fixed }] } : {}),
          });
        } else if (l.colonMissing) {
          report(doc, l.labelRange, `\`**${l.raw}**\` needs a colon after it: \`**${l.raw}**: value\``);
        }
      }
      for (const inline of r.inlineLabels) {
        report(doc, inline.range, `\`**${inline.raw}**:\` shares a line with other text: each label starts its own line, or aops reads it as part of the value before it`);
      }
    });
  },
});

export const reflectionUnknownLabel = defineRule({
  meta: {
    ...meta,
    severity: 'warning',
    id: 'reflection-unknown-label',
    description: 'Labels the reflection profile does not define, and older spellings of the ones it does, are reported.',
    fixable: true,
  },
  checkDocument(doc, { report, settings }) {
    const known = settings.profile.known;
    each(doc, (r) => {
      for (const l of r.labels) {
        if (l.key && known.includes(l.key) && !l.alias) continue;
        const name = doc.source.text.slice(l.labelRange.start.offset, l.labelRange.end.offset);
        if (l.key && known.includes(l.key)) {
          const fixed = name.replace(l.raw, l.key);
          report(doc, l.labelRange, `\`**${l.raw}**\` is an older spelling: write \`**${l.key}**\``, {
            expected: [fixed],
            fix: [{ start: l.labelRange.start.offset, end: l.labelRange.end.offset, text: fixed }],
          });
          continue;
        }
        const guess = known.map((k) => ({ k, d: editDistance(k.toLowerCase(), l.raw.toLowerCase()) })).sort((a, b) => a.d - b.d)[0];
        const hint = guess && guess.d <= 3 ? `: did you mean \`**${guess.k}**\`?` : ` (profile ${settings.profile.id} knows ${known.join(', ')})`;
        report(doc, l.labelRange, `unknown reflection label \`**${l.raw}**\`${hint}`, guess && guess.d <= 3 ? { expected: [name.replace(l.raw, guess.k)] } : {});
      }
    });
  },
});

export const reflectionQuickExit = defineRule({
  meta: {
    ...meta,
    id: 'reflection-quick-exit',
    description: 'The Quick Exit (`Answered user\'s question: "…"`) stands alone, and only for a session that changed nothing.',
  },
  checkDocument(doc, { report, settings }) {
    each(doc, (r) => {
      if (!r.quickExit) return;
      if (r.labels.length > 0) {
        report(doc, r.quickExit.range, 'a Quick Exit stands alone: this reflection also has labels, so drop the Quick Exit line or the labels');
        return;
      }
      if (r.otherLines.length > 0) {
        report(doc, doc.source.lineRange(r.otherLines[0]!), 'a Quick Exit reflection holds only the `Answered user\'s question: "…"` line; anything more calls for the full form');
      }
      const dump = dumpEvidence(doc, r, settings.dumpSignals);
      if (dump) {
        report(doc, r.quickExit.range, `a Quick Exit says the session changed nothing, but this is a dump (${dump.detail}): write the full reflection with **Outcome**: partial`);
      }
    });
  },
});

export const reflectionOutcome = defineRule({
  meta: { ...meta, id: 'reflection-outcome', description: '`**Outcome**:` is one of success, partial or failure, in lower case.', fixable: true },
  checkDocument(doc, { report }) {
    each(doc, (r) => {
      const l = label(r, 'Outcome');
      if (!l) return;
      const value = l.firstValue.trim();
      if ((OUTCOMES as readonly string[]).includes(value)) return;
      const plain = value.toLowerCase().replace(/[.*`]/g, '');
      const match = OUTCOMES.find((o) => o === plain);
      const ranked = [...OUTCOMES].sort((a, b) => editDistance(a, plain) - editDistance(b, plain));
      const how = match ? (value.toLowerCase() === match ? ' in lower case' : ' with nothing around it') : '';
      const onLine = l.value.trim() !== '';
      report(doc, onLine ? l.valueRange : l.labelRange, `\`**Outcome**:\` must be success, partial or failure${how}, got ${value ? `"${value}"` : 'nothing'}`, {
        expected: ranked,
        ...(match && onLine ? { fix: [{ start: l.valueRange.start.offset, end: l.valueRange.end.offset, text: match }] } : {}),
      });
    });
  },
});

export const reflectionDumpOutcome = defineRule({
  meta: { ...meta, id: 'reflection-dump-outcome', description: 'A dump (an emergency handover: work incomplete) reports `**Outcome**: partial`.', fixable: true },
  checkDocument(doc, { report, settings }) {
    each(doc, (r) => {
      const l = label(r, 'Outcome');
      if (!l || r.quickExit) return;
      const dump = dumpEvidence(doc, r, settings.dumpSignals);
      if (!dump || outcomeOf(r) === 'partial' || !outcomeOf(r)) return;
      report(doc, l.valueRange, `expected "partial" for a dump, got "${l.value.trim()}": ${dump.detail}, so the work is unfinished`, {
        expected: ['partial'],
        fix: [{ start: l.valueRange.start.offset, end: l.valueRange.end.offset, text: 'partial' }],
      });
    });
  },
});

export const reflectionRootCause = defineRule({
  meta: { ...meta, id: 'reflection-root-cause', description: 'A reflection whose outcome is not success says why in `**Root cause**:`.' },
  checkDocument(doc, { report }) {
    each(doc, (r) => {
      const outcome = outcomeOf(r);
      if (!outcome || outcome === 'success') return;
      const l = label(r, 'Root cause');
      if (!l) {
        report(doc, label(r, 'Outcome')!.lineRange, `the outcome is ${outcome}, so the reflection needs \`**Root cause**:\` saying why the work could not finish`);
      } else if (!l.fullValue.trim() || isNone(l.fullValue)) {
        const got = l.fullValue.trim();
        report(doc, l.value ? l.valueRange : l.labelRange, `the outcome is ${outcome}: \`**Root cause**:\` must say why, got ${got ? `"${got}"` : 'nothing'}`);
      }
    });
  },
});

export const reflectionFollowed = defineRule({
  meta: { ...meta, id: 'reflection-followed', description: '`**Followed**:` starts with Yes, No or Partial.' },
  checkDocument(doc, { report }) {
    each(doc, (r) => {
      const l = label(r, 'Followed');
      if (!l || /^(?:yes|no|partial)\b/i.test(l.firstValue.trim())) return;
      const got = l.firstValue.trim();
      report(doc, l.value ? l.valueRange : l.labelRange, `\`**Followed**:\` starts with Yes, No or Partial (then an explanation), got ${got ? `"${got}"` : 'nothing'}`, {
        expected: ['Yes', 'Partial', 'No'],
      });
    });
  },
});

/** The task id shapes aops uses: `aops-76d1d793`, `task-a1b2c3`, `20260114-fix-parser`, `pkb_0a1b2c3d`. */
export const TASK_ID = /\b(?:task-[0-9a-f]{6,}|[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*[-_][0-9a-f]{8}|\d{8}-[a-z0-9][a-z0-9-]*)\b/g;

/** A date such as 20260315 has the shape of 8 hex digits but names no task. */
const DATE8 = /(?:^|[-_])(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$/;

/** Whether a text names a task id (dates that look like ids do not count). */
export function namesTaskId(text: string): boolean {
  return [...text.matchAll(TASK_ID)].some((m) => !DATE8.test(m[0]) || /^\d{8}-/.test(m[0]));
}

export const reflectionNextStep = defineRule({
  meta: { ...meta, id: 'reflection-next-step', description: '`**Next step**:` names the task the next session resumes (a task id), or says none.' },
  checkDocument(doc, { report }) {
    each(doc, (r) => {
      const l = label(r, 'Next step');
      if (!l || isNone(l.fullValue) || namesTaskId(l.fullValue)) return;
      report(doc, l.value ? l.valueRange : l.labelRange, '`**Next step**:` names no task id: file the next step as a task and name it (e.g. `aops-1f2e3d4c`), or write "none"');
    });
  },
});

export const reflectionRules = [
  reflectionHeading,
  reflectionLabels,
  reflectionLabelFormat,
  reflectionUnknownLabel,
  reflectionQuickExit,
  reflectionOutcome,
  reflectionDumpOutcome,
  reflectionRootCause,
  reflectionFollowed,
  reflectionNextStep,
];
