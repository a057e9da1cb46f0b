// The Phase-era dialect's reading of paths, ids and the index, and its cross-file judgements, on
// small virtual trees (the CLI-level tests of the bundled trees are in test/apm-v05-examples.test.ts).
import { describe, expect, it } from 'vitest';
import { lintWorkspace, loadVirtualRoot, type Workspace } from '@memlint/core';
import { classifyPhasePath, parseTaskRef, splitAgentId } from '../src/dialects/apm-phase/paths.ts';

const meta = { relPath: 'metadata.json', text: '{"templateVersion":"v0.5.4+templates.1"}' };
const tree = (files: Record<string, string>): Workspace =>
  loadVirtualRoot([meta, ...Object.entries(files).map(([relPath, text]) => ({ relPath, text }))]);
const findings = (ws: Workspace) =>
  [...lintWorkspace(ws)].flatMap(([doc, list]) => list.map((d) => `${doc.relPath} ${d.range.start.line}:${d.range.start.column} ${d.ruleId}`)).sort();

const log = (ref: string, flags: Partial<Record<'ad_hoc_delegation' | 'compatibility_issues' | 'important_findings', boolean>> = {}, status = 'Completed') =>
  [
    '---',
    'agent: Agent_Api',
    `task_ref: ${ref}`,
    `status: ${status}`,
    `ad_hoc_delegation: ${flags.ad_hoc_delegation ?? false}`,
    `compatibility_issues: ${flags.compatibility_issues ?? false}`,
    `important_findings: ${flags.important_findings ?? false}`,
    '---',
    '',
    `# Task Log: ${ref} - Work`,
    '',
    ...['Summary', 'Details', 'Output', 'Issues', ...(flags.ad_hoc_delegation ? ['Ad-Hoc Agent Delegation'] : []), 'Next Steps'].flatMap((s) => [`## ${s}`, 'Text.', '']),
  ].join('\n');

const handover = (agent: string, n: number, id = `${agent}_${n}`) =>
  `---\nagent_type: Implementation\nagent_id: ${id}\nhandover_number: ${n}\nlast_completed_task: Task 1.1\n---\n\n# Implementation Agent Handover File - ${agent}\n\n## Active Memory Context\nx\n\n## Task Execution Context\nx\n\n## Current Context\nx\n\n## Working Notes\nx\n`;

describe('Phase-era paths and ids', () => {
  it('reads phase folders, task files, follow-ups and handovers as real trees name them', () => {
    expect(classifyPhasePath('Memory/Phase_02_Firing/Task_2_1_Intake.md')).toEqual({ kind: 'task-log', ids: { folder: 'Phase_02_Firing', folderStage: 2, stage: 2, task: 1, slug: 'Intake' } });
    expect(classifyPhasePath('Memory/Phase_3/Task_3.2_Calendar.md').ids).toMatchObject({ folderStage: 3, stage: 3, task: 2, slug: 'Calendar' });
    expect(classifyPhasePath('Memory/Phase_02_X/Task_2_1a_Totals.md').ids).toMatchObject({ stage: 2, task: 1, taskSuffix: 'a' });
    expect(classifyPhasePath('Memory/Phase_01_X/FollowUp_1_1_Fixes.md').ids).toMatchObject({ stage: 1, task: 1, followUp: true });
    expect(classifyPhasePath('Memory/Phase_09_5_Validation/Task_Six.md')).toEqual({ kind: 'task-log', ids: { folder: 'Phase_09_5_Validation', folderStage: 9 } });
    expect(classifyPhasePath('Memory/Handovers/Agent_Api_Handovers/Agent_Api_Handover_File_2.md')).toEqual({
      kind: 'worker-handoff-log',
      ids: { folderAgent: 'Agent_Api', fileAgent: 'Agent_Api', handoff: 2, agent: 'Agent_Api' },
    });
    expect(classifyPhasePath('Memory/Handovers/Manager_Agent_Handovers/Manager_Agent_Handover_File_1.md').kind).toBe('manager-handoff-log');
    expect(classifyPhasePath('Memory/Handovers/IDE_Handovers/notes.md').kind).toBe('worker-handoff-log');
    expect(classifyPhasePath('Memory/Memory_Root.md').kind).toBe('memory-root');
    expect(classifyPhasePath('Memory_Bank.md').kind).toBe('memory-root');
    expect(classifyPhasePath('Implementation_Plan.md').kind).toBe('implementation-plan');
    expect(classifyPhasePath('Memory/Phase_01_X/notes.txt').kind).toBe('other');
  });

  it('reads task references with titles, dots, letters and follow-ups, and agent ids with their instance', () => {
    expect(parseTaskRef('Task 2.3')).toEqual({ stage: 2, task: 3, suffix: '', followUp: false });
    expect(parseTaskRef('Task_2.3_Replication')).toMatchObject({ stage: 2, task: 3 });
    expect(parseTaskRef('"Task 4.4 - Detection"'.slice(1, -1))).toMatchObject({ stage: 4, task: 4 });
    expect(parseTaskRef('Task 2.1A')).toMatchObject({ suffix: 'a' });
    expect(parseTaskRef('Follow-Up 1.1')).toMatchObject({ followUp: true });
    expect(parseTaskRef('T2.4_T2.5')).toBeNull();
    expect(parseTaskRef(2.3)).toBeNull();
    expect(splitAgentId('Agent_Orchestration_CLI_2')).toEqual({ agent: 'Agent_Orchestration_CLI', instance: 2 });
    expect(splitAgentId('Manager_9')).toEqual({ agent: 'Manager', instance: 9 });
    expect(splitAgentId('Agent_Api')).toEqual({ agent: 'Agent_Api', instance: null });
  });
});

