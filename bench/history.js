// Where the memlint site's content sync goes: times, in this process, the three things
// @memlint/astro's loader does with a memory tree on every build —
//
//   load + lint   @memlint/core: read and parse every file, build the workspace, run the rules;
//   render        @memlint/astro's renderMemoryMarkdown on every file (remark → rehype → HTML);
//   history       buildHistory(): both of the above plus the history model, as the loader calls it;
//
// and lists the slowest files to render. Used by bench/site.js (--files N tree) or alone:
//
//   node bench/history.js <memory-dir>          (a tree made by bench/generate.js, or any tree)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(import.meta.dirname, '..');

export async function historyBreakdown(memory) {
  // The workspace packages are TypeScript; Node 22 strips the types.
  const core = await import(path.join(repo, 'packages', 'core', 'src', 'index.ts'));
  const astro = await import(path.join(repo, 'packages', 'astro', 'src', 'index.ts'));
  const round = (x) => Math.round(x) / 1000;

  let t = performance.now();
  const { roots, loose } = core.loadPaths([memory]);
  const loadMs = performance.now() - t;
  t = performance.now();
  let documents = 0;
  for (const { workspace } of [...roots, ...(loose ? [loose] : [])]) {
    core.lintWorkspace(workspace, {});
    documents += workspace.documents.length;
  }
  const lintMs = performance.now() - t;

  const files = [];
  for (const { workspace } of [...roots, ...(loose ? [loose] : [])]) for (const doc of workspace.documents) files.push(doc.path);
  t = performance.now();
  const slowest = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const t0 = performance.now();
    astro.renderMemoryMarkdown(text);
    slowest.push({ file: path.relative(memory, file), bytes: text.length, ms: Math.round(performance.now() - t0) });
  }
  const renderMs = performance.now() - t;
  slowest.sort((a, b) => b.ms - a.ms);

  t = performance.now();
  const history = astro.buildHistory(memory);
  const historyMs = performance.now() - t;

  return {
    documents,
    loadSeconds: round(loadMs),
    lintSeconds: round(lintMs),
    renderSeconds: round(renderMs),
    historySeconds: round(historyMs),
    entries: Object.fromEntries(Object.entries(history).filter(([, v]) => Array.isArray(v)).map(([k, v]) => [k, v.length])),
    slowestRenders: slowest.slice(0, 5),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.length !== 3) {
    process.stderr.write('usage: node bench/history.js <memory-dir>\n');
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(await historyBreakdown(path.resolve(process.argv[2])), null, 2)}\n`);
}
