// Builds what `memlint` runs: the CLI (packages/cli/src/main.ts) and @memlint/core's sources,
// bundled with their dependencies into packages/cli/dist/memlint.js (ESM, Node 22, a source map
// beside it). A part main.ts imports dynamically (`await import(…)`) becomes a chunk of its own
// (dist/<name>-<hash>.js), loaded only by the commands that need it.
//
//   node scripts/build.js             build (pnpm build; `prepare` runs it on pnpm install)
//   node scripts/build.js --if-stale  build only when the bundle is missing or a source is newer
//   node scripts/build.js --check     exit 0 when the bundle is current, 1 when not
//
// packages/cli/bin/memlint.js runs the bundle when it is there and current, else the sources.
// dist/inputs.json records the project's files the bundle was made from (relative to
// packages/cli/) and the time the build started; the bin and the test setup compare the files'
// modification times with it, so an edited source is never run from a stale bundle.
//
// Several builds and many memlint processes may run at once in one checkout (parallel test
// runs): the build writes into a directory of its own, then renames each file into dist/ (chunks
// first, their names carry a content hash; memlint.js, then inputs.json last), so a process sees
// the old bundle or the new one, never half of one. Chunks the new bundle does not use are
// removed once they are ten minutes old (a process still running the old bundle may load one).
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const cliDir = path.join(root, 'packages', 'cli');
export const distDir = path.join(cliDir, 'dist');
export const bundlePath = path.join(distDir, 'memlint.js');
const inputsPath = path.join(distDir, 'inputs.json');
const KEEP_OLD_CHUNKS_MS = 10 * 60 * 1000;

/**
 * True when the bundle exists and no file it was built from (the project's own sources), nor this
 * script, changed since. Dependencies in node_modules are not compared: `pnpm install` rebuilds
 * through `prepare`.
 */
export function bundleIsCurrent() {
  let recorded;
  try {
    recorded = JSON.parse(readFileSync(inputsPath, 'utf8'));
    statSync(bundlePath);
  } catch {
    return false;
  }
  const files = [...recorded.inputs.map((f) => path.join(cliDir, f)), fileURLToPath(import.meta.url)];
  for (const file of files) {
    let mtime;
    try {
      mtime = statSync(file).mtimeMs;
    } catch {
      return false; // a source went away: the bundle holds code that no longer exists
    }
    if (mtime > recorded.builtAt) return false;
  }
  return true;
}

/** Bundles the CLI; returns the output files and their sizes. Throws on a build error (esbuild prints it). */
export async function build({ quiet = false } = {}) {
  const started = performance.now();
  // Imported here, so that importing bundleIsCurrent alone costs nothing.
  const esbuild = await import('esbuild');
  // Before the build reads anything: a source saved during the build makes the bundle stale.
  const builtAt = Date.now();
  const staging = path.join(distDir, `.build-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { memlint: 'packages/cli/src/main.ts' },
    outdir: staging,
    entryNames: '[name]',
    // Chunks beside the entry, not in a folder below it: code that esbuild moves into a chunk
    // keeps the same `import.meta.url` depth (main.ts reads `../package.json` from it).
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    sourcemap: true,
    // Whitespace and syntax only: less to read and parse, names kept for stack traces.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    metafile: true,
    logLevel: quiet ? 'error' : 'warning',
    // Some dependencies (yaml) are CommonJS and require Node's built-ins: give them a require.
    banner: { js: "import { createRequire as __memlintCreateRequire } from 'node:module'; const require = __memlintCreateRequire(import.meta.url);" },
  });
  const inputs = Object.keys(result.metafile.inputs)
    .filter((f) => !f.split('/').includes('node_modules'))
    .map((f) => path.relative(cliDir, path.join(root, f)).split(path.sep).join('/'))
    .sort();
  writeFileSync(path.join(staging, 'inputs.json'), `${JSON.stringify({ builtAt, inputs }, null, 1)}\n`);

  const built = readdirSync(staging);
  const last = ['memlint.js.map', 'memlint.js', 'inputs.json'];
  for (const name of [...built.filter((n) => !last.includes(n)), ...last]) renameSync(path.join(staging, name), path.join(distDir, name));
  rmSync(staging, { recursive: true, force: true });
  prune(new Set(built));

  const outputs = Object.entries(result.metafile.outputs)
    .filter(([file]) => file.endsWith('.js'))
    .map(([file, info]) => ({ file: path.join(distDir, path.basename(file)), bytes: info.bytes }));
  if (!quiet) {
    const total = outputs.reduce((n, o) => n + o.bytes, 0);
    const main = outputs.find((o) => o.file === bundlePath);
    const chunks = outputs.length - 1;
    process.stdout.write(
      `memlint: built ${path.relative(root, bundlePath)} (${kb(main.bytes)}${chunks ? `, ${chunks} lazy chunk${chunks === 1 ? '' : 's'}, ${kb(total)} in all` : ''}) in ${(performance.now() - started).toFixed(0)} ms\n`,
    );
  }
  return outputs;
}

/** Removes old chunks the new bundle does not use, and what builds that died left behind. */
function prune(current) {
  const now = Date.now();
  for (const name of readdirSync(distDir)) {
    if (current.has(name)) continue;
    const file = path.join(distDir, name);
    const staleBuild = /^\.build-\d+$/.test(name);
    if (!staleBuild && !/\.js(\.map)?$/.test(name)) continue;
    try {
      if (now - statSync(file).mtimeMs > KEEP_OLD_CHUNKS_MS) rmSync(file, { recursive: true, force: true });
    } catch {
      // Another build removed it first.
    }
  }
}

const kb = (n) => `${(n / 1024).toFixed(0)} KB`;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) process.exit(bundleIsCurrent() ? 0 : 1);
  if (process.argv.includes('--if-stale') && bundleIsCurrent()) process.exit(0);
  try {
    await build();
  } catch {
    // esbuild has printed the errors.
    process.exit(1);
  }
}
