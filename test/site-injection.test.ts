// Memory files are written by agents, so the site must treat them as untrusted: a tree whose logs,
// handoffs, reflections, frontmatter, titles and file names carry script is built, served and visited
// page by page in Chromium. Nothing may run, no dialog may open, and what was written stays readable.
import { readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, writeTree } from './support/run.ts';
import { buildSite, builtPages, CHROMIUM, crawl, browserGate, launchArgs, loadServe } from './support/site.ts';

// Skipped without a usable Chromium; failed instead under MEMLINT_REQUIRE_BROWSER=1 (CI).
const runInBrowser = await browserGate('test/site-injection.test.ts');

const SCRIPT = '<script>window.__pwned=1</script>';
const IMG = '<img src=x onerror="window.__pwned=1">';
const A_JS = '<a href="javascript:window.__pwned=1">x</a>';
const MD_JS = '[x](javascript:window.__pwned=1)';
const IFRAME = '<iframe src="javascript:window.__pwned=1"></iframe>';
const SVG = '<svg onload="window.__pwned=1"><circle r="4"/></svg>';
const ONCLICK = '<div onclick="window.__pwned=1" onmouseover="window.__pwned=1">click me</div>';
const ALERT = '<img src=y onerror=alert(1)>';
/** Markup written as character references: decoded once too often, it would become markup. */
const ENTITY = '&lt;img src=x onerror="window.__pwned=1"&gt;';
/** Starlight puts a page's title into <title>: text that closes it would escape into the page. */
const TITLE = `</title>${IMG}`;

/** Every payload, inline and as blocks, plus the markdown ways to a javascript: URL. */
const hostile = (where: string) => `## Details

- ${where}: inline ${SCRIPT} and ${IMG} in one line.
- A raw link ${A_JS} and a markdown link ${MD_JS}.
- An autolink <javascript:window.__pwned=1>, an image ![x](javascript:window.__pwned=1) and a [reference link][evil].
- A data URL [y](data:text/html,%3Cscript%3Ewindow.__pwned=1%3C/script%3E) and <span onclick="window.__pwned=1">a span</span>.
- Character references: \`${ENTITY}\` and &amp;lt;img src=x onerror="window.__pwned=1"&amp;gt;.

${SCRIPT}

${IFRAME}

${SVG}

${ONCLICK}

${ALERT}

> Quoted: <img src=z onerror="window.__pwned=1"> and <button onclick="window.__pwned=1">press</button>

| Cell | Value |
| --- | --- |
| html | ${IMG} |

[evil]: javascript:window.__pwned=1
`;

const plan = `# Pwn – APM Implementation Plan

* **Last Modification:** Created. ${SCRIPT}
* **Project Overview:** A tree whose text tries to run script: ${IMG}
* **Agents:** Backend Agent
* **Stages:** 1 – Hostile Input

---

## Stage 1: Hostile Input ${SCRIPT} ${TITLE}

### Task 1.1: Escape ${SCRIPT} Everything - Backend Agent

* **Objective:** Nothing written here runs. ${IMG}
* **Output:** Pages. ${A_JS}
* **Validation:** Programmatic – the browser tests.
* **Guidance:** ${MD_JS}
* **Dependencies:** None

1. Write the logs.

### Task 1.2: Second ${SVG} Task ${TITLE} - Backend Agent

* **Objective:** Another log.
* **Output:** Pages.
* **Validation:** Programmatic – the browser tests.
* **Guidance:** None.
* **Dependencies:** Task 1.1 by Backend Agent

1. Write the second log.
`;

const taskLog = (n: number, title: string, extra: string, agent = 'Agent_Backend') => `---
agent: '${agent}'
task_id: Task 1.${n}
status: Success
failure_point: null
important_findings: false
compatibility_issues: false
note: '${SCRIPT} ${IMG}'
---

# Task Memory Log: Task 1.${n} - ${title}

## Summary

The log of task 1.${n}. ${SCRIPT} It mentions invoice so the search finds it.

${hostile(`task log 1.${n}`)}
${extra}
## Output

- \`pages/\` ${A_JS}

## Validation

- Nothing ran. ${MD_JS}

## Issues

None ${ONCLICK}

## Next Steps

- None. ${IFRAME}
`;

