// file-encoding's control-character findings: where they are (LF, CRLF, lone CR, a BOM, astral
// characters before them), what they say, how many there are, and their severity per finding.
import { describe, expect, it } from 'vitest';
import { allRules, lintWorkspace, loadVirtualRoot, type Diagnostic, type LintConfig, type Rule } from '@memlint/core';

const fileEncoding = allRules.find((r) => r.meta.id === 'file-encoding')!;
const rel = 'Memory/Memory_Root.md';

function findings(content: string | Uint8Array, config: LintConfig = {}): Diagnostic[] {
  const ws = loadVirtualRoot([typeof content === 'string' ? { relPath: rel, text: content } : { relPath: rel, bytes: content }]);
  return [...lintWorkspace(ws, config, undefined, [fileEncoding]).values()].flat();
}

const places = (list: Diagnostic[]) => list.map((d) => `${d.range.start.line}:${d.range.start.column}-${d.range.end.line}:${d.range.end.column}`);
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('file-encoding: where a control character is', () => {
  it('covers the one character, with LF line ends', () => {
    expect(places(findings('# Root\n\nab\u0013c\n'))).toEqual(['3:3-3:4']);
  });

  it('counts lines the same with CRLF and with lone CRs', () => {
    expect(places(findings('# Root\r\n\r\nab\u0013c\r\n'))).toEqual(['3:3-3:4']);
    expect(places(findings('# Root\r\rab\u0013c\r'))).toEqual(['3:3-3:4']);
    expect(places(findings('# Root\r\n\rx\n\u0005\r\n'))).toEqual(['4:1-4:2']);
  });

  it('counts columns in UTF-16 code units, so an astral character before it counts two', () => {
    // 𝒜 (U+1D49C) and 📦 (U+1F4E6) are two code units each.
    expect(places(findings('# 𝒜𝒜 \u0013 x\n'))).toEqual(['1:8-1:9']);
    expect(places(findings('- 📦 \u0005 built\n'))).toEqual(['1:6-1:7']);
  });

  it('does not count a BOM in the column', () => {
    expect(places(findings(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8('# A\u0014B\r\n')])))).toEqual(['1:4-1:5']);
  });

  it('reports C0 but tab, LF, CR and form feed, DEL and C1, and nothing else', () => {
    const reported: number[] = [];
    for (let c = 1; c <= 0xff; c++) {
      const list = findings(`# Root\n\nx${String.fromCharCode(c)}y\n`);
      if (list.length > 0) {
        expect(places(list)).toEqual(['3:2-3:3']);
        expect(list[0]!.message).toContain(`U+${c.toString(16).toUpperCase().padStart(4, '0')}`);
        reported.push(c);
      }
    }
    const want = [...Array(0xa0).keys()].filter((c) => c > 0 && (c < 0x20 ? ![0x09, 0x0a, 0x0c, 0x0d].includes(c) : c >= 0x7f));
    expect(reported).toEqual(want);
    expect(reported).toHaveLength(60);
  });

  it('leaves tabs, form feeds and printable non-ASCII alone', () => {
    expect(findings('# Root\n\na\tb\n\f\n“quoted” – ✅ é 𝒜 \u00a0 \u2028\n')).toEqual([]);
  });

  it('leaves a binary file to the NUL finding', () => {
    const list = findings(Uint8Array.from([0x23, 0x20, 0x13, 0x00, 0x05]));
    expect(list.map((d) => d.message)).toEqual([expect.stringContaining('not a text file (a NUL byte at byte 3)')]);
  });
});

describe('file-encoding: what a control character finding says', () => {
  it('names the character, quotes the heading it is in and gives the likely characters', () => {
    const [d] = findings('# Billing\n\n## Phase 1 \u0013 Foundation & State Management Summary\n');
    expect(d!.message).toBe(
      'control character U+0013 (DC3) in the heading `## Phase 1 ␓ Foundation & State Management Summa…`: probably – (U+2013, en dash) or ✓ (U+2713, check mark), whose high byte a lossy conversion dropped; put the character back',
    );
  });

  it('quotes a setext heading by its first line, and says nothing of a heading for body text', () => {
    expect(findings('A \u0014 B\n===\n')[0]!.message).toContain('in the heading `A ␔ B`: probably — (U+2014, em dash)');
    expect(findings('# Root\n\nA \u0014 B\n')[0]!.message).not.toContain('heading');
  });

  it('suggests the low-byte characters for each control a lossy conversion leaves', () => {
    const said = (c: number) => findings(`x${String.fromCharCode(c)}\n`)[0]!.message;
    expect(said(0x05)).toContain('probably ✅ (U+2705, check mark button)');
    expect(said(0x18)).toContain('probably ‘ (U+2018, left single quotation mark) or ✘ (U+2718, heavy ballot x)');
    expect(said(0x19)).toContain('probably ’ (U+2019, right single quotation mark)');
    expect(said(0x1c)).toContain('probably “ (U+201C, left double quotation mark)');
    expect(said(0x1d)).toContain('probably ” (U+201D, right double quotation mark)');
  });

  it('reads a C1 control as Windows-1252 read as Latin-1, where that has a character', () => {
    expect(findings('x\u0092s\n')[0]!.message).toBe('control character U+0092: probably ’ (U+2019), Windows-1252 text read as Latin-1; put the character back');
    expect(findings('x\u0096\n')[0]!.message).toContain('probably – (U+2013)');
    expect(findings('x\u0081\n')[0]!.message).toContain('delete it or put back the character that was meant');
  });

  it('says what an ESC [ is, and what to do with a control nothing explains', () => {
    expect(findings('\u001b[32mok\u001b[0m\n')[0]!.message).toContain('U+001B (ESC): the start of a terminal colour code');
    expect(findings('a\u007fb\n')[0]!.message).toBe('control character U+007F (DEL): invisible in most editors and meaningless in markdown; delete it or put back the character that was meant');
  });

  it('never offers a fix: the intended character is a guess', () => {
    for (const d of findings('# A \u0013 B\n\u0005 done\n\u0092\n')) expect(d.fix).toBeUndefined();
  });
});

