// Builds what `memlint` runs: the CLI (packages/cli/src/main.ts) and @memlint/core's sources,
// bundled with their dependencies into one file, packages/cli/dist/memlint.cjs (Node 22, a source
// map beside it). A part main.ts imports dynamically (`await import(…)`) stays behind a function
// that runs only when a command needs it.
//
//   node scripts/build.js             build (pnpm build; `prepare` runs it on pnpm install)
//   node scripts/build.js --if-stale  build only when the bundle is missing or a source is newer
//   node scripts/build.js --check     exit 0 when the bundle is current, 1 when not
//
// Why CommonJS and not ESM: the bin compiles the bundle with node:vm and keeps V8's code cache of
// it *after* a run (dist/.code-cache-<digest>-….bin), so the functions a lint needs are not
// compiled again at the next start; Node's own compile cache for ES modules holds only what is
// compiled before a module runs. On a 10-file tree that is ~20 ms less CPU than an ESM bundle with
// Node's compile cache (bench/startup.js). After building, one run over examples/ fills the cache.
// The sources may use import.meta.url, .dirname and .filename (they get the bundle's); any other
// import.meta, or a top-level await, is a build error.
//
// packages/cli/bin/memlint.js runs the bundle when it is there and current, else the sources.
// dist/inputs.json records the project's files the bundle was made from (relative to
// packages/cli/) and the time the build started; the bin and the test setup compare the files'
// modification times with it, so an edited source is never run from a stale bundle.
//
// Several builds and many memlint processes may run at once in one checkout (parallel test
// runs): the build writes into a directory of its own, then renames each file into dist/
// (memlint.cjs, then inputs.json last), so a process reads the old bundle or the new one, never
// half of one. A code cache is named by the digest of the bundle it was made from; those of other
// bundles are removed once they are ten minutes old.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const cliDir = path.join(root, 'packages', 'cli');
export const distDir = path.join(cliDir, 'dist');
export const bundlePath = path.join(distDir, 'memlint.cjs');
const inputsPath = path.join(distDir, 'inputs.json');
const KEEP_OLD_MS = 10 * 60 * 1000;
// The language server's bundle (packages/language-server/dist/server.cjs), built beside the CLI's:
// its bin runs it when current, as the CLI's runs memlint.cjs (a bundle starts in a third of the
// time and ~35 MB less memory than the sources through type stripping).
const serverDir = path.join(root, 'packages', 'language-server');
const serverDist = path.join(serverDir, 'dist');
const serverInputsPath = path.join(serverDist, 'inputs.json');
const serverBundlePath = path.join(serverDist, 'server.cjs');

/**
 * True when the bundle exists and no file it was built from (the project's own sources), nor this
 * script, changed since. Dependencies in node_modules are not compared: `pnpm install` rebuilds
 * through `prepare`.
 */
export function bundleIsCurrent() {
  return isCurrent(inputsPath, bundlePath, cliDir) && isCurrent(serverInputsPath, serverBundlePath, serverDir);
}