const handoff = (n: number) => `---
agent_id: Agent_Backend
outgoing_worker: Agent_Backend_Session_${n}
incoming_worker: Agent_Backend_Session_${n + 1}
handoff_number: ${n}
current_stage: 'Stage 1 - Hostile Input ${SCRIPT} ${IMG}'
timestamp: 2026-03-0${n}T10:00:00Z
extra: '${IMG}'
---

# Worker Agent Handoff Memory Log

## Session Summary

**Tasks Completed This Session:** 1 (Task 1.${n}) ${SCRIPT}
**Current Stage:** Stage 1 - Hostile Input
**Stage Progress:** ${n}/2

## Working Context

- Context with ${IMG} and ${A_JS}.

${hostile(`handoff ${n}`)}
## Technical Notes

- ${MD_JS}

## Continuation Guidance

- ${SVG}
`;

const session = (title: string, outcome: string) => `---
title: '${title}'
date: 2026-03-05
tags: [session, pwn]
---

A session-end note whose reflection carries script. ${SCRIPT}

${hostile('session note')}
## Framework Reflection

**Prompts**: Render this safely ${IMG}
**Guidance received**: ${A_JS}
**Followed**: Yes - ${MD_JS}
**Outcome**: ${outcome}
**Accomplishments**:
- ${SCRIPT}
- ${SVG}
**Friction points**: ${ONCLICK}
**Root cause** (if not success): ${IFRAME}
**Proposed changes**: ${ALERT}
**Next step**: none
`;

/** A Stage-era `.apm` tree and aops notes, every text field of them hostile. */
const corpus: Record<string, string> = {
  'pwn/.apm/metadata.json': JSON.stringify({ releaseVersion: 'v1.0.0-test-6', assistant: 'claude-code', installedAt: '2026-03-01T08:00:00Z' }, null, 2),
  'pwn/.apm/Implementation_Plan.md': plan,
  'pwn/.apm/Specifications.md': `# Pwn – Specifications\n\n${hostile('specifications')}`,
  'pwn/.apm/Memory/Memory_Root.md': `# Pwn – APM Memory Root ${SCRIPT}\n\n**Manager Handoffs:** 0\n\n---\n\n## Stage 1 – Hostile Input Summary\n\n**Outcome:** ${IMG}\n\n**Agents Involved:** Agent_Backend\n\n**Task Memory Logs:**\n- [Task_Log_01_01_Escape_Everything.md](Stage_01_Hostile_Input/Task_Log_01_01_Escape_Everything.md) - Success\n- [evil](javascript:window.__pwned=1) - ${A_JS}\n`,
  'pwn/.apm/Memory/Stage_01_Hostile_Input/Task_Log_01_01_Escape_Everything.md': taskLog(1, `Escape ${SCRIPT} Everything`, '', `Agent_Backend ${ENTITY}`),
  'pwn/.apm/Memory/Stage_01_Hostile_Input/Task_Log_01_02_Second_Task.md': taskLog(2, `Second ${SVG} Task`, `## Important Findings\n\n${ALERT}\n`, `Agent_Backend ${IMG}`),
  'pwn/.apm/Memory/Handoffs/Agent_Backend_Handoffs/Agent_Backend_Handoff_Log_1.md': handoff(1),
  'pwn/.apm/Memory/Handoffs/Agent_Backend_Handoffs/Agent_Backend_Handoff_Log_2.md': handoff(2),
  'pwn/.apm/bus/agent-backend/apm-handoff.md': `# Handoff prompt ${SCRIPT}\n\n${hostile('handoff prompt')}`,
  // A Phase-era tree: its Memory Root's phase summary shows on the phase's page.
  'pwn-phase/.apm/metadata.json': JSON.stringify({ templateVersion: 'v0.5.4+templates.1' }),
  'pwn-phase/.apm/Memory/Memory_Root.md': `# Pwn – APM Memory Root\n\n---\n\n## Phase 01 – Hostile ${IMG} Summary\n\n- **Outcome:** ${SCRIPT}\n- **Task Logs:**\n  - [Task_1_1_Escape.md](Phase_01_Hostile/Task_1_1_Escape.md)\n  - [evil](javascript:window.__pwned=1)\n\n${hostile('phase summary').replace('## Details', '### Details')}\n---\n`,
  'pwn-phase/.apm/Memory/Phase_01_Hostile/Task_1_1_Escape.md': `---\nagent: Agent_Backend\ntask_ref: Task 1.1\nstatus: Completed\nad_hoc_delegation: false\ncompatibility_issues: false\nimportant_findings: false\n---\n\n# Task Log: Task 1.1 - Escape ${SCRIPT}\n\n## Summary\n${IMG}\n\n${hostile('phase task log')}\n## Output\nNone.\n\n## Issues\nNone.\n\n## Next Steps\nNone.\n`,
  'notes/sessions/2026-03-05-pwn.md': session(`${SCRIPT} Session title`, 'success'),
  'notes/sessions/2026-03-06-outcome.md': session(`Outcome ${TITLE}`, `partial ${SCRIPT} ${IMG}`),
  'notes/sessions/2026-03-07-<img src=x onerror=alert(1)>.md': session('A file name with markup', 'partial'),
  'notes/tasks/pwn-1a2b3c4d-escape-everything.md': `---\nid: pwn-1a2b3c4d\ntitle: '${SCRIPT} task title'\ntype: action\nstatus: in_progress\nproject: pwn\nassignee: '${IMG}'\ntags: [pwn]\n---\n\n# ${SCRIPT} task title\n\n${hostile('task file')}`,
  'notes/notes/hostile-note.md': `---\ntitle: '${TITLE} note'\ntags: [note]\n---\n\n# ${TITLE} note\n\n${hostile('knowledge note')}`,
};

