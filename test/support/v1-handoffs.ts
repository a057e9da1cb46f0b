// A small APM v1.0 tree for the tests that follow one handoff chain: the backend agent's
// handoffs 1, 2 and 3, each handing instance N to N + 1.
import path from 'node:path';
import { writeTree } from './run.ts';

/** Handoff `n` as its frontmatter states it: instance `n` to `incoming` (n + 1 unless said). */
export const v1Handoff = (n: number, incoming = n + 1) =>
  `---\nagent: backend-agent\noutgoing: ${n}\nincoming: ${incoming}\nhandoff: ${n}\nstage: 1\n---\n\n# Backend Agent Handoff ${n} (Backend Agent ${n} → Backend Agent ${incoming})\n\n## Summary\nx\n\n## Working Context\nx\n\n## Working Notes\nx\n`;

/** Writes the tree into `dir`; returns the path of handoff `n`. */
export function writeV1HandoffTree(dir: string): (n: number) => string {
  writeTree(dir, {
    '.apm/metadata.json': '{"releaseVersion":"v1.0.2"}',
    '.apm/plan.md': '---\ntitle: Cache\n---\n\n# APM Plan\n\n## Stage 1: Setup\n',
    '.apm/memory/handoffs/backend-agent/handoff-01.log.md': v1Handoff(1),
    '.apm/memory/handoffs/backend-agent/handoff-02.log.md': v1Handoff(2),
    '.apm/memory/handoffs/backend-agent/handoff-03.log.md': v1Handoff(3),
  });
  return (n: number) => path.join(dir, '.apm', 'memory', 'handoffs', 'backend-agent', `handoff-0${n}.log.md`);
}
