import path from 'node:path';
import {
  allRules,
  dumpEvidence,
  findReflections,
  frontmatterData,
  lintWorkspace,
  loadPaths,
  outcomeOf,
  resolveSettings,
  type Diagnostic,
  type FindingMemo,
  type LintConfig,
  type LoadResult,
  type MemoryDocument,
  type StageSummary,
  type TaskInfo,
  type Workspace,
} from '@memlint/core';
import { treeDashboard } from './dashboard.ts';
import { gitDates } from './git.ts';
import { renderMemoryMarkdown } from './render.ts';
import { tellStory, untold } from './story.ts';
import type { Agent, Document, Finding, Handoff, History, Reflection, Session, Stage, StageSummaryEntry, Task, TreeSummary } from './schemas.ts';

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/\.md$/, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'root';

// What a dialect that does not say calls a stage and a handoff, and which task statuses mean done.
const DEFAULT_STAGE_WORD = 'Stage';
const DEFAULT_HANDOFF_WORD = 'handoff';
const DEFAULT_DONE_STATUSES: readonly string[] = ['Completed', 'Success'];

/** `2.1a` → `2-1a`, the task part of a page id. */
const taskKey = (t: TaskInfo) => `${t.stage}-${t.task}${t.suffix ?? ''}`;
const byTask = (a: TaskInfo, b: TaskInfo) => a.stage - b.stage || a.task - b.task || (a.suffix ?? '').localeCompare(b.suffix ?? '');
const statusOf = (log: MemoryDocument | undefined): string | null => {
  const status = log ? frontmatterData(log).status : undefined;
  return typeof status === 'string' && status.trim() ? status : null;
};

export interface HistoryOptions {
  /** Lint configuration (rules, reflection profile, dump signals). */
  config?: LintConfig;
  /** Dates from git (one `git log` over the tree): on by default, skipped outside a repository; false: none; a string: the git executable. */
  git?: boolean | string;
  /**
   * For a long-running host (`astro dev`): the tree as already loaded (core's loadPaths, kept up
   * to date with updateWorkspace), the findings memo of its unchanged documents (core's
   * documentMemo), and rendered HTML kept between builds (by file, options and text: a file whose
   * text did not change is not rendered again; the host clears it when files come or go, since
   * links between files resolve against the set of pages).
   */
  loaded?: Pick<LoadResult, 'roots' | 'loose'>;
  memo?: FindingMemo;
  renderCache?: Map<string, string>;
}

