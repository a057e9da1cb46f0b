import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildHistory, memlintLoader, renderMemoryMarkdown } from '@memlint/astro';

const examples = path.resolve(import.meta.dirname, '..', '..', '..', 'examples');

describe('buildHistory', () => {
  const history = buildHistory(path.join(examples, 'apm-stage-defects'));

  it('has stable ids from the tree\'s own names', () => {
    expect(history.stages.map((s) => s.id)).toEqual(['stage-01', 'stage-02', 'stage-03']);
    expect(history.handoffs.map((h) => h.id)).toContain('agent-backend-handoff-3');
    expect(history.tasks.find((t) => t.taskId === 'Task 2.1')!.id).toBe('task-2-1');
  });

  it('walks each chain session by session and marks its breaks in place', () => {
    const frontend = history.agents.find((a) => a.name === 'Agent_Frontend')!;
    expect(history.sessions.filter((s) => s.agentId === frontend.id).map((s) => [s.number, s.missing, s.current])).toEqual([
      [1, false, false],
      [2, true, false],
      [3, false, false],
      [4, false, true],
    ]);
    expect(frontend.breaks.map((b) => [b.kind, b.ruleId])).toEqual([
      ['gap', 'handoff-chain-continuity'],
    ]);
    const backend3 = history.handoffs.find((h) => h.id === 'agent-backend-handoff-3')!;
    expect([backend3.from, backend3.to, backend3.previous, backend3.next]).toEqual(['Agent_Backend_Session_3', 'Agent_Backend_Session_5', 'agent-backend-handoff-2', null]);
    expect(backend3.problems.map((p) => p.ruleId)).toEqual(['handoff-session-names']);
  });

  it('resolves the tasks a handoff cites to their logs', () => {
    const h = history.handoffs.find((x) => x.id === 'agent-backend-handoff-2')!;
    expect(h.tasksCited.every((t) => t.page?.startsWith('/tasks/'))).toBe(true);
  });

  it('links every finding to the page of its file and its rule', () => {
    expect(history.findings).toHaveLength(7);
    for (const f of history.findings) {
      expect(history.documents.some((d) => d.url === f.page)).toBe(true);
      expect(f.url).toMatch(new RegExp(`${f.ruleId}\\.md$`));
    }
  });

  it('reads the aops files beside the .apm trees', () => {
    const aops = buildHistory(path.join(examples, 'aops'));
    expect(aops.reflections.map((r) => [r.outcome, r.dump])).toEqual([
      ['success', false],
      ['partial', false],
      ['quick-exit', false],
      ['success', true],
    ]);
  });
});

describe('memlintLoader', () => {
  it('fills a collection, with digests so unchanged entries are skipped, and removes stale ones', async () => {
    const store = new Map<string, { data: Record<string, unknown>; digest?: string }>([['stale', { data: {} }]]);
    const loader = memlintLoader('handoffs', { memory: path.join(examples, 'apm-stage') });
    await loader.load({
      store: {
        set: (e) => (store.set(e.id, e), true),
        delete: (id) => void store.delete(id),
        keys: () => [...store.keys()],
      },
      generateDigest: (d) => JSON.stringify(d).length.toString(16),
      logger: { info: () => {} },
    });
    expect(store.has('stale')).toBe(false);
    expect([...store.keys()].sort()).toEqual([
      'agent-backend-handoff-1',
      'agent-backend-handoff-2',
      'agent-backend-handoff-3',
      'agent-frontend-handoff-1',
      'agent-frontend-handoff-2',
      'manager-handoff-1',
      'manager-handoff-2',
    ]);
    expect(loader.schema.safeParse(store.get('manager-handoff-2')!.data).success).toBe(true);
  });
});

describe('renderMemoryMarkdown', () => {
  it('shows raw HTML as code and strips what could run', () => {
    const html = renderMemoryMarkdown('---\nx: 1\n---\n# T\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>\n');
    // Escaped text may mention them; no tag, attribute or link carries them.
    expect(html).not.toMatch(/<script|<img|href="javascript:/);
    expect(html).not.toContain('<a');
    expect(html).toContain('<code class="language-html">&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('x: 1');
  });
});
