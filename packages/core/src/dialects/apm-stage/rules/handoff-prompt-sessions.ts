import type { MemoryDocument } from '../../../document.ts';
import { defineRule, type Report } from '../../../rules/rule.ts';
import type { Workspace } from '../../../workspace/workspace.ts';
import { agentKey } from '../paths.ts';

// "You are taking over from **Agent_Backend Session 3** as **Agent_Backend Session 4**"
const TAKEOVER = /taking over from\s+\**\s*([A-Za-z][\w-]*?)\s+Session\s+(\d+)\s*\**\s+as\s+(\**\s*([A-Za-z][\w-]*?)\s+Session\s+(\d+)\s*\**)/gi;
const LOG_PATH = /(?:\.apm\/)?Memory\/Handoffs\/([^\s/`'")\]]+)_Handoffs\/([^\s/`'")\]]+)_Handoff_Log_(\d+)\.md/g;

/** The texts to search: a saved prompt whole; elsewhere only fenced blocks (where agents paste prompts). */
function regions(doc: MemoryDocument): { start: number; end: number }[] {
  if (doc.kind === 'handoff-prompt') return [{ start: 0, end: doc.source.text.length }];
  return doc.codeBlocks.filter((b) => /taking over from/i.test(b.value)).map((b) => ({ start: b.start, end: b.end }));
}

function checkRegion(doc: MemoryDocument, ws: Workspace, start: number, end: number, report: Report): void {
  const text = doc.source.text.slice(start, end);
  let takeover: { agent: string; n: number } | null = null;
  for (const m of text.matchAll(TAKEOVER)) {
    const [fromAgent, n, , toAgent, m2] = [m[1]!, Number(m[2]), m[3]!, m[4]!, Number(m[5])];
    const asStart = start + m.index + m[0].length - m[3]!.length;
    const range = doc.source.rangeAt(asStart, asStart + m[3]!.length);
    takeover ??= { agent: fromAgent, n };
    if (agentKey(fromAgent) !== agentKey(toAgent)) {
      report(doc, range, `a handoff continues the same agent: taking over from ${fromAgent} Session ${n} as ${toAgent} Session ${m2}`, {
        expected: [`**${fromAgent} Session ${n + 1}**`],
      });
    } else if (m2 !== n + 1) {
      report(doc, range, `taking over from ${fromAgent} Session ${n} means becoming Session ${n + 1}, not Session ${m2}`, {
        expected: [`**${toAgent} Session ${n + 1}**`],
      });
    }
  }
  if (!takeover) return;
  for (const m of text.matchAll(LOG_PATH)) {
    const rel = m[0].replace(/^\.apm\//, '');
    const range = doc.source.rangeAt(start + m.index, start + m.index + m[0].length);
    const [dirAgent, number] = [m[1]!, Number(m[3])];
    if (!ws.paths.has(rel)) {
      report(doc, range, `the prompt points at ${m[0]}, which does not exist`);
    } else if (agentKey(dirAgent) !== agentKey(takeover.agent) || number !== takeover.n) {
      report(doc, range, `the prompt takes over from ${takeover.agent} Session ${takeover.n} but points at ${dirAgent}'s handoff log ${number}`, {
        expected: [`.apm/Memory/Handoffs/${takeover.agent}_Handoffs/${takeover.agent}_Handoff_Log_${takeover.n}.md`],
      });
    }
  }
}

export const handoffPromptSessions = defineRule({
  meta: {
    id: 'handoff-prompt-sessions',
    description: 'A handoff prompt takes over from `<Agent> Session N` as `<Agent> Session N+1`, and the handoff log it names exists.',
    severity: 'error',
    family: 'apm',
    dialects: ['apm-stage'],
    // A saved prompt, or a prompt pasted into a fenced block of any file.
    kinds: 'all',
    crossFile: true,
  },
  checkDocument(doc, { workspace, report }) {
    for (const region of regions(doc)) checkRegion(doc, workspace, region.start, region.end, report);
  },
});
