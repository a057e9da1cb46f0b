import { frontmatterData } from '../../../document.ts';
import { replaceValue, show, valueRange } from '../../../rules/locate.ts';
import { defineRule } from '../../../rules/rule.ts';
import { chainPlace } from '../../../workspace/workspace.ts';

/** `<agent>_Session_<N>` → `<agent>_Session_<N+1>`: the handoff number is the outgoing session. */
export const handoffSessionNames = defineRule({
  meta: {
    id: 'handoff-session-names',
    description: 'A handoff from Session N goes to Session N+1, with N the handoff number and the agent id in both names.',
    severity: 'error',
    family: 'apm',
    dialects: ['apm-stage'],
    kinds: ['worker-handoff-log', 'manager-handoff-log'],
    fixable: true,
  },
  checkDocument(doc, { workspace, report }) {
    if (doc.kind !== 'worker-handoff-log' && doc.kind !== 'manager-handoff-log') return;
    const data = frontmatterData(doc);
    const n = data.handoff_number;
    if (!Number.isInteger(n) || (n as number) < 1) return; // frontmatter-schema reports it
    const worker = doc.kind === 'worker-handoff-log';
    const prefix = worker ? data.agent_id : 'Manager';
    if (typeof prefix !== 'string' || !prefix) return;
    const fields = worker ? (['outgoing_worker', 'incoming_worker'] as const) : (['outgoing_manager', 'incoming_manager'] as const);
    fields.forEach((key, i) => {
      const got = data[key];
      if (got === undefined) return; // frontmatter-schema reports a missing key
      const want = `${prefix}_Session_${(n as number) + i}`;
      if (got === want) return;
      const role = i === 0 ? 'the session writing handoff' : 'the session after handoff';
      const fix = replaceValue(doc, key, want);
      report(doc, valueRange(doc, key), `\`${key}\` must be ${want} (${role} ${n as number}), got ${show(got)}`, {
        expected: [want],
        ...(fix ? { fix } : {}),
        chain: chainPlace(workspace, doc),
      });
    });
  },
});
