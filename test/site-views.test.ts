// The knowledge base's views in Chromium: the findings table and its filters, the source view with each
// finding at its line and column, rule pages listing where a rule fires, axe in light and dark, phone
// widths, screenshots. One build of a copy of examples/ with a few additions: a line with CJK and an
// emoji before a finding, paths with underscores (`__init__.md`, Task_Log_01_02_x.md), and a value
// with markup and markdown that a finding's message quotes.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildHistory, type Finding } from '../packages/astro/src/index.ts';
import { repoRoot, tempDir } from './support/run.ts';
import { axeProblems, browserGate, buildSite, serveSite } from './support/site.ts';

// Skipped without a usable Chromium; failed instead under MEMLINT_REQUIRE_BROWSER=1 (CI).
const runInBrowser = await browserGate('test/site-views.test.ts');

const screenshots = path.join(repoRoot, 'test-output', 'screenshots');
const ROOT = 'apm-v05-defects/.apm/Memory/Memory_Root.md';
const WIDE = 'apm-stage-defects/.apm/Memory/Stage_02_Billing_Engine/Task_Log_01_02_x.md';
const DUNDER = 'aops/sessions/__init__.md';
const MARKUP = '<img src=x onerror=window.__pwned=1>';

/** The examples, with the additions this file tests. */
function memoryTree(dir: string) {
  cpSync(path.join(repoRoot, 'examples'), dir, { recursive: true });
  const edit = (file: string, change: (text: string) => string) => writeFileSync(path.join(dir, file), change(readFileSync(path.join(dir, file), 'utf8')));
  // A summary link whose text has CJK and an emoji before the link's target, where the finding is.
  edit(ROOT, (t) => t.replace('  - [Task_1_3_App_Shell', '  - [任务 🚀 Task_1_3_App_Shell'));
  // A Stage-era log filed under the wrong stage and name: its messages name Task_Log_01_02_x.md.
  cpSync(path.join(dir, 'apm-stage-defects/.apm/Memory/Stage_01_Project_Foundation/Task_Log_01_03_Frontend_Shell_and_Routing.md'), path.join(dir, WIDE));
  // A dump reflection in a file called __init__.md.
  cpSync(path.join(dir, 'aops/sessions/2026-02-20-dump-ambiguous-dates.md'), path.join(dir, DUNDER));
  // A status whose value carries markup, a code span, bold and dunder underscores: the message quotes it.
  edit('apm-v1-defects/.apm/memory/stage-02/task-02-04.log.md', (t) => t.replace(/^status: Completed$/m, `status: "${MARKUP} \`tick\` **b** __init__"`));
}

