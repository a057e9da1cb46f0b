// `pnpm bench [name] [-- options]`: runs a benchmark.
//
//   pnpm bench [site] [options]   the site benchmark (bench/site.js), the default; e.g.
//                                 `pnpm bench --files 300` for a quick smoke run
//   pnpm bench lint [options]     the comparative lint bench (bench/compare.js): memlint cold, warm
//                                 and on one named file against markdownlint-cli2, remark-lint-
//                                 frontmatter-schema, a bare parse and reading the files
//   pnpm bench lsp [options]      the language server bench (bench/lsp.js): cold first diagnostics,
//                                 edit latency after the debounce (same-file, cross-file), memory
//   pnpm bench hook [options]     the coding-agent hook bench (bench/hook.js): `memlint hook` on
//                                 recorded payloads in a 500-file tree and outside it, vs 300 ms
//
// The exit status says whether the run worked, not whether the targets passed: the table and
// the JSON carry PASS/FAIL, and a missed target is a finding, not a broken benchmark.
const [name, ...rest] = process.argv.slice(2);

try {
  if (name === 'lint') {
    const { runCompare } = await import('./compare.js');
    await runCompare(rest);
  } else if (name === 'hook') {
    const { runHookBench } = await import('./hook.js');
    await runHookBench(rest);
  } else if (name === 'lsp') {
    const { runLspBench } = await import('./lsp.js');
    await runLspBench(rest);
  } else {
    const { runSiteBench } = await import('./site.js');
    await runSiteBench(name === 'site' ? rest : process.argv.slice(2));
  }
} catch (error) {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 1;
}
