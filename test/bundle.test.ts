// The built CLI (scripts/build.js → packages/cli/dist/memlint.cjs) and the bin's choice between it
// and the TypeScript sources. The test run builds the bundle first (test/support/build-bundle.ts);
// here: it is there and current, the bin runs it, it answers exactly as the sources do, and a
// stale or missing bundle makes the bin run the sources. No timings: bench/startup.js measures.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memlint, memlintBin, memlintWith, repoRoot, tempDir, type Run } from './support/run.ts';

const cliDir = path.join(repoRoot, 'packages', 'cli');
const bundle = path.join(cliDir, 'dist', 'memlint.cjs');

// Preloaded: logs every module Node loads (a load hook) and every script the bin compiles with
// node:vm (the bundle), with whether V8 took its code cache: which of bundle and sources ran.
const traceHook = `data:text/javascript,${encodeURIComponent(`
import { registerHooks } from 'node:module';
import { writeSync } from 'node:fs';
import vm from 'node:vm';
const log = (line) => writeSync(2, 'memlint-test-load ' + line + '\\n');
registerHooks({ load(url, context, next) { log(url); return next(url, context); } });
const Script = vm.Script;
vm.Script = class extends Script {
  constructor(code, options) {
    super(code, options);
    log('script:' + options.filename + ' cache:' + (options.cachedData ? (this.cachedDataRejected ? 'rejected' : 'used') : 'none'));
  }
};
`)}`;

/** What a run of `bin` loaded from the project (not node: built-ins, not node_modules): module URLs, and `script:<file> cache:…` for the bundle. */
function loadedModules(bin: string, args: string[], env: Record<string, string> = {}): { run: Run; project: string[] } {
  const r = spawnSync(process.execPath, ['--import', traceHook, bin, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', MEMLINT_FROM_SOURCE: '', ...env },
  });
  const loads = r.stderr.split('\n').filter((l) => l.startsWith('memlint-test-load ')).map((l) => l.slice('memlint-test-load '.length));
  const stderr = r.stderr.split('\n').filter((l) => !l.startsWith('memlint-test-load ')).join('\n');
  const project = loads.filter((u) => (u.startsWith('file:') || u.startsWith('script:')) && !u.includes('/node_modules/'));
  return { run: { status: r.status, signal: r.signal, stdout: r.stdout, stderr, ms: 0 }, project };
}

const fromSource = { env: { MEMLINT_FROM_SOURCE: '1' } };

describe('the bundle', () => {
  it('is built and current after the test setup', () => {
    expect(existsSync(bundle)).toBe(true);
    expect(existsSync(`${bundle}.map`)).toBe(true);
    const check = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'build.js'), '--check'], { encoding: 'utf8' });
    expect(check.status, 'scripts/build.js --check: a source is newer than the bundle').toBe(0);
    const { inputs } = JSON.parse(readFileSync(path.join(cliDir, 'dist', 'inputs.json'), 'utf8')) as { inputs: string[] };
    // The core is inlined: its sources are among the inputs, and the bundle imports no @memlint package.
    expect(inputs).toContain('src/main.ts');
    expect(inputs.some((f) => f.startsWith('../core/src/'))).toBe(true);
    expect(readFileSync(bundle, 'utf8')).not.toMatch(/require\(["']@memlint\//);
    // The build's run over examples/ left V8's code cache for this bundle.
    expect(readdirSync(path.dirname(bundle)).some((f) => f.startsWith('.code-cache-'))).toBe(true);
  });

  it('is what the bin runs, from its code cache: no TypeScript', () => {
    const { run, project } = loadedModules(memlintBin, ['examples/apm-stage', '--report', 'json']);
    expect(run.status).toBe(0);
    // The bin, core's plain-JavaScript bundle check (shared with the language server's bin), the bundle.
    expect(project).toEqual([`file://${memlintBin}`, `file://${path.join(repoRoot, 'packages', 'core', 'bin', 'bundle-check.js')}`, `script:${bundle} cache:used`]);
  });

  it('MEMLINT_FROM_SOURCE=1 runs the TypeScript sources instead', () => {
    const { run, project } = loadedModules(memlintBin, ['--version'], { MEMLINT_FROM_SOURCE: '1' });
    expect(run.status).toBe(0);
    expect(project).toContain(`file://${path.join(cliDir, 'src', 'main.ts')}`);
    expect(project.some((u) => u.includes('/packages/cli/dist/'))).toBe(false);
  });
});