describe.skipIf(!runInBrowser)(`the findings, source and rule views in Chromium${runInBrowser ? '' : ' (skipped: no usable Chromium)'}`, () => {
  let site: Awaited<ReturnType<typeof serveSite>> | undefined;
  let base = '';
  let work = '';
  let memory = '';
  let findings: Finding[] = [];
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    work = tempDir('site-views');
    memory = path.join(work, 'memory');
    memoryTree(memory);
    // What core computed for this tree: the site must show exactly these.
    findings = buildHistory(memory).findings;
    site = await serveSite(await buildSite(work, { MEMLINT_MEMORY: memory }));
    ({ base, browser } = site);
    mkdirSync(screenshots, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    await site?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
  });

  /** A page in a fresh context; a theme is chosen as Starlight stores it (localStorage `starlight-theme`). */
  async function open(options: BrowserContextOptions & { theme?: 'light' | 'dark' } = {}): Promise<Page> {
    const { theme, ...rest } = options;
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, ...(theme ? { colorScheme: theme } : {}), ...rest });
    contexts.push(context);
    if (theme) await context.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return page;
  }
  const go = async (page: Page, route: string) => {
    const res = await page.goto(new URL(route, base).href, { waitUntil: 'load' });
    expect(res?.status(), `GET ${route}`).toBe(200);
    return page;
  };
  const finding = (file: string, rule?: string) => {
    const f = findings.find((x) => x.file === file && (!rule || x.ruleId === rule));
    if (!f) throw new Error(`no finding in ${file}`);
    return f;
  };
  const sourceLine = (file: string, line: number) => readFileSync(path.join(memory, file), 'utf8').replace(/\r\n?/g, '\n').split('\n')[line - 1]!;

  it('lists every finding core made in one table, and its filters narrow it', async () => {
    const page = await go(await open(), '/findings/');
    const rows = page.locator('#findings tbody tr');
    const shown = page.locator('#findings tbody tr:not([hidden])');
    expect(await rows.count()).toBe(findings.length);
    const form = page.getByRole('form', { name: 'Filter findings' });
    await form.waitFor();
    const select = (name: string) => form.getByRole('combobox', { name });

    await select('Severity').selectOption('warning');
    await expect.poll(() => shown.count()).toBe(findings.filter((f) => f.severity === 'warning').length);
    expect(await page.locator('#finding-count').textContent()).toBe(`${findings.filter((f) => f.severity === 'warning').length} of ${findings.length} findings`);
    await select('Severity').selectOption('');

    await select('Rule').selectOption('handoff-instances');
    const instances = findings.filter((f) => f.ruleId === 'handoff-instances');
    await expect.poll(() => shown.count()).toBe(instances.length);
    expect(await shown.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-rule')))).toEqual(instances.map(() => 'handoff-instances'));
    // The filters combine, and the address keeps them.
    await select('Tree').selectOption('apm-v1-defects/.apm');
    await expect.poll(() => shown.count()).toBe(instances.filter((f) => f.tree === 'apm-v1-defects/.apm').length);
    expect(new URL(page.url()).search).toBe('?tree=apm-v1-defects%2F.apm&rule=handoff-instances');
    await form.getByRole('button', { name: 'Show all' }).click();
    await expect.poll(() => shown.count()).toBe(findings.length);

    await select('File').selectOption(ROOT);
    await expect.poll(() => shown.count()).toBe(findings.filter((f) => f.file === ROOT).length);
    expect(await shown.first().locator('td').nth(2).textContent()).toBe(ROOT);

    // A link with ?rule= opens the table filtered (the rule pages link that way).
    await go(page, '/findings/?rule=conditional-sections');
    await expect.poll(() => shown.count()).toBe(findings.filter((f) => f.ruleId === 'conditional-sections').length);
    expect(await select('Rule').inputValue()).toBe('conditional-sections');
  });

  it('shows the whole table without JavaScript, and no filters that could not work', async () => {
    const page = await go(await open({ javaScriptEnabled: false }), '/findings/');
    expect(await page.locator('#findings tbody tr:visible').count()).toBe(findings.length);
    expect(await page.locator('#finding-filters').isVisible()).toBe(false);
  });

  it('leads from a finding to its line: the line is the :target and in view', async () => {
    const f = finding(ROOT, 'memory-root-stage-logs');
    const page = await go(await open(), '/findings/');
    const row = page.locator('#findings tbody tr', { has: page.getByRole('link', { name: `${f.line}:${f.column}`, exact: true }) }).filter({ hasText: f.file });
    await row.getByRole('link', { name: `${f.line}:${f.column}` }).click();
    await page.waitForURL((u) => u.hash === `#L${f.line}`);
    expect(new URL(page.url()).pathname).toBe(f.page);
    const target = page.locator(':target');
    expect(await target.getAttribute('id')).toBe(`L${f.line}`);
    // In view, and not under Starlight's fixed header.
    const box = (await page.evaluate(`(() => {
      const r = document.querySelector(':target').getBoundingClientRect();
      const header = document.querySelector('header.header')?.getBoundingClientRect().bottom ?? 0;
      return { top: r.top, bottom: r.bottom, header, height: innerHeight };
    })()`)) as { top: number; bottom: number; header: number; height: number };
    expect(box.top, JSON.stringify(box)).toBeGreaterThanOrEqual(box.header - 1);
    expect(box.bottom, JSON.stringify(box)).toBeLessThanOrEqual(box.height);
    // The line's gutter number is the anchor, and the line highlights.
    expect(await target.locator('a.ml-ln').getAttribute('href')).toBe(`#L${f.line}`);
    expect(await page.evaluate("getComputedStyle(document.querySelector(':target')).backgroundColor")).not.toBe('rgba(0, 0, 0, 0)');

    // The file page's own list of findings links the same lines.
    const own = page.locator('.ml-findings li', { hasText: f.ruleId }).getByRole('link', { name: `line ${f.line}:${f.column}` });
    expect(await own.getAttribute('href')).toBe(`#L${f.line}`);
  });

  interface Measured {
    text: string;
    char: string;
    at: { left: number; right: number };
    caret: { left: number; right: number } | null;
    mark: { text: string; left: number; right: number } | null;
    /** Where the column would be if every character were one `ch` wide. */
    chGuess: number;
  }
  /** Where the character at a finding's column is, and where the page marks it (the tests' tsconfig has no DOM types: a string). */
  const measure = async (page: Page, line: number, column: number) =>
    (await page.evaluate(`(() => {
      const li = document.getElementById('L${line}');
      const code = li.querySelector('.ml-text');
      // DOM text offsets are UTF-16 code units, as core's columns are.
      const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
      let offset = ${column} - 1;
      let node = walker.nextNode();
      while (node && offset >= node.length) { offset -= node.length; node = walker.nextNode(); }
      const range = document.createRange();
      const unit = node.data.charCodeAt(offset);
      range.setStart(node, offset);
      range.setEnd(node, offset + (unit >= 0xd800 && unit < 0xdc00 ? 2 : 1));
      const at = range.getBoundingClientRect();
      const note = [...li.querySelectorAll('.ml-note')].find((n) => n.dataset.column === '${column}');
      const caret = note.querySelector('.ml-caret')?.getBoundingClientRect();
      const mark = li.querySelector('.ml-at');
      const probe = document.createElement('span');
      probe.style.cssText = 'display:inline-block;width:1ch';
      code.appendChild(probe);
      const ch = probe.getBoundingClientRect().width;
      probe.remove();
      return {
        text: code.textContent,
        char: range.toString(),
        at: { left: at.left, right: at.right },
        caret: caret ? { left: caret.left, right: caret.right } : null,
        mark: mark ? { text: mark.textContent, left: mark.getBoundingClientRect().left, right: mark.getBoundingClientRect().right } : null,
        chGuess: code.getBoundingClientRect().left + (${column} - 1) * ch,
      };
    })()`)) as Measured;

  it('puts the caret under the finding\'s column, on a plain line and after CJK and an emoji', async () => {
    const page = await open();
    // A printable-ASCII line: the caret is measured in ch and sits under the character.
    const ascii = finding('apm-stage-defects/.apm/Memory/Memory_Root.md', 'memory-root-handoff-count');
    await go(page, `${ascii.page}#L${ascii.line}`);
    const plain = await measure(page, ascii.line, ascii.column);
    expect(plain.text).toBe(sourceLine(ascii.file, ascii.line));
    expect(plain.caret, 'a caret under an ASCII line').not.toBeNull();
    expect(Math.abs(plain.caret!.left - plain.at.left), JSON.stringify(plain)).toBeLessThan(1.5);

    // The CJK line: the finding's column counts 任, 务 and a space as one unit each and 🚀 as two.
    const wide = finding(ROOT, 'memory-root-stage-logs');
    const written = sourceLine(ROOT, wide.line);
    expect(written).toContain('任务 🚀');
    expect(wide.column).toBe(written.indexOf('](') + 3);
    await go(page, `${wide.page}#L${wide.line}`);
    const cjk = await measure(page, wide.line, wide.column);
    expect(cjk.text).toBe(written);
    expect(cjk.char).toBe(written[wide.column - 1]);
    // The marker is on that very character, not ch-measured (which CJK's double width would throw off).
    expect(cjk.caret).toBeNull();
    expect(cjk.mark?.text).toBe(cjk.char);
    expect(Math.abs(cjk.mark!.left - cjk.at.left), JSON.stringify(cjk)).toBeLessThan(1);
    expect(Math.abs(cjk.mark!.right - cjk.at.right), JSON.stringify(cjk)).toBeLessThan(1);
    // What `ch` would have said is not where the character is: the reason for the marker.
    expect(Math.abs(cjk.chGuess - cjk.at.left), JSON.stringify(cjk)).toBeGreaterThan(4);
  });

  it('renders messages as inline markdown: code spans, bold, and the quoted markup as text', async () => {
    const page = await go(await open(), '/findings/');
    const pwned = () => page.evaluate('typeof window.__pwned');
    const hostile = finding('apm-v1-defects/.apm/memory/stage-02/task-02-04.log.md', 'frontmatter-schema');
    const cell = page.locator('#findings tbody tr', { hasText: 'task-02-04.log.md' }).locator('td.ml-message');
    expect(await cell.locator('img, script, a').count()).toBe(0);
    expect(await cell.locator('code').allTextContents()).toEqual(['status', 'tick']);
    expect(await cell.locator('strong').allTextContents()).toEqual(['b']);
    const text = (await cell.textContent())!;
    expect(text).toContain(MARKUP);
    expect(text).toContain('__init__');
    expect(text).not.toContain('`');
    expect(hostile.message).toContain(MARKUP);
    // Bold labels quoted by a message stay bold.
    const label = page.locator('#findings tbody tr', { hasText: 'memory-root-handoff-count' }).locator('td.ml-message strong');
    expect(await label.textContent()).toBe('Manager Handoffs:');
    // Only code, strong and em ever come out of a message.
    expect(await page.locator('td.ml-message *:not(code, strong, em)').count()).toBe(0);
    // The same message in the file's source view, and nothing ran.
    await go(page, `${hostile.page}#L${hostile.line}`);
    const note = page.locator(`#L${hostile.line} .ml-note`);
    expect(await note.locator('img').count()).toBe(0);
    expect(await note.textContent()).toContain(MARKUP);
    expect(await pwned()).toBe('undefined');
  });

  it('shows paths with their underscores, as code', async () => {
    const page = await go(await open(), '/findings/');
    const dunder = page.locator('#findings tbody tr', { has: page.locator('td.ml-path', { hasText: DUNDER }) });
    expect(await dunder.count()).toBe(findings.filter((f) => f.file === DUNDER).length);
    expect(await dunder.first().locator('td.ml-path code').textContent()).toBe(DUNDER);
    const wide = page.locator('#findings tbody tr', { has: page.locator('td.ml-path', { hasText: WIDE }) });
    expect(await wide.first().locator('td.ml-path code').textContent()).toBe(WIDE);
    // A message naming the file keeps its underscores too.
    expect(await wide.locator('td.ml-message').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Task_Log_01_02_x.md')]));
    expect(await page.locator('#findings td.ml-path :is(em, strong)').count()).toBe(0);
    // The file page names the file as written.
    await go(page, finding(DUNDER).page);
    expect(await page.locator('main').getByText(DUNDER, { exact: true }).first().isVisible()).toBe(true);
  });

  it('lists on a rule\'s page where the rule fires in this tree, each leading to its line', async () => {
    const page = await go(await open(), '/rules/handoff-instances/');
    const fired = findings.filter((f) => f.ruleId === 'handoff-instances');
    const section = page.locator('section.ml-fired');
    expect(await section.getByRole('heading', { name: 'In this tree' }).count()).toBe(1);
    const links = section.locator('tbody tr td[data-label="Line"] a');
    expect(await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(fired.map((f) => `${f.page}#L${f.line}`));
    await links.first().click();
    await page.waitForURL((u) => u.hash === `#L${fired[0]!.line}`);
    expect(await page.locator(':target').getAttribute('id')).toBe(`L${fired[0]!.line}`);
    // A rule that finds nothing here says so.
    await go(page, '/rules/reflection-heading/');
    expect(await page.locator('section.ml-fired').textContent()).toContain('finds nothing');
  });

  it('titles a file page once: Starlight\'s heading, not the file\'s H1 again', async () => {
    const page = await go(await open(), '/files/apm-stage-defects-apm-memory-memory-root/');
    const title = await page.locator('h1').first().textContent();
    expect(await page.locator('h1').count()).toBe(1);
    const headings = await page.locator('main :is(h2, h3, h4)').allTextContents();
    expect(headings.map((h) => h.trim())).not.toContain(title!.trim());
    // The source view has every line, numbered.
    const lines = readFileSync(path.join(memory, 'apm-stage-defects/.apm/Memory/Memory_Root.md'), 'utf8').replace(/\n$/, '').split('\n');
    expect(await page.locator('.ml-lines > li').count()).toBe(lines.length);
    expect(await page.locator('.ml-lines > li .ml-ln').first().textContent()).toBe('1');
  });

  const views: [string, string][] = [
    ['dashboard', '/'],
    ['agent', '/agents/apm-stage-defects-apm-frontend/'],
    ['stage', '/stages/apm-v05-defects-apm-phase-01/'],
    ['task', '/tasks/apm-stage-defects-apm-task-2-2/'],
    ['handoff', '/handoffs/apm-stage-apm-agent-backend-handoff-2/'],
    ['reflection', '/reflections/aops-sessions-2026-02-20-dump-ambiguous-dates/'],
    ['findings', '/findings/'],
    ['file-source', '/files/apm-v05-defects-apm-memory-memory-root/'],
    ['rule', '/rules/handoff-instances/'],
    ['files', '/files/'],
    ['agents', '/agents/'],
    ['reflections', '/reflections/'],
  ];
  // Starlight's own markup (not the site's): its search button's label and visible text differ.
  const upstream = [{ id: 'label-content-name-mismatch', target: /^button\[data-open-modal/ }];

  it.each(views.slice(0, 9))('has no serious or critical axe violation in light and dark: %s', async (_name, route) => {
    const report: string[] = [];
    for (const theme of ['light', 'dark'] as const) {
      const page = await go(await open({ theme }), route);
      expect(await page.evaluate('document.documentElement.dataset.theme')).toBe(theme);
      report.push(...(await axeProblems(page, upstream)).map((p) => `[${theme}] ${p}`));
    }
    expect(report, `axe violations on ${route}:\n${report.join('\n')}`).toEqual([]);
  });

  it('fits a 390 px phone: no page scrolls sideways, and the findings, files, agents and reflections tables become cards', async () => {
    const page = await open({ viewport: { width: 390, height: 844 } });
    const wider: string[] = [];
    for (const [name, route] of views) {
      await go(page, route);
      const { scroll, client } = (await page.evaluate('({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })')) as { scroll: number; client: number };
      if (scroll > client) wider.push(`${name} (${route}): ${scroll} px wide in ${client} px`);
    }
    expect(wider, wider.join('\n')).toEqual([]);
    // Each row is a card whose facts are all in view, each with its column's name.
    const cards: [string, string, string[]][] = [
      ['/findings/', '#findings', ['Severity', 'Rule', 'File', 'Line', 'Message']],
      ['/files/', 'table.ml-card-table', ['File', 'Kind', 'Findings']],
      ['/agents/', 'table.ml-card-table', ['Tree', 'Agent', 'Current session', 'Chain']],
      ['/reflections/', '#reflections', ['Reflection', 'Outcome', 'Dump', 'Findings']],
    ];
    for (const [route, table, labels] of cards) {
      await go(page, route);
      const card = page.locator(`${table} tbody tr`).first();
      const box = (await card.boundingBox())!;
      expect(box.x, route).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, route).toBeLessThanOrEqual(390);
      for (const label of labels) {
        const cell = card.locator(`td[data-label="${label}"]`);
        expect(await cell.isVisible(), `${route} ${label}`).toBe(true);
        const c = (await cell.boundingBox())!;
        expect(c.x + c.width, `${route} ${label}`).toBeLessThanOrEqual(390);
      }
      expect(await page.locator(`${table} thead`).first().isVisible(), route).toBe(false);
    }
  }, 120_000);

  it('writes screenshots of each view at 1400 px and 390 px, light and dark', async () => {
    for (const width of [1400, 390]) {
      for (const theme of ['light', 'dark'] as const) {
        const page = await open({ theme, viewport: { width, height: width === 390 ? 844 : 900 } });
        for (const [name, route] of views) {
          await go(page, route);
          const file = path.join(screenshots, `view-${name}-${width}-${theme}.png`);
          await page.screenshot({ path: file, fullPage: true });
          expect(readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
        }
      }
    }
  }, 180_000);
});
