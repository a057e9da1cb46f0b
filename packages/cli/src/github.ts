import path from 'node:path';
import type { Diagnostic } from '@memlint/core';

// GitHub Actions workflow commands: properties and messages escape %, CR, LF (and , : in properties).
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** One `::error file=…,line=…::message` annotation per finding, for GitHub Actions. */
export function githubAnnotations(results: { path: string; diagnostics: readonly Diagnostic[] }[], cwd: string): string {
  const lines: string[] = [];
  for (const { path: file, diagnostics } of results) {
    const rel = path.relative(cwd, file).split(path.sep).join('/');
    for (const d of diagnostics) {
      const { start, end } = d.range;
      const props = [
        `file=${escapeProperty(rel)}`,
        `line=${start.line}`,
        `col=${start.column}`,
        `endLine=${end.line}`,
        `endColumn=${end.column}`,
        `title=${escapeProperty(`memlint ${d.ruleId}`)}`,
      ].join(',');
      lines.push(`::${d.severity === 'error' ? 'error' : 'warning'} ${props}::${escapeData(`${d.message} (${d.url})`)}`);
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
