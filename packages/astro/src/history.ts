import path from 'node:path';
import {
  dumpEvidence,
  findField,
  findReflections,
  frontmatterData,
  lintWorkspace,
  loadPaths,
  outcomeOf,
  parseStageLabel,
  resolveSettings,
  type Diagnostic,
  type LintConfig,
  type MemoryDocument,
  type Workspace,
} from '@memlint/core';
import { renderMemoryMarkdown } from './render.ts';
import type { Agent, Document, Finding, Handoff, History, Reflection, Session, Stage, Task, TreeSummary } from './schemas.ts';

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/\.md$/, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'root';

export interface HistoryOptions {
  /** Lint configuration (rules, reflection profile, dump signals). */
  config?: LintConfig;
}

/**
 * Reads a memory tree (every `.apm/` root below `memory`, and the aops files beside them), lints
 * it, and turns it into the plain, serialisable history the site shows. Ids are stable: they come
 * from the tree's own names (stage and task numbers, agent ids, handoff numbers, file paths).
 */
export function buildHistory(memory: string, options: HistoryOptions = {}): History {
  const base = path.resolve(memory);
  const config = options.config ?? {};
  const settings = resolveSettings(config);
  const { roots, loose } = loadPaths([base]);
  const all = [...roots, ...(loose ? [loose] : [])];
  const multi = roots.length > 1;
  const rootPrefix = (ws: Workspace) => (multi && !ws.root.loose ? `${slug(path.relative(base, ws.root.dir) || 'root')}-` : '');

  const documents: Document[] = [];
  const findings: Finding[] = [];
  const docId = new Map<MemoryDocument, string>();
  const docUrl = new Map<MemoryDocument, string>();
  const stages: Stage[] = [];
  const tasks: Task[] = [];
  const agents: Agent[] = [];
  const sessions: Session[] = [];
  const handoffs: Handoff[] = [];
  const reflections: Reflection[] = [];
  const trees: TreeSummary[] = [];
  const results = new Map<MemoryDocument, Diagnostic[]>();

  for (const { workspace } of all) {
    for (const [doc, list] of lintWorkspace(workspace, config)) results.set(doc, list);
  }

  // Pages first, so every finding and cross-reference can link to one.
  for (const { workspace: ws } of all) {
    const prefix = rootPrefix(ws);
    for (const doc of ws.documents) {
      const data = frontmatterData(doc);
      let id: string;
      let url: string;
      if (doc.kind === 'task-log' && typeof data.task_id === 'string' && /^Task \d+\.\d+$/.test(data.task_id)) {
        id = `${prefix}task-${data.task_id.slice(5).replace('.', '-')}`;
        if (docId.has(doc) || [...docId.values()].includes(id)) id = `${id}-${slug(path.basename(doc.relPath))}`;
        url = `/tasks/${id}/`;
      } else if (doc.kind === 'worker-handoff-log' || doc.kind === 'manager-handoff-log') {
        const agent = doc.kind === 'manager-handoff-log' ? 'manager' : slug(String(data.agent_id ?? path.basename(path.dirname(doc.relPath)).replace(/_Handoffs$/, '')));
        id = `${prefix}${agent}-handoff-${Number.isInteger(data.handoff_number) ? String(data.handoff_number) : slug(path.basename(doc.relPath))}`;
        if ([...docId.values()].includes(id)) id = `${id}-${slug(path.basename(doc.relPath))}`;
        url = `/handoffs/${id}/`;
      } else {
        id = `${prefix}${slug(ws.root.loose ? path.relative(base, doc.path) : doc.relPath)}`;
        url = `/files/${id}/`;
      }
      docId.set(doc, id);
      docUrl.set(doc, url);
    }
  }

  const relToBase = (doc: MemoryDocument) => path.relative(base, doc.path).split(path.sep).join('/');

  // A relative link in a memory file names another file of the tree: on the site it leads to that
  // file's page. Relative links to anything else would be broken links on the site: their text stays.
  const pageOfPath = new Map([...docUrl].map(([doc, url]) => [path.resolve(doc.path), url]));
  const siteUrl = (doc: MemoryDocument) => (url: string): string | null => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('#') || url.startsWith('//')) return url; // sanitised later
    const file = url.replace(/[?#].*$/s, '');
    if (!file || file.startsWith('/')) return null;
    let target: string;
    try {
      target = path.resolve(path.dirname(path.resolve(doc.path)), decodeURIComponent(file));
    } catch {
      return null;
    }
    return pageOfPath.get(target) ?? null;
  };

  for (const { workspace: ws } of all) {
    const prefix = rootPrefix(ws);
    const rootLabel = ws.root.loose ? 'files outside .apm/' : path.relative(base, ws.root.dir).split(path.sep).join('/') || '.';
    let rootFindings = { errors: 0, warnings: 0 };

    for (const doc of ws.documents) {
      const list = results.get(doc) ?? [];
      for (const [i, d] of list.entries()) {
        findings.push({
          id: `${docId.get(doc)}-${i + 1}`,
          ruleId: d.ruleId,
          severity: d.severity,
          message: d.message,
          file: relToBase(doc),
          line: d.range.start.line,
          column: d.range.start.column,
          url: d.url,
          page: docUrl.get(doc)!,
        });
        if (d.severity === 'error') rootFindings.errors += 1;
        else rootFindings.warnings += 1;
      }
      documents.push({
        id: docId.get(doc)!,
        url: docUrl.get(doc)!,
        kind: doc.kind,
        file: relToBase(doc),
        title: doc.title?.text ?? path.basename(doc.relPath),
        frontmatter: frontmatterData(doc),
        html: doc.problem ? '' : renderMemoryMarkdown(doc.source.text, { resolveUrl: siteUrl(doc) }),
        // The line-by-line view shows files with findings only: clean files keep the store small.
        source: doc.problem || list.length === 0 ? '' : doc.source.text,
        findings: list.map((d) => ({ ruleId: d.ruleId, severity: d.severity, message: d.message, line: d.range.start.line, column: d.range.start.column, url: d.url })),
      });
    }

    // Stages and their task boards.
    const stageIds = new Map<number, string>();
    for (const s of [...ws.stages.values()].sort((a, b) => a.number - b.number)) {
      const id = `${prefix}stage-${String(s.number).padStart(2, '0')}`;
      stageIds.set(s.number, id);
      const inStage = [...ws.tasks.values()].filter((t) => t.stage === s.number);
      const done = inStage.filter((t) => t.logs.some((l) => frontmatterData(l).status === 'Success')).length;
      stages.push({
        id,
        root: rootLabel,
        number: s.number,
        name: s.name ?? `Stage ${s.number}`,
        folders: s.folders,
        planned: Boolean(s.planned),
        tasks: inStage.sort((a, b) => a.task - b.task).map((t) => `${prefix}task-${t.stage}-${t.task}`),
        progress: { done, total: inStage.length },
      });
    }
    for (const t of [...ws.tasks.values()].sort((a, b) => a.stage - b.stage || a.task - b.task)) {
      const log = t.logs[0];
      const data = log ? frontmatterData(log) : {};
      tasks.push({
        id: log ? docId.get(log)! : `${prefix}task-${t.stage}-${t.task}`,
        root: rootLabel,
        taskId: `Task ${t.id}`,
        stage: t.stage,
        stageId: stageIds.get(t.stage) ?? null,
        title: t.planned?.title ?? (log ? (log.title?.text.replace(/^Task Memory Log:\s*Task \d+\.\d+\s*[-–—]\s*/, '') ?? t.id) : t.id),
        agent: typeof data.agent === 'string' ? data.agent : (t.planned?.agent ?? null),
        status: typeof data.status === 'string' ? data.status : 'Not logged',
        failurePoint: typeof data.failure_point === 'string' ? data.failure_point : null,
        importantFindings: data.important_findings === true,
        compatibilityIssues: data.compatibility_issues === true,
        logged: Boolean(log),
        file: log ? relToBase(log) : null,
        page: log ? docUrl.get(log)! : null,
        errors: log ? (results.get(log) ?? []).filter((d) => d.severity === 'error').length : 0,
      });
    }

    // Agents, their session chains and handoffs.
    for (const chain of ws.chains) {
      const agentId = `${prefix}${chain.role === 'manager' ? 'manager' : slug(chain.key)}`;
      const numbers = chain.links.map((l) => l.number).filter((n): n is number => n !== null);
      const last = numbers.length ? Math.max(...numbers) : 0;
      const linkIds: string[] = [];
      for (const [i, link] of chain.links.entries()) {
        const doc = link.document;
        const data = frontmatterData(doc);
        const id = docId.get(doc)!;
        linkIds.push(id);
        const n = link.number;
        const stage = typeof data.current_stage === 'string' ? parseStageLabel(data.current_stage) : null;
        const summary = findField(doc, 'Tasks Completed This Session');
        const cited = [...(summary?.value ?? '').matchAll(/\bTask\s+(\d+)\.(\d+)\b/g)].map((m) => {
          const key = `${Number(m[1])}.${Number(m[2])}`;
          const logDoc = ws.tasks.get(key)?.logs[0];
          return { taskId: `Task ${key}`, page: logDoc ? docUrl.get(logDoc)! : null };
        });
        const issues = (results.get(doc) ?? []).filter((d) => d.severity === 'error');
        handoffs.push({
          id,
          root: rootLabel,
          agent: chain.agent,
          agentId,
          role: chain.role,
          number: n,
          from: typeof data[chain.role === 'manager' ? 'outgoing_manager' : 'outgoing_worker'] === 'string' ? String(data[chain.role === 'manager' ? 'outgoing_manager' : 'outgoing_worker']) : null,
          to: typeof data[chain.role === 'manager' ? 'incoming_manager' : 'incoming_worker'] === 'string' ? String(data[chain.role === 'manager' ? 'incoming_manager' : 'incoming_worker']) : null,
          stage: typeof data.current_stage === 'string' ? data.current_stage : null,
          stageId: stage ? (stageIds.get(stage.number) ?? null) : null,
          timestamp: typeof data.timestamp === 'string' ? data.timestamp : null,
          file: relToBase(doc),
          page: docUrl.get(doc)!,
          tasksCited: cited,
          previous: i > 0 ? docId.get(chain.links[i - 1]!.document)! : null,
          next: i < chain.links.length - 1 ? docId.get(chain.links[i + 1]!.document)! : null,
          problems: issues.filter((d) => d.ruleId.startsWith('handoff-')).map((d) => ({ ruleId: d.ruleId, message: d.message })),
          errors: issues.length,
        });
      }
      // Sessions 1 … last+1: session k is ended by handoff k and started by handoff k-1.
      const breaks: Agent['breaks'] = [];
      for (let k = 1; k <= last + 1; k++) {
        const endedBy = chain.links.filter((l) => l.number === k);
        const startedBy = chain.links.filter((l) => l.number === k - 1);
        const missing = k <= last && endedBy.length === 0;
        if (missing) breaks.push({ kind: 'gap', session: k, message: `no handoff log ${k}: the chain breaks between Session ${k} and Session ${k + 1}`, ruleId: 'handoff-chain-continuity' });
        if (endedBy.length > 1) breaks.push({ kind: 'duplicate', session: k, message: `handoff ${k} is logged ${endedBy.length} times`, ruleId: 'handoff-chain-continuity' });
        sessions.push({
          id: `${agentId}-session-${k}`,
          agentId,
          agent: chain.agent,
          number: k,
          startedBy: startedBy[0] ? docId.get(startedBy[0].document)! : null,
          endedBy: endedBy[0] ? docId.get(endedBy[0].document)! : null,
          current: k === last + 1,
          missing,
        });
      }
      for (const h of handoffs.filter((x) => x.agentId === agentId && x.problems.length > 0)) {
        // Gaps and repeats are already marked on the timeline itself.
        for (const p of h.problems.filter((q) => q.ruleId !== 'handoff-chain-continuity')) breaks.push({ kind: 'mismatch', session: h.number ?? 0, message: p.message, handoff: h.id, ruleId: p.ruleId });
      }
      agents.push({
        id: agentId,
        root: rootLabel,
        name: chain.agent,
        role: chain.role,
        currentSession: last + 1,
        handoffs: linkIds,
        taskLogs: chain.role === 'worker' ? (ws.agents.get(chain.key)?.taskLogs.length ?? 0) : 0,
        breaks,
      });
    }

    // Reflections, wherever they stand.
    for (const doc of ws.documents) {
      for (const [i, r] of findReflections(doc).entries()) {
        const dump = dumpEvidence(doc, r, settings.dumpSignals);
        const labels: Record<string, string> = {};
        for (const l of r.labels) if (l.key && !(l.key in labels)) labels[l.key] = l.fullValue;
        const own = (results.get(doc) ?? []).filter((d) => d.ruleId.startsWith('reflection-') && d.range.start.offset >= r.range.start.offset && d.range.start.offset <= r.contentEnd);
        const data = frontmatterData(doc);
        reflections.push({
          id: `${docId.get(doc)}${i > 0 ? `-${i + 1}` : ''}`,
          file: relToBase(doc),
          page: docUrl.get(doc)!,
          line: r.openerRange.start.line,
          title: typeof data.title === 'string' ? data.title : (doc.title?.text ?? path.basename(doc.relPath)),
          date: typeof data.date === 'string' ? data.date : null,
          form: r.form,
          outcome: r.quickExit ? 'quick-exit' : (outcomeOf(r) ?? 'unknown'),
          profile: settings.profile.id,
          dump: Boolean(dump),
          dumpSignal: dump?.detail ?? null,
          quickExit: r.quickExit?.summary ?? null,
          labels,
          findings: own.map((d) => ({ ruleId: d.ruleId, severity: d.severity, message: d.message, line: d.range.start.line, column: d.range.start.column, url: d.url })),
        });
      }
    }

    trees.push({
      id: ws.root.loose ? 'outside-apm' : prefix.replace(/-$/, '') || 'root',
      label: rootLabel,
      dialect: ws.root.dialect.label,
      dialectId: ws.root.dialect.id,
      version: ws.root.version,
      documents: ws.documents.length,
      errors: rootFindings.errors,
      warnings: rootFindings.warnings,
    });
    rootFindings = { errors: 0, warnings: 0 };
  }

  return { memory: base, trees, documents, stages, tasks, agents, sessions, handoffs, reflections, findings };
}