function isCurrent(inputsFile, bundleFile, base) {
  let recorded;
  try {
    recorded = JSON.parse(readFileSync(inputsFile, 'utf8'));
    statSync(bundleFile);
  } catch {
    return false;
  }
  const files = [...recorded.inputs.map((f) => path.join(base, f)), fileURLToPath(import.meta.url)];
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

/** The code cache's name part for a bundle: the digest of its bytes (the bin computes the same). */
export function codeCacheId(bytes) {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

/** Bundles the CLI; returns the output files and their sizes. Throws on a build error (esbuild prints it). */
export async function build({ quiet = false } = {}) {
  const started = performance.now();
  // Imported here, so that importing bundleIsCurrent alone costs nothing.
  const esbuild = await import('esbuild');
  // Before the build reads anything: a source saved during the build makes the bundle stale.
  const builtAt = Date.now();
  const { result, id } = await bundleInto(esbuild, { entry: 'packages/cli/src/main.ts', pkgDir: cliDir, name: path.basename(bundlePath), builtAt, quiet });
  prune(id);
  // One lint run over the examples compiles what a lint needs; the bin keeps V8's code cache of it.
  spawnSync(process.execPath, [path.join(cliDir, 'bin', 'memlint.js'), 'examples'], { cwd: root, stdio: 'ignore', env: { ...process.env, MEMLINT_FROM_SOURCE: '' } });

  await buildServer(esbuild, builtAt, quiet);

  const outputs = Object.entries(result.metafile.outputs)
    .filter(([file]) => file.endsWith('.cjs'))
    .map(([file, info]) => ({ file: path.join(distDir, path.basename(file)), bytes: info.bytes }));
  if (!quiet) {
    const bytes = outputs.reduce((n, o) => n + o.bytes, 0);
    process.stdout.write(`memlint: built ${path.relative(root, bundlePath)} (${(bytes / 1024).toFixed(0)} KB) in ${(performance.now() - started).toFixed(0)} ms\n`);
  }
  return outputs;
}

/** Bundles the language server (packages/language-server/src/main.ts) into its dist/, as the CLI's bundle is. */
async function buildServer(esbuild, builtAt, quiet) {
  // The CLI's bin passes the bundle its URL; the server's bin requires its bundle, which makes its own.
  const banner = 'var __memlintUrl = require("node:url").pathToFileURL(__filename).href;';
  const { bytes } = await bundleInto(esbuild, { entry: 'packages/language-server/src/main.ts', pkgDir: serverDir, name: path.basename(serverBundlePath), builtAt, quiet, banner });
  if (!quiet) process.stdout.write(`memlint: built ${path.relative(root, serverBundlePath)} (${(bytes / 1024).toFixed(0)} KB)\n`);
}

/**
 * One bundle: `entry` with its dependencies into `<pkgDir>/dist/<name>` (CommonJS, Node 22, a source
 * map beside it) and `dist/inputs.json` (the project's files it was made from, relative to the
 * package, and when the build started). Written in a staging folder of its own, then renamed into
 * dist/ file by file, inputs.json last: a process reads the old bundle or the new one, never half.
 */
async function bundleInto(esbuild, { entry, pkgDir, name, builtAt, quiet, banner }) {
  const dist = path.join(pkgDir, 'dist');
  const staging = path.join(dist, `.build-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile: path.join(staging, name),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node22',
    sourcemap: true,
    // Whitespace and syntax only: less to read and parse, names kept for stack traces.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    metafile: true,
    logLevel: quiet ? 'error' : 'warning',
    // The bundle's own URL, directory and path (main.ts reads `../package.json`).
    define: { 'import.meta.url': '__memlintUrl', 'import.meta.dirname': '__dirname', 'import.meta.filename': '__filename' },
    ...(banner ? { banner: { js: banner } } : {}),
    // Any other import.meta would be an empty object in CommonJS: fail rather than run wrong.
    logOverride: { 'empty-import-meta': 'error' },
  });
  const inputs = Object.keys(result.metafile.inputs)
    .filter((f) => !f.split('/').includes('node_modules'))
    .map((f) => path.relative(pkgDir, path.join(root, f)).split(path.sep).join('/'))
    .sort();
  writeFileSync(path.join(staging, 'inputs.json'), `${JSON.stringify({ builtAt, inputs }, null, 1)}\n`);
  const id = codeCacheId(readFileSync(path.join(staging, name)));
  fixSourceMap(path.join(staging, `${name}.map`));
  for (const file of [`${name}.map`, name, 'inputs.json']) renameSync(path.join(staging, file), path.join(dist, file));
  rmSync(staging, { recursive: true, force: true });
  const bytes = Object.entries(result.metafile.outputs).find(([file]) => file.endsWith('.cjs'))?.[1].bytes ?? 0;
  return { result, id, bytes };
}

/**
 * A source map written in the staging folder names its sources from one folder deeper than the
 * bundle will be: they are made relative to dist/ before the map is moved there.
 */
function fixSourceMap(file) {
  const map = JSON.parse(readFileSync(file, 'utf8'));
  map.sources = map.sources.map((s) => (s.startsWith('../') ? s.slice(3) : s));
  writeFileSync(file, JSON.stringify(map));
}

/** Removes, once ten minutes old: other bundles' code caches, what builds that died left, what older builds made. */
function prune(id) {
  const now = Date.now();
  for (const name of readdirSync(distDir)) {
    const old = /^\.build-\d+$/.test(name) || (name.startsWith('.code-cache-') && !name.startsWith(`.code-cache-${id}-`)) || /\.js(\.map)?$/.test(name);
    if (!old) continue;
    const file = path.join(distDir, name);
    try {
      if (now - statSync(file).mtimeMs > KEEP_OLD_MS) rmSync(file, { recursive: true, force: true });
    } catch {
      // Another build removed it first.
    }
  }
}

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
