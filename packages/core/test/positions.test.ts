import { describe, expect, it } from 'vitest';
import { decodeBytes, frontmatterValueRange, lintWorkspace, loadVirtualRoot, parseDocument } from '@memlint/core';

const handoff = (incoming: string) =>
  [
    '---',
    'agent_id: Agent_Api',
    'outgoing_worker: Agent_Api_Session_1',
    `incoming_worker: ${incoming}`,
    'handoff_number: 1',
    'current_stage: Stage 1 - Setup',
    'timestamp: 2026-03-02T09:15:00Z',
    '---',
    '',
    '# Worker Agent Handoff Memory Log',
    '',
    '## Session Summary',
    '',
    '**Tasks Completed This Session:** none',
    '**Current Stage:** Stage 1 - Setup',
    '**Stage Progress:** 0/2',
    '',
  ].join('\n');

const findingsOf = (relPath: string, text: string | Uint8Array) => {
  const ws = loadVirtualRoot([typeof text === 'string' ? { relPath, text } : { relPath, bytes: text }, { relPath: 'Memory/Stage_01_Setup', text: '' }]);
  return [...lintWorkspace(ws).values()].flat().map((d) => `${d.range.start.line}:${d.range.start.column} ${d.ruleId}`);
};

const path = 'Memory/Handoffs/Agent_Api_Handoffs/Agent_Api_Handoff_Log_1.md';

describe('positions survive a BOM and CRLF', () => {
  const lf = handoff('Agent_Api_Session_3');
  const expected = findingsOf(path, lf).filter((f) => f.endsWith('handoff-session-names'));

  it('finds the wrong incoming session at its value', () => {
    expect(expected).toEqual(['4:18 handoff-session-names']);
  });

  it('reports the same line and column behind a UTF-8 BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lf)]);
    expect(findingsOf(path, bytes).filter((f) => f.endsWith('handoff-session-names'))).toEqual(expected);
  });

  it('reports the same line and column with CRLF line endings', () => {
    expect(findingsOf(path, lf.replace(/\n/g, '\r\n')).filter((f) => f.endsWith('handoff-session-names'))).toEqual(expected);
  });

  it('keeps offsets into the original characters, so a CRLF file can be edited in place', () => {
    const crlf = lf.replace(/\n/g, '\r\n');
    const doc = parseDocument({ path, relPath: path, kind: 'worker-handoff-log', text: crlf });
    const range = frontmatterValueRange(doc.source, doc.frontmatter!, ['incoming_worker'])!;
    expect(crlf.slice(range.start.offset, range.end.offset)).toBe('Agent_Api_Session_3');
  });

  it('remembers the BOM and strips it from the text', () => {
    const decoded = decodeBytes(Uint8Array.from([0xef, 0xbb, 0xbf, 0x61]));
    expect(decoded.ok && decoded.source.hasBom && decoded.source.text).toBe('a');
  });
});

describe('bold-label fields', () => {
  it('reads `**Label:** value` and `**Label**: value`, in lists too, with the value range', () => {
    const text = '# T\n\n**Current Stage:** Stage 2 - Billing\n- **Outcome**: done well\n';
    const doc = parseDocument({ path: 'x.md', relPath: 'x.md', kind: 'other', text });
    expect(doc.fields.map((f) => [f.label, f.value, f.valueRange.start.line, f.valueRange.start.column])).toEqual([
      ['Current Stage', 'Stage 2 - Billing', 3, 20],
      ['Outcome', 'done well', 4, 16],
    ]);
  });

  it('ignores labels inside code fences', () => {
    const doc = parseDocument({ path: 'x.md', relPath: 'x.md', kind: 'other', text: '```\n**Current Stage:** Stage 9\n```\n' });
    expect(doc.fields).toEqual([]);
  });
});

describe('dialect detection', () => {
  it('reads metadata.json first, then the layout', () => {
    expect(loadVirtualRoot([{ relPath: 'metadata.json', text: '{"releaseVersion":"v0.5.3"}' }, { relPath: 'Memory/Stage_01_X/Task_Log_01_01_X.md', text: '' }]).root.dialect.id).toBe('apm-phase');
    expect(loadVirtualRoot([{ relPath: 'Memory/Stage_01_X/Task_Log_01_01_X.md', text: '' }]).root.dialect.id).toBe('apm-stage');
    expect(loadVirtualRoot([{ relPath: 'memory/stage-01/task-01-01.log.md', text: '' }]).root.dialect.id).toBe('apm-v1');
    expect(loadVirtualRoot([{ relPath: 'notes.md', text: '' }]).root.dialect.id).toBe('unknown');
  });
});

describe('heading text', () => {
  it('drops emphasis, code and link markup but keeps underscores inside words and inline HTML', () => {
    const text = '# Agent_Backend Handoff 2 (**Agent_Backend_Session_2**)\n\n## Escape <b>this</b> `code` [link](x.md) _em_\n';
    const doc = parseDocument({ path: 'x.md', relPath: 'x.md', kind: 'other', text });
    expect(doc.headings.map((h) => h.text)).toEqual(['Agent_Backend Handoff 2 (Agent_Backend_Session_2)', 'Escape <b>this</b> code link em']);
  });
});
