import path from 'node:path';
import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { read } from 'to-vfile';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import remarkLintAgentMemory from 'remark-lint-agent-memory';

const examples = path.resolve(import.meta.dirname, '..', '..', '..', 'examples');
const processor = () => unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkLintAgentMemory);
const lint = async (file: VFile) => {
  const p = processor();
  await p.run(p.parse(file), file);
};

describe('remark-lint-agent-memory used programmatically (no FileSet)', () => {
  it('reads the siblings from disk for cross-file rules', async () => {
    const file = await read(path.join(examples, 'apm-stage-defects/.apm/Memory/Handoffs/Agent_Frontend_Handoffs/Agent_Frontend_Handoff_Log_3.md'));
    await lint(file);
    expect(file.messages.map((m) => [m.line, m.column, m.ruleId, m.fatal])).toEqual([[5, 17, 'handoff-chain-continuity', true]]);
    expect(file.messages[0]!.place).toEqual({ start: { line: 5, column: 17, offset: expect.any(Number) }, end: { line: 5, column: 18, offset: expect.any(Number) } });
  });

  it('lints the text in hand, not the copy on disk (an editor buffer)', async () => {
    const file = await read(path.join(examples, 'apm-stage/.apm/Memory/Handoffs/Agent_Backend_Handoffs/Agent_Backend_Handoff_Log_2.md'));
    file.value = String(file.value).replace('incoming_worker: Agent_Backend_Session_3', 'incoming_worker: Agent_Backend_Session_9');
    await lint(file);
    expect(file.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`)).toEqual(['4:18 handoff-session-names']);
    expect(file.messages[0]!.expected).toEqual(['Agent_Backend_Session_3']);
  });

  it('checks a file with no path with the generic rules only', async () => {
    const file = new VFile({ value: '---\nstatus: [broken\n---\n# Note\n' });
    await lint(file);
    expect(file.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`)).toEqual(['2:9 frontmatter-syntax']);
  });

  it('rejects an unknown rule in its options', () => {
    expect(() => unified().use(remarkParse).use(remarkLintAgentMemory, { rules: { 'no-such-rule': 'error' } }).freeze()).toThrow(/unknown rule "no-such-rule"/);
  });
});
