import { frontmatterData } from '../../../document.ts';
import { keyRange, replaceValue, show, valueRange } from '../../../rules/locate.ts';
import { defineRule } from '../../../rules/rule.ts';

export const taskLogStatus = defineRule({
  meta: {
    id: 'task-log-status',
    description: '`status` and `failure_point` agree: Success has none, Failed names Execution or Validation, Partial and Blocked say what went wrong.',
    severity: 'error',
    family: 'apm',
    dialects: ['apm-stage'],
    kinds: ['task-log'],
    fixable: true,
  },
  checkDocument(doc, { report }) {
    if (doc.kind !== 'task-log') return;
    const data = frontmatterData(doc);
    if (!('failure_point' in data)) return; // frontmatter-schema reports the missing key
    const status = data.status;
    const point = data.failure_point;
    // `failure_point:` with nothing after it has no value node: point at the key.
    // Looked up only for a finding (the YAML document of a fast-path block is parsed then).
    const at = () => {
      const value = valueRange(doc, 'failure_point');
      return value.start.offset === value.end.offset ? keyRange(doc, 'failure_point') : value;
    };
    if (status === 'Success' && point !== null) {
      const fix = replaceValue(doc, 'failure_point', 'null');
      report(doc, at(), `a Success task has \`failure_point: null\`, got ${show(point)}`, { expected: ['null'], ...(fix ? { fix } : {}) });
    } else if (status === 'Failed' && point !== 'Execution' && point !== 'Validation') {
      report(doc, at(), `a Failed task says where it failed: \`failure_point\` Execution or Validation, got ${show(point)}`, { expected: ['Execution', 'Validation'] });
    } else if (status === 'Partial' && point === null) {
      report(doc, at(), 'a Partial task says what is unfinished: `failure_point` Execution, Validation or a description, got null', { expected: ['Execution', 'Validation'] });
    } else if (status === 'Blocked' && (point === null || point === 'Execution' || point === 'Validation')) {
      report(doc, at(), `a Blocked task describes what blocks it in \`failure_point\`, got ${show(point)}`);
    }
  },
});
