// What the CLI tests share: the JSON report's shape, and a Stage-era task log written to order.

export interface JsonMessage {
  line: number;
  column: number;
  fatal: boolean | null | undefined;
  reason: string;
  ruleId: string;
  source: string;
  url: string;
  place?: { start: { line: number; column: number }; end: { line: number; column: number } };
}

export interface JsonFile {
  path: string;
  messages: JsonMessage[];
}

/** A complete, valid task log for `Task <id>` (fields to vary a case by). */
export function taskLog(opts: { id: string; slug: string; status?: string; failurePoint?: string; extraKey?: string }): string {
  return `---
agent: Agent_Api
task_id: Task ${opts.id}
status: ${opts.status ?? 'Success'}
failure_point: ${opts.failurePoint ?? 'null'}
important_findings: false
compatibility_issues: false
${opts.extraKey ? `${opts.extraKey}\n` : ''}---

# Task Memory Log: Task ${opts.id} - ${opts.slug}

## Summary

Did the work of Task ${opts.id}.

## Details

- Wrote the code and reviewed it.

## Output

- \`api/${opts.slug.toLowerCase()}.py\`

## Validation

- \`pytest\`: all passed.

## Issues

None

## Next Steps

- Carry on with the next task.
`;
}