/** renderMemoryMarkdown, through the host's cache when there is one. */
function rendered(cache: Map<string, string> | undefined, doc: MemoryDocument, text: string, options: Parameters<typeof renderMemoryMarkdown>[1] & {}): string {
  if (!cache) return renderMemoryMarkdown(text, options);
  const key = `${doc.path}\u0000${options.dropTitle ? 1 : 0}\u0000${text}`;
  let html = cache.get(key);
  if (html === undefined) cache.set(key, (html = renderMemoryMarkdown(text, options)));
  return html;
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
  const { roots, loose } = options.loaded ?? loadPaths([base]);
  const commits = options.git === false ? null : gitDates(base, typeof options.git === 'string' ? { command: options.git } : {});
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
  // Which rules read across files, and which of those judge handoffs: from the rules' own meta.
  const crossFile = new Set(allRules.filter((r) => r.meta.crossFile).map((r) => r.meta.id));
  const aopsRules = new Set(allRules.filter((r) => r.meta.family === 'aops').map((r) => r.meta.id));

  for (const { workspace } of all) {
    for (const [doc, list] of lintWorkspace(workspace, config, undefined, undefined, options.memo)) results.set(doc, list);
  }

  // A task's own log: not a follow-up and, of two, the one no cross-file rule reports (the rules report the stale copy).
  const ownLog = (t: TaskInfo): MemoryDocument | undefined => {
    const own = t.logs.filter((l) => !l.ids.followUp);
    const reported = (l: MemoryDocument) => (results.get(l) ?? []).some((d) => d.severity === 'error' && crossFile.has(d.ruleId));
    return own.find((l) => !reported(l)) ?? own[0] ?? t.logs[0];
  };
  /** A task's logs, its own first. */
  const logsOf = (t: TaskInfo): MemoryDocument[] => {
    const own = ownLog(t);
    return own ? [own, ...t.logs.filter((l) => l !== own)] : [...t.logs];
  };

  // Pages first, so every finding and cross-reference can link to one. Ids come from the
  // dialect-neutral index: a task log's task, a handoff's chain and number.
  for (const { workspace: ws } of all) {
    const prefix = rootPrefix(ws);
    const taken = new Set<string>();
    const unique = (id: string, doc: MemoryDocument) => {
      const out = taken.has(id) ? `${id}-${slug(path.basename(doc.relPath))}` : id;
      taken.add(out);
      return out;
    };
    // A task log has a task page; a file that logs several tasks (v0.3's Memory Bank) keeps a file page.
    const owners = new Map<MemoryDocument, number>();
    for (const t of ws.tasks.values()) for (const log of new Set(t.logs)) owners.set(log, (owners.get(log) ?? 0) + 1);
    for (const t of [...ws.tasks.values()].sort(byTask)) {
      for (const log of logsOf(t)) {
        if (docId.has(log) || log.kind !== 'task-log' || owners.get(log) !== 1) continue;
        const id = unique(`${prefix}task-${taskKey(t)}`, log);
        docId.set(log, id);
        docUrl.set(log, `/tasks/${id}/`);
      }
    }
    for (const chain of ws.chains) {
      for (const link of chain.links) {
        const agent = chain.role === 'manager' ? 'manager' : slug(chain.agent);
        const id = unique(`${prefix}${agent}-handoff-${link.number ?? slug(path.basename(link.document.relPath))}`, link.document);
        docId.set(link.document, id);
        docUrl.set(link.document, `/handoffs/${id}/`);
      }
    }
    for (const doc of ws.documents) {
      if (docId.has(doc)) continue;
      const id = unique(`${prefix}${slug(ws.root.loose ? path.relative(base, doc.path) : doc.relPath)}`, doc);
      docId.set(doc, id);
      docUrl.set(doc, `/files/${id}/`);
    }
  }

  const relToBase = (doc: MemoryDocument) => path.relative(base, doc.path).split(path.sep).join('/');
  const commitsOf = (doc: MemoryDocument) => {
    const c = commits?.get(relToBase(doc));
    return { firstCommit: c?.first ?? null, lastCommit: c?.last ?? null };
  };

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

  // A stage summary as its stage page shows it: the heading, the section rendered as documents are, and each
  // log it lists leading to the log's page, or marked with the finding the rules placed on it (never re-resolved).
  const summaryEntry = (summary: StageSummary, ws: Workspace, logByName: Map<string, MemoryDocument>): StageSummaryEntry => {
    const doc = summary.document;
    const section = doc.sections.find((x) => x.heading.range.start.offset === summary.heading.start.offset);
    // The section's text without the thematic break that closes it (`---` before the next summary). The leading
    // line end keeps a section that opens with `---` from being read as frontmatter.
    const body = section ? `\n${doc.source.text.slice(section.contentStart, section.contentEnd).replace(/\n[ \t]*\n[ \t]{0,3}(?:-[ \t]*){3,}$/, '')}` : '';
    const placed = results.get(doc) ?? [];
    return {
      title: summary.title,
      file: relToBase(doc),
      page: docUrl.get(doc)!,
      line: summary.heading.start.line,
      html: doc.problem || !section ? '' : rendered(options.renderCache, doc, body, { resolveUrl: siteUrl(doc) }),
      logs: summary.logs.map((log) => {
        const problem = placed.find((d) => d.range.start.offset === log.range.start.offset);
        // A link names a path of the root (read from its folder, else, as core read it, from the repository
        // root); a listed name, a file of the tree. A warning leaves the log reachable.
        const linked = log.path === undefined ? undefined : (log.path !== null ? ws.byRelPath.get(log.path) : undefined) ?? (log.fromRepository ? ws.byRelPath.get(log.fromRepository) : undefined);
        const target = log.path === undefined ? logByName.get(log.value) : linked;
        return {
          name: log.value,
          line: log.range.start.line,
          page: problem?.severity !== 'error' && target ? (docUrl.get(target) ?? null) : null,
          problem: problem ? { ruleId: problem.ruleId, severity: problem.severity, message: problem.message } : null,
        };
      }),
    };
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
          tree: rootLabel,
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
        // A file page is titled with the file's H1 (see `title`): the rendered file leaves it out.
        html: doc.problem ? '' : rendered(options.renderCache, doc, doc.source.text, { resolveUrl: siteUrl(doc), dropTitle: Boolean(doc.title) && docUrl.get(doc)!.startsWith('/files/') }),
        // The line-by-line view shows files with findings only: clean files keep the store small.
        source: doc.problem || list.length === 0 ? '' : doc.source.text,
        findings: list.map((d) => ({ ruleId: d.ruleId, severity: d.severity, message: d.message, line: d.range.start.line, column: d.range.start.column, url: d.url })),
        ...commitsOf(doc),
      });
    }

    // Stages and their task boards, in the format's words; "done" is the dialect's to say.
    const dialect = ws.root.dialect;
    const word = dialect.stageWord ?? DEFAULT_STAGE_WORD;
    const handoffWord = dialect.handoffWord ?? DEFAULT_HANDOFF_WORD;
    const doneStatuses = dialect.doneStatuses ?? DEFAULT_DONE_STATUSES;
    // Where the index states a task's status (v0.3's latest entry), that is the status; elsewhere each log's `status`.
    const logStatus = (t: TaskInfo, l: MemoryDocument) => (t.status && t.status.document === l ? t.status.value : statusOf(l));
    const isDone = (t: TaskInfo) => (t.status ? doneStatuses.includes(t.status.value) : t.logs.some((l) => doneStatuses.includes(statusOf(l) ?? '')));
    const taskId = (t: TaskInfo) => {
      const own = ownLog(t);
      const page = own ? docUrl.get(own) : undefined;
      return own && page?.startsWith('/tasks/') ? docId.get(own)! : `${prefix}task-${taskKey(t)}`;
    };
    const logByName = new Map<string, MemoryDocument>();
    for (const d of ws.documents) {
      const name = d.relPath.split('/').pop()!;
      if ((d.kind === 'task-log' || d.kind === 'delegation-log') && !logByName.has(name)) logByName.set(name, d);
    }
    const summariesOf = new Map<number, StageSummaryEntry[]>();
    for (const summary of ws.summaries) {
      if (summary.stage === null) continue; // a sub-phase (`Phase 06.5`) has no page of its own; the Memory Root's page shows it
      const list = summariesOf.get(summary.stage) ?? [];
      list.push(summaryEntry(summary, ws, logByName));
      summariesOf.set(summary.stage, list);
    }
    const stageIds = new Map<number, string>();
    for (const s of [...ws.stages.values()].sort((a, b) => a.number - b.number)) {
      const id = `${prefix}${slug(word)}-${String(s.number).padStart(2, '0')}`;
      stageIds.set(s.number, id);
      const inStage = [...ws.tasks.values()].filter((t) => t.stage === s.number).sort(byTask);
      stages.push({
        id,
        root: rootLabel,
        number: s.number,
        word,
        name: s.name ?? `${word} ${s.number}`,
        folders: s.folders,
        planned: Boolean(s.planned),
        tasks: inStage.map(taskId),
        progress: { done: inStage.filter(isDone).length, total: inStage.length },
        doneStatuses: [...doneStatuses],
        summaries: summariesOf.get(s.number) ?? [],
        ...untold.stage(),
      });
    }
    for (const t of [...ws.tasks.values()].sort(byTask)) {
      const log = ownLog(t);
      const data = log ? frontmatterData(log) : {};
      const written = typeof data.title === 'string' && data.title.trim() ? data.title : null;
      // An H1 without its prefix: `Task Memory Log: Task 2.1 - Title`, `Task Log: Task 2.4 - Title`, `Task 2.1 - Title`.
      const heading = log?.title?.text.replace(/^(?:[\w -]*\bLog:\s*)?(?:Task|Follow-Up)\s+\d+\.\d+[a-z]?\s*[-–—:]\s*/i, '') || null;
      tasks.push({
        id: taskId(t),
        root: rootLabel,
        taskId: `Task ${t.id}`,
        stage: t.stage,
        stageWord: word,
        stageId: stageIds.get(t.stage) ?? null,
        title: t.planned?.title ?? written ?? heading ?? t.id,
        agent: typeof data.agent === 'string' ? data.agent : (t.planned?.agent ?? null),
        status: t.status?.value ?? statusOf(log) ?? (log ? 'No status' : 'Not logged'),
        done: isDone(t),
        failurePoint: typeof data.failure_point === 'string' ? data.failure_point : null,
        importantFindings: data.important_findings === true,
        compatibilityIssues: data.compatibility_issues === true,
        logged: Boolean(log),
        file: log ? relToBase(log) : null,
        page: log ? docUrl.get(log)! : null,
        logs: logsOf(t).map((l) => ({ id: docId.get(l)!, file: relToBase(l), page: docUrl.get(l)!, followUp: Boolean(l.ids.followUp), status: logStatus(t, l), done: doneStatuses.includes(logStatus(t, l) ?? '') })),
        errors: log ? (results.get(log) ?? []).filter((d) => d.severity === 'error').length : 0,
        ...untold.task(),
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
        const id = docId.get(doc)!;
        linkIds.push(id);
        const n = link.number;
        const stage = link.stage ? ws.stages.get(link.stage.value) : undefined;
        const cited = (link.citedTasks ?? []).map((c) => {
          const logDoc = ws.tasks.get(c.value)?.logs[0];
          return { taskId: `Task ${c.value}`, page: logDoc ? docUrl.get(logDoc)! : null };
        });
        const issues = (results.get(doc) ?? []).filter((d) => d.severity === 'error');
        handoffs.push({
          id,
          root: rootLabel,
          agent: chain.agent,
          agentId,
          role: chain.role,
          number: n,
          from: link.fromLabel ?? null,
          to: link.toLabel ?? null,
          stage: link.stageLabel ?? (link.stage ? `${word} ${link.stage.value}${stage?.name ? ` - ${stage.name}` : ''}` : null),
          stageWord: word,
          handoffWord,
          stageId: link.stage ? (stageIds.get(link.stage.value) ?? null) : null,
          timestamp: link.timestamp?.value ?? null,
          file: relToBase(doc),
          page: docUrl.get(doc)!,
          tasksCited: cited,
          previous: i > 0 ? docId.get(chain.links[i - 1]!.document)! : null,
          next: i < chain.links.length - 1 ? docId.get(chain.links[i + 1]!.document)! : null,
          // The cross-file findings on this handoff: what the rules said about it against the rest of the tree.
          problems: issues.filter((d) => d.chain || crossFile.has(d.ruleId)).map((d) => ({ ruleId: d.ruleId, message: d.message })),
          errors: issues.length,
          ...untold.handoff(),
        });
      }
      // The chain's problems as its rules placed them: gaps and duplicates on the timeline, the rest at their handoff.
      const placed = chain.links.flatMap((link) => (results.get(link.document) ?? []).filter((d) => d.chain?.agent === chain.key).map((d) => ({ d, link })));
      const gaps = new Set<number>();
      const breaks: Agent['breaks'] = [];
      for (const { d } of placed) {
        const { kind, from, to } = d.chain!;
        if (kind === 'mismatch') continue;
        for (let k = from; k <= to; k++) {
          if (kind === 'gap') gaps.add(k);
          breaks.push({ kind, session: k, message: d.message, ruleId: d.ruleId });
        }
      }
      // Sessions 1 … last+1: session k is ended by handoff k and started by handoff k-1.
      for (let k = 1; k <= last + 1; k++) {
        const endedBy = chain.links.find((l) => l.number === k);
        const startedBy = chain.links.find((l) => l.number === k - 1);
        sessions.push({
          id: `${agentId}-session-${k}`,
          agentId,
          agent: chain.agent,
          number: k,
          startedBy: startedBy ? docId.get(startedBy.document)! : null,
          endedBy: endedBy ? docId.get(endedBy.document)! : null,
          current: k === last + 1,
          missing: gaps.has(k),
        });
      }
      // Mismatches sit at their handoff (gaps and repeats are on the timeline already).
      for (const { d, link } of placed) {
        if (d.severity !== 'error' || d.chain!.kind !== 'mismatch') continue;
        breaks.push({ kind: 'mismatch', session: link.number ?? 0, message: d.message, handoff: docId.get(link.document)!, ruleId: d.ruleId });
      }
      agents.push({
        id: agentId,
        root: rootLabel,
        name: chain.agent,
        role: chain.role,
        handoffWord,
        currentSession: last + 1,
        handoffs: linkIds,
        taskLogs: chain.role === 'worker' ? (ws.agents.get(chain.key)?.taskLogs.length ?? 0) : 0,
        breaks,
        ...untold.agent(),
      });
    }

    // Reflections, wherever they stand.
    for (const doc of ws.documents) {
      for (const [i, r] of findReflections(doc).entries()) {
        const dump = dumpEvidence(doc, r, settings.dumpSignals);
        const labels: Record<string, string> = {};
        for (const l of r.labels) if (l.key && !(l.key in labels)) labels[l.key] = l.fullValue;
        // A reflection's findings: the aops rules' findings inside its block (the rules' meta says which family they are).
        const own = (results.get(doc) ?? []).filter((d) => aopsRules.has(d.ruleId) && d.range.start.offset >= r.range.start.offset && d.range.start.offset <= r.contentEnd);
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
          ...untold.reflection(),
        });
      }
    }

    trees.push({
      id: ws.root.loose ? 'outside-apm' : prefix.replace(/-$/, '') || 'root',
      label: rootLabel,
      dialect: ws.root.dialect.label,
      dialectId: ws.root.dialect.id,
      stageWord: word,
      version: ws.root.version,
      documents: ws.documents.length,
      errors: rootFindings.errors,
      warnings: rootFindings.warnings,
      dashboard: (() => {
        const byId = new Map(documents.map((d) => [d.id, d]));
        const own = ws.documents.map((d) => byId.get(docId.get(d)!)!);
        const files = new Set(own.map((d) => d.file));
        const mine = <T extends { root: string }>(list: T[]) => list.filter((x) => x.root === rootLabel);
        return treeDashboard({
          ws,
          root: rootLabel,
          stages: mine(stages),
          tasks: mine(tasks),
          agents: mine(agents),
          handoffs: mine(handoffs),
          reflections: reflections.filter((r) => files.has(r.file)),
          documents: own,
          findings: findings.filter((f) => files.has(f.file)),
          documentOf: (d) => byId.get(docId.get(d)!),
          issues: all.find((r) => r.workspace === ws)?.issues ?? [],
        });
      })(),
    });
    rootFindings = { errors: 0, warnings: 0 };
  }

  // The links and timelines that tell the story, made from all of the above (story.ts).
  return tellStory({ memory: base, trees, documents, stages, tasks, agents, sessions, handoffs, reflections, findings });
}
