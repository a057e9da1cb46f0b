#!/usr/bin/env node
// What runs: the built bundle, packages/cli/dist/memlint.cjs (scripts/build.js; `pnpm install`
// builds it through `prepare`, `pnpm build` by hand, the test run before the tests), when it is
// there and no source it was built from is newer; else the TypeScript sources, run by Node's type
// stripping (a checkout without a build, or with sources edited since: slower to start, same
// results). MEMLINT_FROM_SOURCE=1 runs the sources whatever the bundle.
// Built-in imports and core's plain-JavaScript bundle check only, so that an old Node gets to the
// version check below.
import crypto from 'node:crypto';
import fs from 'node:fs';
import module from 'node:module';
import path from 'node:path';
import url from 'node:url';
import vm from 'node:vm';
import { currentBundle, requireNode } from '@memlint/core/bundle-check';

requireNode('memlint');

/**
 * Runs the bundle (CommonJS) as Node runs a CommonJS module, compiled with V8's code cache from
 * an earlier run when there is one: dist/.code-cache-<digest of the bundle>-<V8>-<arch>.bin,
 * beside the bundle and as trusted as it. Returns the bundle's exports, and, when there was no
 * usable cache, a function that writes one (after the run: it then holds every function the run
 * compiled, not only the top level). MEMLINT_NO_CODE_CACHE=1 reads and writes none.
 */
function loadBundle(file) {
  const source = fs.readFileSync(file);
  const useCache = !process.env.MEMLINT_NO_CODE_CACHE;
  const id = crypto.createHash('sha256').update(source).digest('hex').slice(0, 16);
  const cacheFile = path.join(path.dirname(file), `.code-cache-${id}-${process.versions.v8}-${process.arch}.bin`);
  let cachedData;
  if (useCache) {
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      // None yet.
    }
  }
  const wrapper = `(function (exports, require, module, __filename, __dirname, __memlintUrl) {${source}
})`;
  const script = new vm.Script(wrapper, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const bundleModule = { exports: {} };
  script.runInThisContext()(bundleModule.exports, module.createRequire(file), bundleModule, file, path.dirname(file), url.pathToFileURL(file).href);
  const saveCache =
    useCache && (!cachedData || script.cachedDataRejected)
      ? () => {
          // Written whole and renamed into place; a directory that cannot be written gets none.
          const temp = `${cacheFile}.${process.pid}.tmp`;
          try {
            fs.writeFileSync(temp, script.createCachedData());
            fs.renameSync(temp, cacheFile);
          } catch {
            fs.rmSync(temp, { force: true });
          }
        }
      : null;
  return { exports: bundleModule.exports, saveCache };
}

const bundle = currentBundle(path.join(import.meta.dirname, '..'), 'memlint.cjs');
// Source maps for stack traces only when one is asked for.
if (bundle && process.env.MEMLINT_DEBUG) process.setSourceMapsEnabled(true);
const loaded = bundle ? loadBundle(bundle) : { exports: await import('../src/main.ts'), saveCache: null };
const { main, ioErrorText } = loaded.exports;

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
loaded.saveCache?.();
