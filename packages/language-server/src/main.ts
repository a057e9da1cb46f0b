// `memlint-language-server --stdio` (or --node-ipc, --socket=<port>: the transports
// vscode-languageserver reads from the command line).
//
// MEMLINT_LANGUAGE_SERVER_RULES=<file>: a module whose `rules` export (an array of memlint rules) is
// run besides memlint's own, for trying a rule in an editor before it lands (the tests use it to
// give the server a rule that throws).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { allRules, type Rule } from '@memlint/core';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server.ts';

async function extraRules(): Promise<Rule[]> {
  const file = process.env.MEMLINT_LANGUAGE_SERVER_RULES;
  if (!file) return [];
  const loaded = (await import(pathToFileURL(path.resolve(file)).href)) as { rules?: Rule[] };
  return Array.isArray(loaded.rules) ? loaded.rules : [];
}

// No top-level await: the VS Code extension bundles this file as CommonJS.
void extraRules().then(
  (extra) => startServer(createConnection(ProposedFeatures.all), { rules: [...allRules, ...extra] }),
  (error: unknown) => {
    process.stderr.write(`memlint-language-server: cannot load MEMLINT_LANGUAGE_SERVER_RULES: ${(error as Error).message}\n`);
    process.exit(2);
  },
);
