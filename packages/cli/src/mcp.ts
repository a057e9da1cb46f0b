// `memlint mcp`: memlint as an MCP server on stdio, for agents that write memory files. Tools:
// lint_file (a file, or content proposed for it, checked against its tree on disk), lint_tree,
// next_log (the skeleton the next artifact must have) and explain_rule (a rule's page).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { allRules, findRule, InputError, loadTreeAt, logKinds, nextLog, resolveProfile, ruleUrl, SkeletonError } from '@memlint/core';
import { z } from 'zod';
import { checkFile, findingLines, isMarkdownPath, lintTree, settingsFor } from './agent.ts';
import type { CliIo } from './main.ts';

const finding = z.object({
  path: z.string(),
  line: z.number().int().describe('1-based'),
  column: z.number().int().describe('1-based'),
  endLine: z.number().int(),
  endColumn: z.number().int(),
  rule: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  expected: z.array(z.string()).optional().describe('replacements memlint knows for the range'),
  url: z.string(),
});

const lintFileOutput = {
  path: z.string(),
  root: z.string().nullable().describe('the memory root the file belongs to; null: a markdown file outside every tree, read for aops content'),
  dialect: z.string(),
  findings: z.array(finding),
  fixed: z.string().nullable().describe('the whole file with every certain fix applied, or null when none applies'),
  fixable: z.boolean().describe('whether some finding has a certain fix'),
};

const lintTreeOutput = {
  files: z.number().int(),
  errors: z.number().int(),
  warnings: z.number().int(),
  roots: z.array(z.object({ root: z.string(), dialect: z.string(), files: z.number().int(), errors: z.number().int(), warnings: z.number().int() })),
  findings: z.array(finding),
};

const nextLogOutput = {
  path: z.string().describe('where to write it (absolute)'),
  relPath: z.string().describe('its path inside the memory root'),
  dialect: z.string(),
  mode: z.enum(['create', 'append']).describe('append: add the text at the end of the existing file (a v0.3 Memory Bank entry)'),
  text: z.string().describe('the skeleton; replace every <fill: …> marker'),
  placeholders: z.array(z.object({ marker: z.string(), hint: z.string(), line: z.number().int() })),
  notes: z.array(z.string()),
};

const explainOutput = { id: z.string(), severity: z.string(), fixable: z.boolean(), crossFile: z.boolean(), url: z.string(), text: z.string() };

type Content = { content: { type: 'text'; text: string }[]; structuredContent?: Record<string, unknown>; isError?: boolean };

const failure = (text: string): Content => ({ content: [{ type: 'text', text }], isError: true });
const success = (text: string, data: Record<string, unknown>): Content => ({ content: [{ type: 'text', text }], structuredContent: data });

/** A tool's body, with the errors a caller can cause (a missing path, a task already logged) as tool errors, not failures of the server. */
function guarded<A>(run: (args: A) => Content): (args: A) => Content {
  return (args) => {
    try {
      return run(args);
    } catch (error) {
      if (error instanceof InputError) return failure(`${error.path ?? ''}${error.path ? ': ' : ''}${error.reason}`);
      if (error instanceof SkeletonError) return failure(error.message);
      return failure(`memlint could not do it: ${(error as Error).message}`);
    }
  };
}

/** A rule's page (rules/<id>.md beside the packages), when this installation has the pages. */
function rulePage(id: string): string | null {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const dir of [path.resolve(here, '..', '..', '..', 'rules'), path.resolve(here, '..', 'rules')]) {
    try {
      return readFileSync(path.join(dir, `${id}.md`), 'utf8');
    } catch {
      // Not here.
    }
  }
  return null;
}

