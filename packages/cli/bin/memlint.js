#!/usr/bin/env node
// What runs: the built bundle, packages/cli/dist/memlint.js (scripts/build.js; `pnpm install`
// builds it through `prepare`, `pnpm build` by hand, the test run before the tests), when it is
// there and no source it was built from is newer; else the TypeScript sources, run by Node's type
// stripping (a checkout without a build, or with sources edited since: slower to start, same
// results). MEMLINT_FROM_SOURCE=1 runs the sources whatever the bundle.
// Default imports of built-ins only, so that an old Node gets to the version check below.
import fs from 'node:fs';
import module from 'node:module';
import path from 'node:path';
import url from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`memlint needs Node.js 22.12 or later; this is ${process.version}.\n`);
  process.exit(2);
}

/**
 * The bundle's path, when it should run: built (dist/inputs.json lists the project's files it was
 * made from, relative to packages/cli/, and when) and none of those files changed since. A listed
 * file that is not there (an installed package ships no core sources) is not a change. About 90
 * stat calls: well under a millisecond.
 */
function currentBundle() {
  const fromSource = process.env.MEMLINT_FROM_SOURCE;
  if (fromSource && fromSource !== '0') return null;
  const pkg = path.join(import.meta.dirname, '..');
  let recorded;
  try {
    recorded = JSON.parse(fs.readFileSync(path.join(pkg, 'dist', 'inputs.json'), 'utf8'));
  } catch {
    return null;
  }
  for (const file of recorded.inputs) {
    const stats = fs.statSync(path.join(pkg, file), { throwIfNoEntry: false });
    if (stats && stats.mtimeMs > recorded.builtAt) return null;
  }
  const bundle = path.join(pkg, 'dist', 'memlint.js');
  return fs.statSync(bundle, { throwIfNoEntry: false }) ? bundle : null;
}

const bundle = currentBundle();
if (bundle) {
  // V8's compiled code for the bundle, kept by Node between runs (NODE_COMPILE_CACHE picks the
  // directory, default under the system temp dir; NODE_DISABLE_COMPILE_CACHE=1 turns it off):
  // start-up without parsing a megabyte of JavaScript again. A cache that cannot be written is
  // skipped silently. Source maps for stack traces only when one is asked for.
  module.enableCompileCache?.();
  if (process.env.MEMLINT_DEBUG) process.setSourceMapsEnabled(true);
}
const { main, ioErrorText } = await import(bundle ? url.pathToFileURL(bundle).href : '../src/main.ts');

// `memlint … | head`: when the reader goes away, stop quietly, as other command-line tools do.
// Any other failure to write the report is an I/O failure (exit 2), said in one line.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    if (stream === process.stdout) {
      try {
        process.stderr.write(`memlint: cannot write the report (${ioErrorText(error)})\n`);
      } catch {
        // stderr is gone too: the exit status says it.
      }
    }
    process.exit(2);
  });
}

let cwd;
try {
  cwd = process.cwd();
} catch (error) {
  process.stderr.write(`memlint: cannot use the working directory (${ioErrorText(error)}; was it removed?)\n`);
  process.exit(2);
}
process.exitCode = await main(process.argv.slice(2), { cwd, stdout: process.stdout, stderr: process.stderr });
