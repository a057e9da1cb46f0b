// Builds what the extension ships, into packages/vscode/dist/:
//   extension.js  src/extension.ts with vscode-languageclient (the `vscode` module is VS Code's own)
//   server.js     the language server (packages/language-server/src/main.ts) with @memlint/core and
//                 every dependency, so the .vsix needs no node_modules
// Both CommonJS for Node 20: the extension host and the server it forks run on the Node inside VS
// Code's Electron, which is older than the Node 22 the rest of the project runs on (VS Code 1.91,
// the oldest this extension accepts, ships Node 20.9).
//
// The package is CommonJS (VS Code loads dist/extension.js with require); src/package.json marks the
// sources as ES modules for the project's type check only.
//
//   node scripts/build.mjs   (pnpm --filter ./packages/vscode build; `package` runs it first)
import { rmSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';

const here = path.resolve(import.meta.dirname, '..');
const serverEntry = path.resolve(here, '..', 'language-server', 'src', 'main.ts');
const dist = path.join(here, 'dist');

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  // A source reading import.meta would get an empty object in CommonJS: fail the build instead.
  logOverride: { 'empty-import-meta': 'error' },
};

rmSync(dist, { recursive: true, force: true });
const started = performance.now();
const results = await Promise.all([
  esbuild.build({ ...common, entryPoints: [path.join(here, 'src', 'extension.ts')], outfile: path.join(dist, 'extension.js'), external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: [serverEntry], outfile: path.join(dist, 'server.js') }),
]);
const sizes = results.flatMap((r) => Object.entries(r.metafile.outputs)).map(([file, out]) => `${path.basename(file)} ${(out.bytes / 1024).toFixed(0)} KB`);
process.stdout.write(`memlint-vscode: built ${sizes.join(', ')} in ${(performance.now() - started).toFixed(0)} ms\n`);
