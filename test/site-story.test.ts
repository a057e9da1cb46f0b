// The story the site tells, in Chromium: the agent timeline (an SVG made at build time) with its
// breaks, the stage boards and the stage index's progress bars, and the links between tasks, agents,
// handoffs and reflections. One build of examples/, whose defects trees have broken chains.
import { rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './support/run.ts';
import { buildSite, CHROMIUM, crawl, haveChromium, launchArgs, loadServe, skipReason } from './support/site.ts';

if (!haveChromium) console.warn(`test/site-story.test.ts skipped: ${skipReason}`);

describe.skipIf(!haveChromium)('the story the site tells', () => {
  let server: Server;
  let base = '';
  let work = '';
  let browser: Browser;

  beforeAll(async () => {
    work = tempDir('site-story');
    ({ server, url: base } = await (await loadServe())(await buildSite(work), 0));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: launchArgs });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const open = async (route: string, width = 1280): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const res = await page.goto(new URL(route, base).href, { waitUntil: 'load' });
    expect(res?.status(), `GET ${route}`).toBe(200);
    return page;
  };
  const close = (page: Page) => page.context().close();
  const pathOf = (page: Page) => new URL(page.url()).pathname;
  const h1 = (page: Page) => page.locator('main h1, h1#_top').first().textContent();
  const top = async (page: Page, selector: string) => (await page.locator(selector).first().boundingBox())!.y;

  it('draws the agent\'s sessions on a time axis, the gap as a loud labelled node with its rule', async () => {
    const page = await open('/agents/apm-stage-defects-apm-frontend/');
    const svg = page.locator('main svg.ml-tl');
    expect(await svg.count()).toBe(1);
    expect(await svg.locator('.ml-tl-session').count()).toBe(4);
    const gap = svg.locator('.ml-tl-mark.ml-tl-gap');
    expect(await gap.count()).toBe(1);
    expect(await gap.isVisible()).toBe(true);
    expect(await gap.textContent()).toContain('GAP: no handoff 2, the chain breaks here');
    expect(await gap.textContent()).toContain('handoff 2 is missing');
    expect(await gap.getByRole('link', { name: 'handoff-chain-continuity' }).getAttribute('href')).toBe('/rules/handoff-chain-continuity/');
    // Where it happens: after Session 2, before Session 3.
    const y = (await gap.boundingBox())!.y;
    const session = (n: number) => svg.locator('.ml-tl-session', { hasText: `Session ${n} ·` });
    expect((await session(2).boundingBox())!.y).toBeLessThan(y);
    expect((await session(3).boundingBox())!.y).toBeGreaterThan(y);
    // Its tasks and handoffs are links; dates in words, the exact timestamp on hover.
    expect(await session(1).getByRole('link', { name: 'Task 1.3' }).getAttribute('href')).toBe('/tasks/apm-stage-defects-apm-task-1-3/');
    expect(await svg.getByRole('link', { name: /^Handoff 3: / }).getAttribute('href')).toBe('/handoffs/apm-stage-defects-apm-agent-frontend-handoff-3/');
    const date = svg.locator('.ml-tl-date', { hasText: '17 Feb 2026' });
    expect(await date.locator('title').textContent()).toBe('2026-02-17T11:30:00Z (handoff 1 timestamp)');
    // A mismatch is a node of its own, at its handoff, with its rule.
    await page.goto(new URL('/agents/apm-v05-defects-apm-backend/', base).href);
    const mismatch = page.locator('main svg.ml-tl .ml-tl-mark.ml-tl-mismatch');
    expect(await mismatch.count()).toBe(1);
    expect(await mismatch.textContent()).toContain('MISMATCH at handover 2');
    expect(await mismatch.getByRole('link', { name: 'handoff-instances' }).count()).toBe(1);
    // v1.0 handoffs state no timestamp: the sessions keep their order, said so on the axis.
    await page.goto(new URL('/agents/apm-v1-defects-apm-backend/', base).href);
    expect(await page.locator('main svg.ml-tl .ml-tl-gap').textContent()).toContain('GAP: no handoff 2');
    expect(await page.locator('main svg.ml-tl .ml-tl-session').count()).toBe(4);
    await close(page);
  });

  it('boards a stage in fixed workflow columns on one row that scroll sideways, empty ones collapsed', async () => {
    const page = await open('/stages/apm-v05-defects-apm-phase-03/');
    const board = page.getByLabel('Task board');
    const columns = board.locator(':scope > section');
    expect(await columns.evaluateAll((cs) => cs.map((c) => c.getAttribute('data-column')))).toEqual(['not-logged', 'in-progress', 'blocked', 'failed', 'done']);
    expect(await board.getByRole('heading').allTextContents()).toEqual(['Not logged (1)', 'Partial (0)', 'Blocked (1)', 'Error (1)', 'Completed (2)']);
    const boxes = await columns.evaluateAll((cs) => cs.map((c) => ({ top: c.getBoundingClientRect().top, width: c.getBoundingClientRect().width, collapsed: c.classList.contains('ml-col-collapsed'), cards: c.querySelectorAll('li').length })));
    // One row: every column starts at the same height; the empty one is a narrow strip, the others hold their cards.
    expect(new Set(boxes.map((b) => Math.round(b.top))).size).toBe(1);
    for (const b of boxes) {
      expect(b.collapsed).toBe(b.cards === 0);
      if (b.collapsed) expect(b.width).toBeLessThan(60);
      else expect(b.width).toBeGreaterThan(150);
    }
    expect(boxes.reduce((n, b) => n + b.cards, 0)).toBe(5);
    // Too many columns for the page: the board scrolls sideways instead of wrapping.
    const { scroll, client } = await board.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(scroll).toBeGreaterThan(client);
    expect(await page.evaluate(`getComputedStyle(document.querySelector('.ml-story-board')).overflowX`)).toBe('auto');
    // A card: id (linked), title, agent (linked to its chain), findings badge.
    const card = board.locator('li', { hasText: 'Task 3.3' });
    expect(await card.getByRole('link', { name: 'Task 3.3' }).getAttribute('href')).toBe('/tasks/apm-v05-defects-apm-task-3-3/');
    expect(await card.getByRole('link', { name: 'Agent_Backend' }).getAttribute('href')).toBe('/agents/apm-v05-defects-apm-backend/');
    expect(await card.locator('.ml-badge.ml-error').textContent()).toMatch(/^\d+ errors?$/);
    // A status the format does not have gets a column of its own, after the workflow.
    await page.goto(new URL('/stages/apm-v05-defects-apm-phase-01/', base).href);
    expect(await board.getByRole('heading').allTextContents()).toEqual(['Not logged (0)', 'Partial (0)', 'Blocked (0)', 'Error (0)', 'Completed (2)', 'Other status (1)']);
    expect(await board.locator('section[data-column="other"] li').textContent()).toContain('completed');
    await close(page);
  });

  it('shows an agent one way in a tree, however the plan and the logs spell it', async () => {
    const page = await open('/stages/apm-v1-defects-apm-stage-04/');
    // plan.md writes `Backend Agent`, the logs and the handoffs `backend-agent`.
    const agents = await page.getByLabel('Task board').locator('li a[href^="/agents/"]').allTextContents();
    expect(agents.length).toBe(5);
    expect(new Set(agents)).toEqual(new Set(['backend-agent', 'frontend-agent']));
    await close(page);
  });

  it('draws each stage\'s progress on the stage index', async () => {
    const page = await open('/stages/');
    const row = page.getByRole('row').filter({ hasText: 'apm-v05-defects/.apm' }).filter({ hasText: 'Phase 3: Wheel Bookings' });
    const bar = row.locator('.ml-progress');
    expect(await bar.getAttribute('aria-label')).toBe('2 Completed, 1 Not logged, 1 Blocked, 1 Error');
    const widths = await bar.locator('span').evaluateAll((ss) => ss.map((s) => s.getBoundingClientRect().width));
    const total = (await bar.boundingBox())!.width;
    expect(widths.reduce((a, b) => a + b, 0)).toBeGreaterThan(total - 4);
    expect(await row.getByRole('cell').nth(2).textContent()).toBe('2/5');
    await close(page);
  });

  it('leads from a task to its neighbours, its agent and the handoffs citing it', async () => {
    const page = await open('/tasks/apm-stage-apm-task-2-1/');
    const nav = page.getByRole('navigation', { name: 'Tasks' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['← Task 1.3: Frontend Shell and Routing', 'Task 2.2: Tax and Totals Calculation →']);
    await nav.getByRole('link', { name: /^Task 2\.2/ }).click();
    await page.waitForURL((u) => u.pathname === '/tasks/apm-stage-apm-task-2-2/');
    expect(await h1(page)).toMatch(/^Task 2\.2: /);
    await page.getByRole('navigation', { name: 'Tasks' }).getByRole('link', { name: /^← Task 2\.1/ }).click();
    await page.waitForURL((u) => u.pathname === '/tasks/apm-stage-apm-task-2-1/');
    await page.getByRole('main').getByRole('link', { name: 'Agent_Backend handoff 2' }).click();
    await page.waitForURL((u) => u.pathname === '/handoffs/apm-stage-apm-agent-backend-handoff-2/');
    await page.goto(new URL('/tasks/apm-stage-apm-task-2-1/', base).href);
    await page.getByRole('main').getByRole('link', { name: 'Agent_Backend', exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/agents/apm-stage-apm-backend/');
    expect(await page.getByRole('list', { name: 'Tasks of Agent_Backend' }).getByRole('link', { name: 'Task 2.1' }).count()).toBe(1);
    // The first task of a tree has no previous one.
    await page.goto(new URL('/tasks/apm-stage-apm-task-1-1/', base).href);
    expect(await page.getByRole('navigation', { name: 'Tasks' }).textContent()).toContain('first task');
    await close(page);
  });

  it('names where a handoff\'s navigation leads, and the gap on the way', async () => {
    const page = await open('/handoffs/apm-stage-defects-apm-agent-frontend-handoff-1/');
    const nav = page.getByRole('navigation', { name: 'Chain' });
    expect(await nav.locator(':scope > span').allTextContents()).toEqual(['first handoff', 'next: Agent_Frontend handoff 3 →']);
    const note = page.locator('main .ml-banner[role="note"]');
    expect(await note.textContent()).toContain('handoff 2 is missing after this one');
    expect(await note.getByRole('link', { name: 'handoff-chain-continuity' }).getAttribute('href')).toBe('/rules/handoff-chain-continuity/');
    await nav.getByRole('link').click();
    await page.waitForURL((u) => u.pathname === '/handoffs/apm-stage-defects-apm-agent-frontend-handoff-3/');
    expect(await page.getByRole('navigation', { name: 'Chain' }).getByRole('link').textContent()).toBe('← previous: Agent_Frontend handoff 1');
    expect(await page.locator('main .ml-banner[role="note"]').textContent()).toContain('handoff 2 is missing before this one');
    // An intact chain mentions no gap.
    await page.goto(new URL('/handoffs/apm-stage-apm-agent-backend-handoff-2/', base).href);
    expect(await page.locator('main .ml-banner[role="note"]').count()).toBe(0);
    await close(page);
  });

  it('leads a reflection\'s Next step to its task', async () => {
    const page = await open('/');
    await page.goto(new URL('/reflections/', base).href);
    await page.getByRole('link', { name: 'Build the CSV importer' }).first().click();
    await page.waitForURL((u) => u.pathname.startsWith('/reflections/') && u.pathname !== '/reflections/');
    const link = page.getByRole('main').getByRole('link', { name: /^fieldkit-7d30a5e2: / });
    expect(await link.textContent()).toBe('fieldkit-7d30a5e2: Validate survey visit dates');
    await link.click();
    await page.waitForURL((u) => u.pathname.startsWith('/files/'));
    expect(pathOf(page)).toContain('fieldkit-7d30a5e2');
    await close(page);
  });

  it('has cross-links that all lead to pages of the site', async () => {
    const { pages, broken } = await crawl(base, 600);
    expect(broken, `broken links:\n${broken.join('\n')}`).toEqual([]);
    const paths = [...pages.keys()].map((u) => new URL(u).pathname);
    // The story's links reach the pages: agents from the boards, tasks from the timelines, task files from reflections.
    for (const p of ['/agents/apm-v1-defects-apm-backend/', '/tasks/apm-v1-defects-apm-task-3-3/', '/handoffs/apm-stage-defects-apm-agent-frontend-handoff-3/']) expect(paths).toContain(p);
  }, 180_000);
});
