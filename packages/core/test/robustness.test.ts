import { describe, expect, it } from 'vitest';
import { fixWorkspace, lintWorkspace, loadVirtualRoot, parseDocument, sourceFromString, type Diagnostic } from '@memlint/core';

const TASK = 'Memory/Stage_01_Setup/Task_Log_01_01_Schema.md';
const taskLog = (front: string[], body = '') =>
  [
    '---',
    'agent: Agent_Api',
    'task_id: Task 1.1',
    ...front,
    '---',
    '',
    '# Task Memory Log: Task 1.1 - Schema',
    '',
    ...['Summary', 'Details', 'Output', 'Validation', 'Issues', 'Next Steps'].flatMap((s) => [`## ${s}`, '', 'Text.', '']),
    body,
  ].join('\n');

const lint = (relPath: string, text: string, dialect: 'apm-stage' | 'aops' = 'apm-stage') => {
  const ws = loadVirtualRoot([{ relPath, text }, { relPath: 'Memory/Stage_01_Setup', text: '' }], { dialect });
  return [...lintWorkspace(ws).values()].flat();
};
const ids = (diagnostics: Diagnostic[]) => diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.ruleId}`);

describe('line ends as editors count them', () => {
  it('a lone CR, CRLF and LF each end a line; U+2028 does not', () => {
    const source = sourceFromString('a\rb\r\nc\nd\u2028e');
    expect(source.lineCount).toBe(4);
    expect([1, 2, 3, 4].map((l) => source.lineText(l))).toEqual(['a', 'b', 'c', 'd\u2028e']);
    // An offset between CR and LF is the end of its line, never column length + 2.
    expect(source.pointAt(4)).toEqual({ line: 2, column: 2, offset: 3 });
  });

  it('a CR-only file gets the same positions as its LF twin', () => {
    const lf = taskLog(['status: Success', 'failure_point: Execution', 'important_findings: false', 'compatibility_issues: false']);
    const cr = lf.replace(/\n/g, '\r');
    const mixed = lf.split('\n').map((line, i) => line + (i % 3 === 0 ? '\r\n' : i % 3 === 1 ? '\r' : '\n')).join('');
    expect(ids(lint(TASK, cr))).toEqual(ids(lint(TASK, lf)));
    expect(ids(lint(TASK, mixed))).toEqual(ids(lint(TASK, lf)));
    expect(ids(lint(TASK, lf))).toContain('5:16 task-log-status');
  });

  it('a duplicate key in a CRLF file points at the second key and ends on its line', () => {
    const text = taskLog(['status: Success', 'failure_point: null', 'status: Failed', 'important_findings: false', 'compatibility_issues: false']).replace(/\n/g, '\r\n');
    const dup = lint(TASK, text).find((d) => d.ruleId === 'frontmatter-syntax')!;
    expect(dup.message).toMatch(/`status` is already set on line 4/);
    expect([dup.range.start.line, dup.range.start.column, dup.range.end.line, dup.range.end.column]).toEqual([6, 1, 6, 7]);
  });
});

describe('headings inside quotes and lists', () => {
  for (const text of ['\r#', '- #', '> ## A quoted heading', '- ## Item', '1. # x', '# a\u2028b', '>     # code in a quote', '* > - ### deep']) {
    it(`parses ${JSON.stringify(text)} without failing`, () => {
      const doc = parseDocument({ path: '/x.md', relPath: 'x.md', kind: 'other', text });
      for (const h of doc.headings) {
        expect(h.textRange.start.offset).toBeLessThanOrEqual(h.textRange.end.offset);
        expect(h.range.end.offset).toBeLessThanOrEqual(text.length);
      }
    });
  }

  it('a quoted or listed heading is not a section of the document', () => {
    const doc = parseDocument({ path: '/x.md', relPath: 'x.md', kind: 'other', text: '# Title\n\n> ## Quoted\n\n- ## Listed\n\n## Real ##\n' });
    expect(doc.headings.map((h) => h.text)).toEqual(['Title', 'Real']);
    expect(doc.sections.map((s) => s.heading.depth)).toEqual([1, 2]);
  });

  it('heading text keeps a U+2028 inside the line and drops a closing #-run', () => {
    const doc = parseDocument({ path: '/x.md', relPath: 'x.md', kind: 'other', text: '# a\u2028b #\n' });
    expect(doc.title?.text).toBe('a b');
    expect(doc.title?.textRange.end.column).toBe(6);
  });
});

describe('YAML the parser cannot take is a finding, not a crash', () => {
  it('deep block sequences', () => {
    const found = lint(TASK, `---\n${'- '.repeat(2500)}a\nb\n---\n# T\n`).filter((d) => d.ruleId === 'frontmatter-syntax');
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toMatch(/nested more than \d+ levels/);
    expect(found[0]!.range.start.line).toBe(2);
  });

  it('deep flow collections, in two files (the parser used to abort the process)', () => {
    const text = `---\n${'['.repeat(1000)}a: b\n---\n# T\n`;
    const ws = loadVirtualRoot([
      { relPath: 'Memory/a.md', text },
      { relPath: 'Memory/b.md', text },
    ]);
    const found = [...lintWorkspace(ws).values()].flat().filter((d) => d.ruleId === 'frontmatter-syntax');
    expect(found.map((d) => `${d.range.start.line}:${d.range.start.column}`)).toEqual(['2:101', '2:101']);
  });

  it('balanced brackets in values and text in block scalars stay readable', () => {
    const text = `---\ntitle: a [b] c ${'['.repeat(150)}\nnotes: |\n  ${'{'.repeat(150)}\n---\n# a\n`;
    const doc = parseDocument({ path: '/x.md', relPath: 'x.md', kind: 'other', text });
    expect(doc.frontmatter?.errors).toEqual([]);
  });
});