/** What the page's DOM holds that could run script: javascript: URLs, event-handler attributes, frames, script text. */
const inspect = `(() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (/^on/i.test(a.name)) found.push(el.tagName.toLowerCase() + '[' + a.name + ']');
      // Pagefind's own search form has action="javascript:void(0);": its markup, not the tree's.
      if (el.matches('form.pagefind-ui__form') && a.name === 'action' && a.value === 'javascript:void(0);') continue;
      if (/^\\s*(javascript|data|vbscript):/i.test(a.value) && /^(href|src|action|formaction|xlink:href|data)$/i.test(a.name)) found.push(el.tagName.toLowerCase() + '[' + a.name + '=' + a.value + ']');
    }
  }
  for (const el of document.querySelectorAll('iframe, frame, object, embed')) found.push(el.tagName.toLowerCase());
  for (const s of document.querySelectorAll('script')) if (s.textContent.includes('__pwned')) found.push('script: ' + s.textContent.slice(0, 60));
  return found;
})()`;

describe.skipIf(!runInBrowser)(`script in memory files never runs on the site${runInBrowser ? '' : ' (skipped: no usable Chromium)'}`, () => {
  let server: Server;
  let base = '';
  let work = '';
  let dist = '';
  let browser: Browser;
  const dialogs: string[] = [];

  beforeAll(async () => {
    work = tempDir('site-injection');
    const memory = path.join(work, 'memory');
    writeTree(memory, corpus);
    dist = await buildSite(work, { MEMLINT_MEMORY: memory });
    const serve = await loadServe();
    ({ server, url: base } = await serve(dist, 0));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: launchArgs });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    if (work) rmSync(work, { recursive: true, force: true });
  });

  async function open(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('dialog', (d) => {
      dialogs.push(`${page.url()}: ${d.type()} ${d.message()}`);
      void d.dismiss();
    });
    return page;
  }
  const pwned = (page: Page) => page.evaluate('typeof window.__pwned') as Promise<string>;

  it('renders the hostile tree: its agent, handoffs, tasks and reflections have pages', () => {
    const pages = builtPages(dist);
    expect(pages).toContain('/');
    for (const prefix of ['/agents/', '/handoffs/', '/tasks/', '/files/', '/reflections/', '/stages/']) {
      expect(pages.filter((p) => p.startsWith(prefix) && p !== prefix).length, prefix).toBeGreaterThan(0);
    }
    // The payloads are nowhere in the HTML as markup (as text they are escaped: `&#x3C;script>`).
    const markup = [/<script>window\.__pwned/i, /<(img|svg|iframe|div|span|button)\b[^<>]*\son(error|load|click|mouseover)=/i, /<(a|iframe)\b[^<>]*\s(href|src)="\s*javascript:/i];
    const found: string[] = [];
    for (const route of pages) {
      const raw = readFileSync(path.join(dist, decodeURIComponent(route), 'index.html'), 'utf8');
      // Inside a quoted attribute value (og:title, data-*) markup is inert: those values are blanked first.
      const html = raw.replace(/="[^"]*"/g, '=""');
      for (const [i, re] of markup.entries()) {
        const m = re.exec(i === 2 ? raw : html);
        if (m) found.push(`${route}: …${html.slice(Math.max(0, m.index - 80), m.index + 80)}…`);
      }
    }
    expect(found, found.join('\n')).toEqual([]);
  });

  it('runs nothing on any page: no window.__pwned, no dialog, no javascript: link, no handler attribute', async () => {
    const reached = (await crawl(base)).pages;
    const routes = new Set([...builtPages(dist), ...[...reached.keys()].map((u) => new URL(u).pathname)]);
    const htmlRoutes = [...routes].filter((r) => r.endsWith('/'));
    expect(htmlRoutes.length).toBeGreaterThan(15);
    const page = await open();
    const report: string[] = [];
    for (const route of htmlRoutes) {
      const res = await page.goto(new URL(route, base).href, { waitUntil: 'load' });
      expect(res?.status(), route).toBe(200);
      // Handlers that need a user: hover and click whatever carries one (nothing should).
      const risky = (await page.evaluate(inspect)) as string[];
      if (risky.length) report.push(`${route}: ${risky.join(', ')}`);
      const jsLinks = page.locator('a[href^="javascript:" i]');
      for (let i = 0, n = await jsLinks.count(); i < n; i++) await jsLinks.nth(i).click({ force: true, noWaitAfter: true, timeout: 2000 }).catch(() => {});
      for (const el of await page.locator('[onclick], [onmouseover]').all()) {
        await el.hover({ force: true, timeout: 2000 }).catch(() => {});
        await el.click({ force: true, noWaitAfter: true, timeout: 2000 }).catch(() => {});
      }
      await page.waitForTimeout(20);
      const state = await pwned(page);
      if (state !== 'undefined') report.push(`${route}: window.__pwned is ${state}`);
    }
    expect(report, report.join('\n')).toEqual([]);
    expect(dialogs, dialogs.join('\n')).toEqual([]);
  }, 180_000);

  it('runs nothing from search results: the Pagefind page and Starlight’s search modal', async () => {
    const page = await open();
    await page.goto(new URL('/search/?q=pwned', base).href, { waitUntil: 'load' });
    const results = page.locator('#memlint-search .pagefind-ui__result');
    await results.first().waitFor({ timeout: 15_000 });
    expect(await results.count()).toBeGreaterThan(0);
    // Load every result the query has, so each excerpt is rendered.
    while (await page.locator('.pagefind-ui__button', { hasText: 'Load more results' }).count()) {
      await page.locator('.pagefind-ui__button', { hasText: 'Load more results' }).click();
      await page.waitForTimeout(100);
    }
    for (const q of ['script', 'onerror', 'iframe', 'svg onload', 'javascript']) {
      await page.locator('#memlint-search input.pagefind-ui__search-input').fill(q);
      await page.waitForTimeout(400);
    }
    expect((await page.evaluate(inspect)) as string[]).toEqual([]);
    expect(await pwned(page)).toBe('undefined');
    // Filter values (stage labels, agents, outcomes from the tree) are listed as the text they are.
    const labels = (await page.locator('#memlint-search .pagefind-ui__filter-label').allTextContents()).join('\n');
    // (Pagefind's UI inserts them as HTML, so the site hands them over with < > & in their fullwidth forms.)
    const plain = (t: string) => t.replace(/\uFF1C/g, '<').replace(/\uFF1E/g, '>').replace(/\uFF06/g, '&');
    expect(plain(labels)).toContain('Stage 1');
    expect(plain(labels)).toContain(`Agent_Backend ${IMG}`);
    expect(plain(labels)).toContain(`Agent_Backend ${ENTITY}`);

    await page.goto(new URL('/', base).href, { waitUntil: 'load' });
    await page.locator('site-search button[data-open-modal]').click();
    await page.locator('site-search dialog input').fill('pwned');
    await page.locator('site-search dialog .pagefind-ui__result').first().waitFor({ timeout: 15_000 });
    await page.waitForTimeout(200);
    expect((await page.evaluate(inspect)) as string[]).toEqual([]);
    expect(await pwned(page)).toBe('undefined');
    expect(dialogs, dialogs.join('\n')).toEqual([]);
  });

  it('keeps what the agents wrote readable: the markup shows as text', async () => {
    const page = await open();
    const text = async (route: string, selector: string) => {
      const res = await page.goto(new URL(route, base).href, { waitUntil: 'load' });
      expect(res?.status(), route).toBe(200);
      return page.locator(selector).allTextContents();
    };
    const task = builtPages(dist).find((p) => p.startsWith('/tasks/') && !p.includes('phase'))!;
    // The rendered log: inline HTML became inline code (one span per tag), block HTML a code block.
    const log = page.getByRole('region', { name: 'The task log' });
    await page.goto(new URL(task, base).href, { waitUntil: 'load' });
    const code = await log.locator('code').allTextContents();
    expect(code).toEqual(expect.arrayContaining(['<script>', '</script>', IMG, '<a href="javascript:window.__pwned=1">', '</a>', '<span onclick="window.__pwned=1">', '<svg onload="window.__pwned=1">', '</svg>']));
    for (const block of [SCRIPT, IFRAME, ONCLICK, ALERT]) expect(code.some((c) => c.trim() === block), block).toBe(true);
    const written = (await log.textContent()) ?? '';
    for (const payload of [SCRIPT, IMG, A_JS, SVG, ENTITY.replace(/&lt;/g, '<').replace(/&gt;/g, '>'), 'It mentions invoice']) expect(written).toContain(payload);
    // A markdown link to javascript: is no link at all: it stays the text that was written.
    expect(written).toContain('[x](javascript:window.__pwned=1)');
    expect(await page.locator('main a[href^="javascript:"]').count()).toBe(0);
    // The task's title is its heading, as text: the plan's "Escape <script>…</script> Everything" keeps its
    // inline HTML as characters, never as markup.
    const h1 = page.locator('h1').first();
    expect((await h1.textContent()) ?? '').toMatch(/^Task 1\.1: Escape .*Everything$/);
    expect(await h1.locator('*').count()).toBe(0);

    const handoff = builtPages(dist).find((p) => p.startsWith('/handoffs/') && !p.includes('phase'))!;
    expect(await text(handoff, 'main dd')).toContain(`Stage 1 - Hostile Input ${SCRIPT} ${IMG}`);
    expect((await text(handoff, 'main code')).join('\n')).toContain(SCRIPT);

    const reflections = builtPages(dist).filter((p) => /^\/reflections\/.+/.test(p));
    expect(reflections.length).toBeGreaterThanOrEqual(3);
    const titles = (await text('/reflections/', '#reflections tbody a')).join('\n');
    expect(titles).toContain(`${SCRIPT} Session title`);
    expect(titles).toContain(`Outcome ${TITLE}`);
    // An outcome that is no outcome is filed as "unknown"; its page shows what was written.
    expect(await page.getByRole('combobox', { name: 'Outcome' }).locator('option').allTextContents()).toContain('unknown');
    const withOutcome = await page.locator('#reflections tbody a', { hasText: /^Outcome / }).getAttribute('href');
    expect(await text(withOutcome!, 'main dd')).toContain(`partial ${SCRIPT} ${IMG}`);
    expect(await page.locator('h1').first().textContent()).toBe(`Outcome ${TITLE}`);
    expect(await page.title()).toBe(`Outcome ${TITLE} | memlint`);
    await page.goto(new URL('/reflections/', base).href, { waitUntil: 'load' });
    const withTitle = await page.locator('#reflections tbody a', { hasText: 'Session title' }).getAttribute('href');
    const labels = await text(withTitle!, 'main dd');
    expect(labels).toContain(`Render this safely ${IMG}`);
    expect(labels.join('\n')).toContain(A_JS);
    expect(await page.locator('h1').first().textContent()).toBe(`${SCRIPT} Session title`);

    // A phase summary: its heading as text, its content rendered as the logs are, its link to the log kept.
    const phase = builtPages(dist).find((p) => /^\/stages\/.*phase-01\/$/.test(p))!;
    await page.goto(new URL(phase, base).href, { waitUntil: 'load' });
    const summary = page.getByRole('region', { name: `Phase 01 – Hostile ${IMG} Summary` });
    expect(await summary.locator('h2').first().textContent()).toBe(`Phase 01 – Hostile ${IMG} Summary`);
    expect(await summary.locator('h2').first().locator('*').count()).toBe(0);
    const shown = await summary.locator('.ml-memory code').allTextContents();
    for (const block of [SCRIPT, IFRAME, ONCLICK, ALERT]) expect(shown.some((c) => c.trim() === block), block).toBe(true);
    expect(await summary.locator('.ml-memory').textContent()).toContain('[evil](javascript:window.__pwned=1)');
    expect(await summary.getByRole('list', { name: 'Logs the summary lists' }).getByRole('link', { name: 'Phase_01_Hostile/Task_1_1_Escape.md' }).getAttribute('href')).toMatch(/^\/tasks\/.*task-1-1\/$/);

    // A file name with markup is shown as written.
    const named = builtPages(dist).find((p) => p.startsWith('/files/') && p.includes('onerror'))!;
    expect(named).toBeDefined();
    expect(await text(named, 'main code')).toContain('notes/sessions/2026-03-07-<img src=x onerror=alert(1)>.md');
  });
});
