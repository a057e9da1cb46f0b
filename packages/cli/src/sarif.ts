import path from 'node:path';
import { allRules, type Diagnostic } from '@memlint/core';

// What a path segment keeps as is: RFC 3986's unreserved characters and the few sub-delimiters
// encodeURIComponent keeps too. Everything else, `/` aside, is percent-encoded byte by byte.
const KEEP = /^[A-Za-z0-9\-._~!*'()]$/;

/** A relative path as an RFC 3986 relative reference: each segment percent-encoded (UTF-8), `/` kept. */
export function relativeUri(relativePath: string): string {
  return relativePath
    .split(path.sep)
    .map((segment) => {
      let out = '';
      for (const ch of segment) {
        if (KEEP.test(ch)) out += ch;
        else for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
      }
      return out;
    })
    .join('/');
}

/** The findings as SARIF 2.1.0, the format code-scanning services read. */
export function sarifLog(results: { path: string; diagnostics: readonly Diagnostic[] }[], cwd: string, version: string): string {
  const rules = allRules.map((r) => r.meta);
  const urls = new Map<string, string>();
  for (const { diagnostics } of results) for (const d of diagnostics) urls.set(d.ruleId, d.url);
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'memlint',
            version,
            rules: rules.map((r) => ({
              id: r.id,
              shortDescription: { text: r.description },
              ...(urls.has(r.id) ? { helpUri: urls.get(r.id) } : {}),
              defaultConfiguration: { level: r.severity },
            })),
          },
        },
        results: results.flatMap(({ path: file, diagnostics }) =>
          diagnostics.map((d) => ({
            ruleId: d.ruleId,
            ruleIndex: rules.findIndex((r) => r.id === d.ruleId),
            level: d.severity,
            message: { text: d.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: relativeUri(path.relative(cwd, file)) },
                  region: { startLine: d.range.start.line, startColumn: d.range.start.column, endLine: d.range.end.line, endColumn: d.range.end.column },
                },
              },
            ],
          })),
        ),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