describe('the bundle and the sources give the same answers', () => {
  const examples = readdirSync(path.join(repoRoot, 'examples'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => `examples/${d.name}`);

  it.each(examples)('memlint %s --report json', (tree) => {
    const built = memlint([tree, '--report', 'json']);
    const source = memlintWith([tree, '--report', 'json'], repoRoot, fromSource);
    expect(built.stdout.length).toBeGreaterThan(2);
    expect(built).toMatchObject({ status: source.status, signal: source.signal, stdout: source.stdout, stderr: source.stderr });
  });

  it.each([
    [['examples', '--report', 'json']],
    [['examples/apm-stage-defects']],
    [['examples/apm-v1-defects', '--report', 'sarif']],
    [['examples', '--explain-dialect', '--report', 'json']],
    [['rules', '--report', 'json']],
    [['schema', 'task-log']],
    [['schema', 'config']],
    [['--help']],
    [['--version']],
    [['--no-such-option']],
    [['examples/no-such-tree']],
  ])('memlint %j', (args) => {
    const built = memlint(args);
    const source = memlintWith(args, repoRoot, fromSource);
    expect(built).toMatchObject({ status: source.status, signal: source.signal, stdout: source.stdout, stderr: source.stderr });
  });
});

describe('a stale or missing bundle, and the code cache', () => {
  // A copy of the CLI package (bin, dist, src; node_modules linked), so that ageing or removing
  // files here leaves the repository's bundle alone for the tests running beside this one.
  function cliCopy(): { bin: string; dir: string } {
    const dir = path.join(tempDir('bundle'), 'cli');
    mkdirSync(dir);
    for (const part of ['bin', 'dist', 'src', 'package.json']) cpSync(path.join(cliDir, part), path.join(dir, part), { recursive: true, preserveTimestamps: true });
    symlinkSync(path.join(cliDir, 'node_modules'), path.join(dir, 'node_modules'));
    return { bin: path.join(dir, 'bin', 'memlint.js'), dir };
  }
  const ranFrom = (project: string[], dir: string) => ({
    bundle: project.some((u) => u.startsWith(`script:${path.join(dir, 'dist', 'memlint.cjs')} `)),
    sources: project.includes(`file://${path.join(dir, 'src', 'main.ts')}`),
  });

  it('runs the bundle while it is current, the sources once one of them is newer', () => {
    const { bin, dir } = cliCopy();
    const current = loadedModules(bin, ['examples/apm-stage-defects', '--report', 'json']);
    expect(ranFrom(current.project, dir)).toEqual({ bundle: true, sources: false });
    // An edit after the build.
    const later = new Date(Date.now() + 5_000);
    utimesSync(path.join(dir, 'src', 'options.ts'), later, later);
    const stale = loadedModules(bin, ['examples/apm-stage-defects', '--report', 'json']);
    expect(ranFrom(stale.project, dir)).toEqual({ bundle: false, sources: true });
    expect(stale.run).toMatchObject({ status: current.run.status, stdout: current.run.stdout, stderr: current.run.stderr });
    rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('keeps V8\'s code cache beside the bundle: written after a run without one, used next time, rewritten when V8 rejects it', () => {
    const { bin, dir } = cliCopy();
    const dist = path.join(dir, 'dist');
    const caches = () => readdirSync(dist).filter((f) => f.startsWith('.code-cache-'));
    for (const f of caches()) rmSync(path.join(dist, f));
    const args = ['examples/apm-v1-defects', '--report', 'json'];
    const first = loadedModules(bin, args);
    expect(first.project.at(-1)).toMatch(/ cache:none$/);
    expect(caches()).toHaveLength(1);
    const second = loadedModules(bin, args);
    expect(second.project.at(-1)).toMatch(/ cache:used$/);
    // A damaged cache: V8 rejects it, the run is the same, and a good one replaces it.
    writeFileSync(path.join(dist, caches()[0]!), 'not a code cache');
    const third = loadedModules(bin, args);
    expect(third.project.at(-1)).toMatch(/ cache:rejected$/);
    expect(loadedModules(bin, args).project.at(-1)).toMatch(/ cache:used$/);
    for (const r of [second, third]) expect(r.run).toMatchObject({ status: first.run.status, stdout: first.run.stdout, stderr: first.run.stderr });
    expect(first.run.status).toBe(1);
    rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('runs the sources when there is no build', () => {
    const { bin, dir } = cliCopy();
    rmSync(path.join(dir, 'dist'), { recursive: true });
    const { run, project } = loadedModules(bin, ['--version']);
    expect(run).toMatchObject({ status: 0, stdout: `${JSON.parse(readFileSync(path.join(cliDir, 'package.json'), 'utf8')).version}\n`, stderr: '' });
    expect(ranFrom(project, dir)).toEqual({ bundle: false, sources: true });
    rmSync(path.dirname(dir), { recursive: true, force: true });
  });
});
