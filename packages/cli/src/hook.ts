// `memlint hook`: a Claude Code PostToolUse hook. It reads the hook's JSON on stdin (the tool that
// ran and the file it wrote), lints that file against its memory tree, and answers in the hook
// protocol: exit 0 always; with errors, `{"decision":"block","reason":…}` on stdout, which Claude
// Code shows the agent so it fixes the log before going on; with warnings only, the findings as
// additional context; nothing for a clean file or one memlint does not read. A hook that fails
// must not stop the agent: bad input or an internal error is a note on stderr and exit 0.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { ParseCache } from '@memlint/core';
import { checkFile, findingLines, isMarkdownPath, settingsFor } from './agent.ts';
import { openCache } from './cache.ts';
import type { CliIo } from './main.ts';

export interface HookOptions {
  /** `--cache`: the tree's other files restored from the lint cache when they did not change (read and parsed only when they did). */
  cache: boolean;
  cacheLocation?: string;
  version?: string;
}

/** `memlint hook [--cache] [--cache-location <path>]`; anything else is a note on stderr (a hook never fails). */
export function hookOptions(argv: string[], io: CliIo): HookOptions {
  try {
    const { values } = parseArgs({ args: argv, options: { cache: { type: 'boolean' }, 'cache-location': { type: 'string' } }, strict: true, allowPositionals: false });
    const location = values['cache-location'];
    return { cache: Boolean(values.cache) || location !== undefined, ...(location ? { cacheLocation: location } : {}) };
  } catch (error) {
    io.stderr.write(`memlint hook: ${(error as Error).message}; going on without the cache\n`);
    return { cache: false };
  }
}

const payloadSchema = z.looseObject({
  hook_event_name: z.string().optional(),
  tool_name: z.string().optional(),
  cwd: z.string().optional(),
  tool_input: z.looseObject({ file_path: z.string().optional(), notebook_path: z.string().optional() }).optional(),
  tool_response: z.looseObject({ filePath: z.string().optional() }).optional(),
});

/** The file a tool call wrote, from the payload (`tool_input.file_path`, or what the tool reported). */
export function writtenFile(payload: z.infer<typeof payloadSchema>): string | null {
  return payload.tool_input?.file_path ?? payload.tool_response?.filePath ?? null;
}

export async function runHook(input: string, io: CliIo, options: HookOptions = { cache: false }): Promise<number> {
  let payload: z.infer<typeof payloadSchema>;
  try {
    payload = payloadSchema.parse(JSON.parse(input));
  } catch (error) {
    io.stderr.write(`memlint hook: expected the hook's JSON on standard input (${error instanceof SyntaxError ? error.message : 'not an object of the hook payload\'s shape'}); nothing checked\n`);
    return 0;
  }
  const file = writtenFile(payload);
  if (!file || !isMarkdownPath(file)) return 0;
  const cwd = payload.cwd && path.isAbsolute(payload.cwd) ? payload.cwd : io.cwd;
  const abs = path.resolve(cwd, file);
  try {
    const settings = settingsFor(path.dirname(abs));
    // With --cache, the siblings that did not change since the last run are restored, not read: the
    // answer costs about what one file does. The cache lives where `memlint --cache` keeps it.
    const cache = options.cache ? openCache({ location: options.cacheLocation, cwd, version: options.version ?? '0', config: settings.config, ...(settings.load.dialect ? { dialect: settings.load.dialect } : {}) }) : null;
    // Only its parses: the findings it stores for whole roots answer `memlint --cache` runs, not one file's check.
    const parses: ParseCache | null = cache ? { restoreUnread: (i) => cache.restoreUnread(i), restore: (i) => cache.restore(i), record: (d, digest, stat) => cache.record(d, digest, stat) } : null;
    const check = checkFile(abs, undefined, parses ? { ...settings, load: { ...settings.load, cache: parses } } : settings, cwd, { fixed: false });
    if (cache) {
      try {
        cache.save();
      } catch (error) {
        io.stderr.write(`memlint hook: cannot write the cache (${(error as Error).message}); the next run starts without it\n`);
      }
    }
    if (!check || check.findings.length === 0) return 0;
    const errors = check.findings.filter((f) => f.severity === 'error');
    const shown = path.relative(cwd, abs) || abs;
    const fixes = check.fixable ? `\n\`memlint --fix ${shown}\` applies the certain fixes; fix the rest by hand.` : '';
    const lines = findingLines(check.findings);
    if (errors.length > 0) {
      const reason = `memlint: ${shown} has ${errors.length} error${errors.length === 1 ? '' : 's'} in its format; fix ${errors.length === 1 ? 'it' : 'them'} before moving on:\n${lines}${fixes}`;
      io.stdout.write(`${JSON.stringify({ decision: 'block', reason })}\n`);
    } else {
      const context = `memlint: ${shown} has warnings:\n${lines}${fixes}`;
      io.stdout.write(`${JSON.stringify({ hookSpecificOutput: { hookEventName: payload.hook_event_name ?? 'PostToolUse', additionalContext: context } })}\n`);
    }
    return 0;
  } catch (error) {
    io.stderr.write(`memlint hook: could not check ${abs}: ${(error as Error).message}\n`);
    return 0;
  }
}

/** Standard input, whole (none when it is a terminal: no hook is talking). */
export async function readStdin(stream: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (stream.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
