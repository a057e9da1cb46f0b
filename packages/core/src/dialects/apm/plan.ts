import type { MemoryDocument } from '../../document.ts';
import { agentOf, stageOf, taskOf, type Workspace } from '../../workspace/workspace.ts';

// Both APM plan generations (Stage era, v1.0) declare `## Stage N: Name` and `### Task N.M: Title - Agent`.
const PLAN_STAGE = /^Stage\s+(\d+)\s*[:\-–—]\s*(.+)$/i;
const PLAN_TASK = /^Task\s+(\d+)\.(\d+)\s*[:\-–—]\s*(.+?)(?:\s+[-–—|│]\s+([^-–—|│]+))?$/i;

/** The stages and tasks an APM plan declares, into the index. */
export function indexPlan(ws: Workspace, plan: MemoryDocument): void {
  ws.provides.plan = true;
  for (const h of plan.headings) {
    const sm = h.depth === 2 ? PLAN_STAGE.exec(h.text) : null;
    if (sm) {
      const s = stageOf(ws, Number(sm[1]));
      s.planned ??= { document: plan, range: h.range, name: sm[2]!.trim() };
      s.name = sm[2]!.trim();
    }
    const tm = h.depth === 3 ? PLAN_TASK.exec(h.text) : null;
    if (tm) {
      const t = taskOf(ws, Number(tm[1]), Number(tm[2]));
      t.planned ??= { document: plan, range: h.range, title: tm[3]!.trim(), agent: tm[4]?.trim() ?? null };
      if (tm[4]) agentOf(ws, tm[4].trim());
    }
  }
}