describe('file-encoding: how many findings', () => {
  it('reports each distinct character once, at its first occurrence, and the note counts the rest and names their lines', () => {
    const list = findings('# Root\n\n\u0005 one\n\u0005 two \u0005\n\u0013\n\u0005 three\n');
    expect(list.map((d) => `${places([d])[0]} ${d.message.slice(0, 28)} | ${d.note ?? ''}`)).toEqual([
      '3:1-3:2 control character U+0005 (EN | 3 more U+0005 in this file, on lines 4, 6',
      '5:1-5:2 control character U+0013 (DC | ',
    ]);
    expect(findings('\u0005\u0005\n')[0]!.note).toBe('1 more U+0005 in this file, on line 1');
  });

  it('names at most eight lines in the note', () => {
    const text = Array.from({ length: 30 }, (_, i) => `line ${i} \u0005`).join('\n');
    expect(findings(text)[0]!.note).toBe('29 more U+0005 in this file, on lines 2, 3, 4, 5, 6, 7, 8, 9, …');
    expect(findings(Array.from({ length: 9 }, () => '\u0005').join('\n'))[0]!.note).toBe('8 more U+0005 in this file, on lines 2, 3, 4, 5, 6, 7, 8, 9');
  });

  it('gives a 2 MB file of nothing but control characters one finding per character, fast', () => {
    const controls = [...Array(0xa0).keys()].filter((c) => c > 0 && (c < 0x20 ? ![0x09, 0x0a, 0x0c, 0x0d].includes(c) : c >= 0x7f));
    const chars = controls.map((c) => String.fromCharCode(c)).join('');
    let text = '';
    while (text.length < 2_000_000) text += `## ${chars}${chars}\n${chars}\r\n`;
    const ws = loadVirtualRoot([{ relPath: rel, text }], { maxFileSize: 8_000_000 });
    const started = performance.now();
    const list = [...lintWorkspace(ws, {}, undefined, [fileEncoding]).values()].flat();
    const ms = performance.now() - started;
    expect(list).toHaveLength(60);
    expect(list.every((d) => d.severity === 'warning' && d.note?.endsWith(', …'))).toBe(true);
    expect(ms).toBeLessThan(1000);
  });
});

describe('severity per finding', () => {
  const mixed = Uint8Array.from([...utf8('# A \u0013 B\n'), 0xe9, ...utf8('\n')]);

  it('control characters are warnings, invalid UTF-8 and binary files stay errors', () => {
    expect(findings(mixed).map((d) => `${d.range.start.line} ${d.severity}`)).toEqual(['1 warning', '2 error']);
    expect(findings(Uint8Array.from([0x41, 0x00]))[0]!.severity).toBe('error');
  });

  it('a configured severity applies to all the rule\'s findings, and off turns them all off', () => {
    expect(findings(mixed, { rules: { 'file-encoding': 'error' } }).map((d) => d.severity)).toEqual(['error', 'error']);
    expect(findings(mixed, { rules: { 'file-encoding': 'warning' } }).map((d) => d.severity)).toEqual(['warning', 'warning']);
    expect(findings(mixed, { rules: { 'file-encoding': 'off' } })).toEqual([]);
  });

  it('works for any rule: ReportExtra.severity replaces meta.severity, a configured severity replaces both', () => {
    const rule: Rule = {
      meta: { id: 'file-encoding', description: 'test', severity: 'warning', family: 'generic', dialects: ['unknown'], kinds: 'all' },
      checkDocument(doc, { report }) {
        report(doc, doc.source.lineRange(1), 'default');
        report(doc, doc.source.lineRange(1), 'raised', { severity: 'error' });
        report(doc, doc.source.lineRange(1), 'lowered', { severity: 'warning', note: 'kept' });
      },
    };
    const run = (config: LintConfig) => {
      const ws = loadVirtualRoot([{ relPath: rel, text: '# A\n' }]);
      return [...lintWorkspace(ws, config, undefined, [rule]).values()].flat().map((d) => `${d.message} ${d.severity}${d.note ? ` (${d.note})` : ''}`);
    };
    expect(run({})).toEqual(['default warning', 'raised error', 'lowered warning (kept)']);
    expect(run({ rules: { 'file-encoding': 'warning' } })).toEqual(['default warning', 'raised warning', 'lowered warning (kept)']);
    expect(run({ rules: { 'file-encoding': 'error' } })).toEqual(['default error', 'raised error', 'lowered error (kept)']);
  });
});
