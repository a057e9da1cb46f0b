// What the CLI tests share: the JSON report's shape, and Stage-era logs written to order.

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

/** A complete, valid worker handoff log: Agent_Api's first handoff, in Stage 1. */
export const handoffLog = `---
agent_id: Agent_Api
outgoing_worker: Agent_Api_Session_1
incoming_worker: Agent_Api_Session_2
handoff_number: 1
current_stage: Stage 1 - Setup
timestamp: 2026-03-02T09:15:00Z
---

# Worker Agent Handoff Memory Log

## Session Summary

**Tasks Completed This Session:** 1 (Task 1.1)
**Current Stage:** Stage 1 - Setup
**Stage Progress:** 1/2

## Working Context

- The API lives in \`api/\` with one router per resource.
- The User wants every migration read by hand before it is committed.

## Technical Notes

- Tests run with \`make test\` against a throwaway database.

## Continuation Guidance

- Task 1.2 builds on the schema from Task 1.1.
`;

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
