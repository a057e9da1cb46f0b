import type { MemoryDocument } from '../../document.ts';
import { agentOf, stageOf, taskOf, type Workspace } from '../../workspace/workspace.ts';

// Every APM plan generation declares `## Stage N: Name` (the Phase era: `## Phase N: Name`) and
// `### Task N.M: Title - Agent`, the title separated from the agent by a dash, `|` or `│` (U+2502).
const PLAN_STAGE = { Stage: /^Stage\s+(\d+)\s*[:\-–—]\s*(.+)$/i, Phase: /^Phase\s+(\d+)\s*[:\-–—]\s*(.+)$/i } as const;
const PLAN_TASK = /^Task\s+(\d+)\.(\d+)([a-z])?\s*[:\-–—]\s*(.+?)(?:\s+[-–—|│]\s+([^-–—|│]+))?$/i;

/** The stages (or phases) and tasks an APM plan declares, into the index. */
export function indexPlan(ws: Workspace, plan: MemoryDocument, word: keyof typeof PLAN_STAGE = 'Stage'): void {
  ws.provides.plan = true;
  for (const h of plan.headings) {
    const sm = h.depth === 2 ? PLAN_STAGE[word].exec(h.text) : null;
    if (sm) {
      const s = stageOf(ws, Number(sm[1]));
      s.planned ??= { document: plan, range: h.range, name: sm[2]!.trim() };
      s.name = sm[2]!.trim();
    }
    const tm = h.depth === 3 ? PLAN_TASK.exec(h.text) : null;
    if (tm) {
      const t = taskOf(ws, Number(tm[1]), Number(tm[2]), tm[3]?.toLowerCase() ?? '');
      t.planned ??= { document: plan, range: h.range, title: tm[4]!.trim(), agent: tm[5]?.trim() ?? null };
      if (tm[5]) agentOf(ws, tm[5].trim());
    }
  }
}