describe('the Phase-era index and its cross-file rules', () => {
  it('a summary link is read from Memory/: ../ that leaves the tree and a link written from the repository root are reported', () => {
    const ws = tree({
      'Memory/Memory_Root.md': [
        '# P – APM Memory Root',
        '',
        '## Phase 01 – Base Summary',
        '- [ok](Phase_01_Base/Task_1_1_A.md) [encoded](Phase_01_Base/Task%5F1_1_A.md#details)',
        '- [root-relative](.apm/Memory/Phase_01_Base/Task_1_1_A.md) [out](../../../x.md) [site](https://example.com/a.md)',
        '',
      ].join('\n'),
      'Memory/Phase_01_Base/Task_1_1_A.md': log('Task 1.1'),
    });
    const summary = ws.summaries[0]!;
    expect(summary.stage).toBe(1);
    expect(summary.logs.map((l) => [l.value, l.path])).toEqual([
      ['Phase_01_Base/Task_1_1_A.md', 'Memory/Phase_01_Base/Task_1_1_A.md'],
      ['Phase_01_Base/Task%5F1_1_A.md#details', 'Memory/Phase_01_Base/Task_1_1_A.md'],
      ['.apm/Memory/Phase_01_Base/Task_1_1_A.md', 'Memory/.apm/Memory/Phase_01_Base/Task_1_1_A.md'],
      ['../../../x.md', null],
    ]);
    expect(findings(ws)).toEqual(['Memory/Memory_Root.md 5:19 memory-root-stage-logs', 'Memory/Memory_Root.md 5:66 memory-root-stage-logs']);
    // Written from the repository root and finding its log: a warning; leading out of the tree: an error.
    const severities = [...lintWorkspace(ws)].flatMap(([, list]) => list.map((d) => `${d.range.start.column} ${d.severity}`));
    expect(severities).toEqual(['19 warning', '66 error']);
    expect(summary.logs[2]!.fromRepository).toBe('Memory/Phase_01_Base/Task_1_1_A.md');
  });

  it('links written from the repository root that find their logs: one warning per file, the rest counted in its note', () => {
    const ws = tree({
      'Memory/Memory_Root.md': [
        '# P – APM Memory Root',
        '',
        '## Phase 01 – Base Summary',
        '- [a](.apm/Memory/Phase_01_Base/Task_1_1_A.md) [b](.apm/Memory/Phase_01_Base/Task_1_2_B.md) [c](.apm/Memory/Phase_01_Base/Task_1_1_A.md)',
        '',
      ].join('\n'),
      'Memory/Phase_01_Base/Task_1_1_A.md': log('Task 1.1'),
      'Memory/Phase_01_Base/Task_1_2_B.md': log('Task 1.2'),
    });
    const list = [...lintWorkspace(ws)].flatMap(([, l]) => l).filter((d) => d.ruleId === 'memory-root-stage-logs');
    expect(list.map((d) => [d.severity, d.range.start.line, d.range.start.column, d.note])).toEqual([['warning', 4, 7, '2 more links in this file are written the same way']]);
    expect(list[0]!.message).toContain('(write Phase_01_Base/Task_1_1_A.md)');
  });

  it('handover series per agent: a gap, an instance that disagrees, a number the file name contradicts (fixable)', () => {
    const ws = tree({
      'Memory/Handovers/Agent_Api_Handovers/Agent_Api_Handover_File_1.md': handover('Agent_Api', 1),
      'Memory/Handovers/Agent_Api_Handovers/Agent_Api_Handover_File_3.md': handover('Agent_Api', 3),
      'Memory/Handovers/Agent_Ui_Handovers/Agent_Ui_Handover_File_1.md': handover('Agent_Ui', 1, 'Agent_Ui_2'),
      'Memory/Handovers/Agent_Db_Handovers/Agent_Db_Handover_File_1.md': handover('Agent_Db', 2, 'Agent_Db_1'),
      'Memory/Phase_01_Base/Task_1_1_A.md': log('Task 1.1'),
    });
    expect(ws.chains.map((c) => [c.agent, c.links.map((l) => l.number)])).toEqual([
      ['Agent_Api', [1, 3]],
      ['Agent_Db', [2]],
      ['Agent_Ui', [1]],
    ]);
    const all = [...lintWorkspace(ws)].flatMap(([doc, list]) => list.map((d) => ({ file: doc.relPath.split('/').pop(), rule: d.ruleId, message: d.message, fix: Boolean(d.fix) })));
    expect(all.filter((d) => d.rule === 'handoff-chain-continuity').map((d) => d.file)).toEqual(['Agent_Api_Handover_File_3.md', 'Agent_Db_Handover_File_1.md']);
    const instances = all.filter((d) => d.rule === 'handoff-instances').sort((a, b) => a.file!.localeCompare(b.file!));
    expect(instances).toEqual([
      { file: 'Agent_Db_Handover_File_1.md', rule: 'handoff-instances', message: expect.stringMatching(/^`handover_number: 2` disagrees with the file name/), fix: true },
      { file: 'Agent_Ui_Handover_File_1.md', rule: 'handoff-instances', message: expect.stringContaining('set `agent_id: Agent_Ui_1`'), fix: false },
    ]);
  });

  it('task ids: a letter keeps two tasks apart, a second log of one id is a duplicate, a follow-up is not', () => {
    const ws = tree({
      'Implementation_Plan.md': '# P – Implementation Plan\n\n## Phase 1: Base\n\n### Task 1.1 – Work - Agent_Api\n\n### Task 1.2a – Split │ Agent_Api\n\n### Task 1.2b – Split | Agent_Api\n',
      'Memory/Phase_01_Base/Task_1_1_Work.md': log('Task 1.1'),
      'Memory/Phase_01_Base/Task_1_1_Old_Name.md': log('Task 1.1'),
      'Memory/Phase_01_Base/FollowUp_1_1_More.md': log('Follow-Up 1.1'),
      'Memory/Phase_01_Base/Task_1_2a_Split.md': log('Task 1.2a'),
      'Memory/Phase_01_Base/Task_1_2b_Split.md': log('Task 1.2b'),
    });
    expect([...ws.tasks.keys()].sort()).toEqual(['1.1', '1.2a', '1.2b']);
    expect(ws.tasks.get('1.2a')!.planned?.title).toBe('Split');
    expect(findings(ws)).toEqual(['Memory/Phase_01_Base/Task_1_1_Old_Name.md 3:11 task-log-duplicate']);
  });

  it('an empty log waits while its phase is in progress, and is one warning once the phase is over', () => {
    const files = {
      'Implementation_Plan.md': '# P – Implementation Plan\n\n## Phase 1: Base\n\n### Task 1.1 – Work - Agent_Api\n\n### Task 1.2 – More - Agent_Api\n',
      'Memory/Memory_Root.md': '# P – APM Memory Root\n',
      'Memory/Phase_01_Base/Task_1_1_Work.md': log('Task 1.1'),
      'Memory/Phase_01_Base/Task_1_2_More.md': '',
    };
    expect(findings(tree(files))).toEqual([]);
    const later = tree({ ...files, 'Memory/Phase_02_Next/Task_2_1_Next.md': log('Task 2.1') });
    expect(findings(later)).toEqual([
      'Memory/Memory_Root.md 1:1 phase-summary-present',
      'Memory/Phase_01_Base/Task_1_2_More.md 1:1 task-log-empty',
      'Memory/Phase_02_Next/Task_2_1_Next.md 3:11 task-planned',
    ]);
  });

  it('a phase whose planned tasks all have Completed logs needs its summary, a phase in progress does not', () => {
    const plan = '# P – Implementation Plan\n\n## Phase 1: Base\n\n### Task 1.1 – Work - Agent_Api\n\n### Task 1.2 – More - Agent_Api\n';
    const base = { 'Implementation_Plan.md': plan, 'Memory/Memory_Root.md': '# P – APM Memory Root\n', 'Memory/Phase_01_Base/Task_1_1_Work.md': log('Task 1.1') };
    expect(findings(tree({ ...base, 'Memory/Phase_01_Base/Task_1_2_More.md': log('Task 1.2', {}, 'Partial') }))).toEqual([]);
    expect(findings(tree({ ...base, 'Memory/Phase_01_Base/Task_1_2_More.md': log('Task 1.2') }))).toEqual(['Memory/Memory_Root.md 1:1 phase-summary-present']);
  });

  it('the conditional Ad-Hoc Agent Delegation section follows its flag', () => {
    const ws = tree({
      'Memory/Phase_01_Base/Task_1_1_A.md': log('Task 1.1', { ad_hoc_delegation: true }),
      'Memory/Phase_01_Base/Task_1_2_B.md': log('Task 1.2').replace('ad_hoc_delegation: false', 'ad_hoc_delegation: true'),
    });
    expect(findings(ws)).toEqual(['Memory/Phase_01_Base/Task_1_2_B.md 5:20 conditional-sections']);
  });
});
