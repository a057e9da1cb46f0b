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

const connection = createConnection(ProposedFeatures.all);
startServer(connection, { rules: [...allRules, ...(await extraRules())] });