export function memlintMcpServer(version: string, cwd: string): McpServer {
  const server = new McpServer({ name: 'memlint', version });
  const resolve = (p: string) => path.resolve(cwd, p);

  server.registerTool(
    'lint_file',
    {
      title: 'Lint a memory file',
      description:
        'Check one memory file (an APM handoff or task log, a tracker, an aops session note) against its memory tree on disk, cross-file rules included. Give `content` to check text before writing it (the file need not exist yet). Returns the findings (1-based line and column, rule, message) and, when memlint can fix them for certain, the whole fixed text.',
      inputSchema: { path: z.string().min(1).describe('the file, absolute or relative to the server\'s working directory'), content: z.string().optional().describe('proposed text standing for the file (not yet on disk)') },
      outputSchema: lintFileOutput,
      annotations: { readOnlyHint: true },
    },
    guarded(({ path: file, content }) => {
      const abs = resolve(file);
      if (!isMarkdownPath(abs)) return failure(`${file}: not a markdown file; memlint checks .md files`);
      const check = checkFile(abs, content, settingsFor(path.dirname(abs)), cwd)!;
      const text = check.findings.length === 0 ? `${file}: no findings` : `${findingLines(check.findings)}${check.fixed !== null ? '\n(structuredContent.fixed holds the text with the certain fixes applied)' : ''}`;
      return success(text, { path: abs, ...check });
    }),
  );

  server.registerTool(
    'lint_tree',
    {
      title: 'Lint a memory tree',
      description: 'Lint every memory tree (and aops session file) below a path, as `memlint <path>` does: a summary per memory root and every finding.',
      inputSchema: { path: z.string().min(1).describe('a directory or file') },
      outputSchema: lintTreeOutput,
      annotations: { readOnlyHint: true },
    },
    guarded(({ path: target }) => {
      const abs = resolve(target);
      const summary = lintTree(abs, settingsFor(abs), cwd);
      const head = `${summary.files} file${summary.files === 1 ? '' : 's'}: ${summary.errors} error${summary.errors === 1 ? '' : 's'}, ${summary.warnings} warning${summary.warnings === 1 ? '' : 's'}`;
      return success(summary.findings.length ? `${head}\n${findingLines(summary.findings)}` : head, { ...summary });
    }),
  );

  server.registerTool(
    'next_log',
    {
      title: 'Lay out the next log',
      description:
        "The path and skeleton of the next artifact in this tree's format: a handoff (numbers from the agent's chain: handoff N+1, outgoing and incoming), a task log (stage and task from the plan; default the agent's next planned task without a log) or an aops reflection. Replace each <fill: …> marker, then check it with lint_file before writing.",
      inputSchema: {
        path: z.string().min(1).describe('a directory in or holding the memory tree'),
        kind: z.enum(logKinds).describe('handoff, task-log or reflection'),
        agent: z.string().min(1).optional().describe('the agent writing it (backend-agent, Agent_Backend, manager); required for a handoff'),
        task: z.string().min(1).optional().describe('the task (2.1); for a reflection, the task id the next session resumes'),
      },
      outputSchema: nextLogOutput,
      annotations: { readOnlyHint: true },
    },
    guarded(({ path: target, kind, agent, task }) => {
      const abs = resolve(target);
      const settings = settingsFor(abs);
      const profile = resolveProfile(settings.config.aops?.profile ?? '2') ?? undefined;
      const s = nextLog(loadTreeAt(abs, settings.load), { kind, ...(agent ? { agent } : {}), ...(task ? { task } : {}), ...(profile ? { profile } : {}) });
      const data = { path: s.path, relPath: s.relPath, dialect: s.dialect, mode: s.mode, text: s.text, placeholders: s.placeholders.map(({ marker, hint, line }) => ({ marker, hint, line })), notes: s.notes };
      return success(`${s.mode === 'append' ? 'Append to' : 'Write'} ${s.path}:\n\n${s.text}${s.notes.length ? `\nNotes:\n${s.notes.map((n) => `- ${n}`).join('\n')}` : ''}`, data);
    }),
  );

  server.registerTool(
    'explain_rule',
    {
      title: 'Explain a rule',
      description: "A memlint rule's page: what it checks, why, and valid and invalid examples.",
      inputSchema: { id: z.string().min(1).describe('the rule id, as in a finding (handoff-instances)') },
      outputSchema: explainOutput,
      annotations: { readOnlyHint: true },
    },
    guarded(({ id }) => {
      const rule = findRule(id);
      if (!rule) {
        // The ids sharing the longest start with the one asked for come first.
        const shared = (r: string) => [...r].findIndex((ch, i) => ch !== id[i]) >>> 0;
        const near = allRules.map((r) => r.meta.id).filter((r) => shared(r) > 2).sort((a, b) => shared(b) - shared(a));
        return failure(`no rule "${id}"${near.length ? `; did you mean ${near.slice(0, 5).join(', ')}?` : ''} (memlint rules lists them)`);
      }
      const { meta } = rule;
      const url = ruleUrl(meta.id);
      const text = rulePage(meta.id) ?? `# ${meta.id}\n\n${meta.description}\n\nSee ${url}\n`;
      return success(text, { id: meta.id, severity: meta.severity, fixable: Boolean(meta.fixable), crossFile: Boolean(meta.crossFile), url, text });
    }),
  );
  return server;
}

export async function serveMcp(argv: string[], io: CliIo, version: string): Promise<number> {
  if (argv.length > 0) {
    io.stderr.write(`memlint mcp: takes no arguments, got "${argv[0]}" (it serves MCP on stdin and stdout)\n`);
    return 2;
  }
  const server = memlintMcpServer(version, io.cwd);
  const transport = new StdioServerTransport();
  await server.connect(transport);
  // Serve until the client closes stdin.
  await new Promise<void>((resolve) => {
    server.server.onclose = () => resolve();
    process.stdin.on('end', () => resolve());
  });
  await server.close();
  return 0;
}
