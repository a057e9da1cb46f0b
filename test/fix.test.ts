import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyExample, memlint, tempDir, writeTree } from './support/run.ts';

function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const visit = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) visit(p);
      else out.set(path.relative(dir, p), readFileSync(p));
    }
  };
  visit(dir);
  return out;
}

describe('memlint --fix', () => {
  it('changes only the bytes at fault, keeps a BOM and CRLF, and a second run changes nothing', () => {
    const dir = copyExample('apm-stage-defects', tempDir('fix'));
    const root = path.join(dir, '.apm/Memory/Memory_Root.md');
    const original = readFileSync(root, 'utf8').replace(/\r?\n/g, '\r\n');
    writeTree(dir, { '.apm/Memory/Memory_Root.md': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(original)]) });
    const before = snapshot(dir);

    const first = memlint([dir, '--fix', '--report', 'json']);
    expect(first.status).toBe(1); // four defects have no safe fix
    const after = snapshot(dir);
    const changed = [...after].filter(([p, b]) => !before.get(p)!.equals(b)).map(([p]) => p).sort();
    expect(changed).toEqual([
      '.apm/Memory/Handoffs/Agent_Backend_Handoffs/Agent_Backend_Handoff_Log_3.md',
      '.apm/Memory/Memory_Root.md',
      '.apm/Memory/Stage_02_Billing_Engine/Task_Log_02_03_Invoice_Editor_UI.md',
    ]);
    const fixedRoot = after.get('.apm/Memory/Memory_Root.md')!;
    expect([...fixedRoot.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(fixedRoot.subarray(3).toString()).toBe(original.replace('**Manager Handoffs:** 3', '**Manager Handoffs:** 2'));
    const handoff = '.apm/Memory/Handoffs/Agent_Backend_Handoffs/Agent_Backend_Handoff_Log_3.md';
    expect(after.get(handoff)!.toString()).toBe(before.get(handoff)!.toString().replace('Agent_Backend_Session_5', 'Agent_Backend_Session_4'));

    const remaining = JSON.parse(first.stdout) as { messages: { ruleId: string }[] }[];
    expect(remaining.flatMap((f) => f.messages.map((m) => m.ruleId)).sort()).toEqual([
      'conditional-sections',
      'handoff-chain-continuity',
      'handoff-chain-timestamps',
      'sections-required',
    ]);

    const second = memlint([dir, '--fix']);
    expect(second.status).toBe(1);
    expect([...snapshot(dir)].every(([p, b]) => after.get(p)!.equals(b))).toBe(true);
    expect(readdirSync(path.dirname(root)).filter((n) => n.includes('.tmp'))).toEqual([]);
  });

  it('never rewrites a file with invalid UTF-8', () => {
    const dir = tempDir('fix-utf8');
    const log = [
      '---',
      'agent: Agent_Api',
      'task_id: Task 1.1',
      'status: Success',
      'failure_point: Execution',
      'important_findings: false',
      'compatibility_issues: false',
      '---',
      '# Task Memory Log: Task 1.1 - Setup',
      'caf\xE9',
      '',
    ].join('\n');
    const file = '.apm/Memory/Stage_01_Setup/Task_Log_01_01_Setup.md';
    writeTree(dir, { [file]: Buffer.from(log, 'latin1') });
    const before = readFileSync(path.join(dir, file));
    const run = memlint([dir, '--fix']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/not fixing .*invalid UTF-8/);
    expect(readFileSync(path.join(dir, file)).equals(before)).toBe(true);
  });
});