describe('messages say what the value is', () => {
  it('conditional-sections names a mapping or .nan as YAML would', () => {
    const text = taskLog(['status: Success', 'failure_point: null', 'important_findings: .nan', 'compatibility_issues: {a: 1}'], '## Important Findings\n\nx\n\n## Compatibility Concerns\n\nx\n');
    const messages = lint(TASK, text).filter((d) => d.ruleId === 'conditional-sections').map((d) => d.message);
    expect(messages).toHaveLength(2);
    for (const m of messages) expect(m).not.toMatch(/\[object Object\]|NaN|undefined/);
    expect(messages.join('\n')).toMatch(/is \.nan/);
    expect(messages.join('\n')).toMatch(/is \{"a":1\}/);
  });

  it('a handoff number that is not a number does not break the title check', () => {
    const text = '---\nagent_id: Agent_Api\nhandoff_number: "(("\n---\n\n# Agent_Api Handoff ((\n';
    expect(() => lint('Memory/Handoffs/Agent_Api_Handoffs/Agent_Api_Handoff_Log_1.md', text)).not.toThrow();
  });
});

describe('--fix reaches its fixed point in one run', () => {
  const fixOnce = (relPath: string, text: string, dialect: 'apm-stage' | 'aops' = 'apm-stage') => {
    const ws = loadVirtualRoot([{ relPath, text }, { relPath: 'Memory/Stage_01_Setup', text: '' }], { dialect });
    const run = fixWorkspace(ws, {});
    const fixed = run.fixed[0]?.document.source.text ?? text;
    const again = fixWorkspace(loadVirtualRoot([{ relPath, text: fixed }, { relPath: 'Memory/Stage_01_Setup', text: '' }], { dialect }), {});
    return { fixed, again: again.fixed.length, passes: run.passes };
  };

  it("status 'success' with a failure point: both fixed in the same run", () => {
    const { fixed, again, passes } = fixOnce(TASK, taskLog(["status: 'success'", 'failure_point: Execution', 'important_findings: false', 'compatibility_issues: false']));
    expect(fixed).toMatch(/^status: Success$/m);
    expect(fixed).toMatch(/^failure_point: null$/m);
    expect(passes).toBe(3);
    expect(again).toBe(0);
  });

  it('a knowledge note whose title holds a line break is reported, never copied into the H1', () => {
    for (const title of ['"Two\\nlines"', '"Two\\r\\nlines"']) {
      const text = `---\ntitle: ${title}\ntype: knowledge\npermalink: idea\ncategory: notes\n---\n\n# Other\n`;
      const found = lint('notes/idea.md', text, 'aops').filter((d) => d.ruleId === 'note-title');
      expect(found).toHaveLength(1);
      expect(found[0]!.message).toMatch(/spans lines/);
      expect(found[0]!.fix).toBeUndefined();
      const { fixed, again } = fixOnce('notes/idea.md', text, 'aops');
      expect(fixed).toBe(text);
      expect(again).toBe(0);
    }
  });

  it('a replacement value that YAML would misread is quoted', () => {
    const text = '---\nagent_id: "Agent: A"\noutgoing_worker: x\nincoming_worker: y\nhandoff_number: 1\ncurrent_stage: Stage 1 - Setup\ntimestamp: 2026-03-02T09:15:00Z\n---\n\n# Worker Agent Handoff Memory Log\n';
    const { fixed, again } = fixOnce('Memory/Handoffs/Agent_Api_Handoffs/Agent_Api_Handoff_Log_1.md', text);
    expect(fixed).toMatch(/^outgoing_worker: "Agent: A_Session_1"$/m);
    expect(again).toBe(0);
  });
});
