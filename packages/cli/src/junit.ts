import path from 'node:path';
import type { Diagnostic } from '@memlint/core';

// XML 1.0 allows tab, LF, CR and everything from U+0020 up but the surrogates, U+FFFE and U+FFFF;
// the others (most C0 controls) cannot appear even as character references, so they are written
// as visible `\uXXXX` text. Lone surrogates (a string cut mid-pair) are written the same way.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const visible = (ch: string) => `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Text content: `&` and `<` escaped (and `>`, so `]]>` never appears; CR as a reference, which parsers would turn into LF), characters XML forbids made visible. */
export function xmlText(s: string): string {
  return s.replace(NOT_XML, visible).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** An attribute value in double quotes: as text, plus `"`, and tab/LF/CR as references (a parser would turn them into spaces). */
export function xmlAttribute(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

export interface JunitOptions {
  /** Warnings fail the run (`--frail`, or `--max-warnings` exceeded): they are failures then, else passing cases with their text. */
  warningsFail: boolean;
}

/**
 * The findings as JUnit XML, for CI test panels (GitLab, Jenkins, Azure, CircleCI): a
 * `<testsuite>` per file checked (panels group by suite, and a file is what a reader opens), a
 * `<testcase>` per finding (panels show one failure per case, so each finding gets its own), and
 * one passing case for a file with no findings, so every file checked is listed.
 */
export function junitReport(results: { path: string; diagnostics: readonly Diagnostic[] }[], cwd: string, options: JunitOptions): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const { path: file, diagnostics } of results) {
    const rel = path.relative(cwd, file).split(path.sep).join('/') || file;
    const cases: string[] = [];
    let suiteFailures = 0;
    for (const d of diagnostics) {
      const { line, column } = d.range.start;
      const where = `${rel}:${line}:${column}`;
      const detail = xmlText(`${where}: ${d.severity}: ${d.message} (${d.ruleId})\n${d.url}${d.note ? `\n${d.note}` : ''}`);
      const fails = d.severity === 'error' || options.warningsFail;
      const head = `    <testcase name="${xmlAttribute(`${d.ruleId} at ${line}:${column}`)}" classname="${xmlAttribute(rel)}" file="${xmlAttribute(rel)}" line="${line}" time="0">`;
      if (fails) {
        suiteFailures++;
        cases.push(`${head}\n      <failure message="${xmlAttribute(d.message)}" type="${d.severity}">${detail}</failure>\n    </testcase>`);
      } else {
        cases.push(`${head}\n      <system-out>${detail}</system-out>\n    </testcase>`);
      }
    }
    if (cases.length === 0) cases.push(`    <testcase name="memlint" classname="${xmlAttribute(rel)}" file="${xmlAttribute(rel)}" time="0"/>`);
    tests += cases.length;
    failures += suiteFailures;
    suites.push(
      `  <testsuite name="${xmlAttribute(rel)}" tests="${cases.length}" failures="${suiteFailures}" errors="0" skipped="0" time="0">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  const body = suites.length ? `\n${suites.join('\n')}\n` : '\n';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="memlint" tests="${tests}" failures="${failures}" errors="0" time="0">${body}</testsuites>\n`;
}
