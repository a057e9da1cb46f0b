// The dashboard ("where are we"), git dates and llms.txt's project state, in Chromium: one build of a
// memory folder holding every example tree (on disk, not committed) and a copy of the Stage-era tree
// committed to a throwaway git repository with set dates. So one build shows trees with and without git.
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from './support/run.ts';
import { serveBuiltSite, type ServedSite } from './support/served-site.ts';
import { haveChromium, hrefs, skipReason } from './support/site.ts';

let gitAvailable = true;
try {
  execFileSync('git', ['--version'], { stdio: 'ignore' });
} catch {
  gitAvailable = false;
}
const skip = !haveChromium || !gitAvailable;
if (skip) console.warn(`test/site-dashboard.test.ts skipped: ${haveChromium ? 'git not found' : skipReason}`);

/** The example trees, with the project and current stage each one's dashboard names. */
const trees = [
  { id: 'apm-stage-apm', project: 'Harbor', stage: 'Stage 3: Payments and Reporting' },
  { id: 'apm-stage-defects-apm', project: 'Harbor', stage: 'Stage 3: Payments and Reporting' },
  { id: 'apm-v1-apm', project: 'Spoke', stage: 'Stage 4: Volunteer Rota' },
  { id: 'apm-v1-defects-apm', project: 'Spoke', stage: 'Stage 4: Volunteer Rota' },
  { id: 'apm-v05-apm', project: 'Kilnroom', stage: 'Phase 3: Wheel Bookings and Statements' },
  { id: 'apm-v05-defects-apm', project: 'Kilnroom', stage: 'Phase 2: Firing Queue' },
  { id: 'apm-v03-apm', project: 'Fernhouse', stage: 'Phase 2: Dashboard and Alerts' },
  { id: 'git-stage-apm', project: 'Harbor', stage: 'Stage 3: Payments and Reporting' },
];

const git = (dir: string, args: string[], date?: string) =>
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd: dir,
    stdio: 'pipe',
    env: { ...process.env, ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}) },
  });

const BACKEND_3 = 'git-stage/.apm/Memory/Handoffs/Agent_Backend_Handoffs/Agent_Backend_Handoff_Log_3.md';

describe.skipIf(skip)('the dashboard, git dates and llms.txt in Chromium', () => {
  let site: ServedSite | undefined;
  let base = '';
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    const work = tempDir('site-dashboard');
    const memory = path.join(work, 'memory');
    for (const name of readdirSync(path.join(repoRoot, 'examples'))) cpSync(path.join(repoRoot, 'examples', name), path.join(memory, name), { recursive: true });
    cpSync(path.join(repoRoot, 'examples', 'apm-stage'), path.join(memory, 'git-stage'), { recursive: true });
    // Only git-stage/ is committed: the plan and stages 1–2 in January, stage 3 in February, an edit in March.
    git(memory, ['init', '-q']);
    git(memory, ['add', 'git-stage']);
    git(memory, ['reset', '-q', '--', 'git-stage/.apm/Memory/Stage_03_Payments_and_Reporting', BACKEND_3]);
    git(memory, ['commit', '-qm', 'stages 1 and 2'], '2026-01-10T09:00:00Z');
    git(memory, ['add', 'git-stage']);
    git(memory, ['commit', '-qm', 'stage 3'], '2026-02-14T12:00:00Z');
    writeFileSync(path.join(memory, BACKEND_3), `${readFileSync(path.join(memory, BACKEND_3), 'utf8')}\n`);
    git(memory, ['commit', '-qam', 'an edit'], '2026-03-02T08:30:00Z');

    site = await serveBuiltSite(work, { MEMLINT_MEMORY: memory });
    ({ base, browser } = site);
  }, 300_000);

  afterAll(async () => {
    await site?.stop();
  });

  async function open(route: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(10_000);
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`${route}: console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`${route}: uncaught ${e.message}`));
    const res = await page.goto(new URL(route, base).href, { waitUntil: 'load' });
    expect(res?.status(), `GET ${route}`).toBe(200);
    return page;
  }
  const text = async (route: string) => {
    const res = await fetch(new URL(route, base));
    expect(res.status, route).toBe(200);
    return res.text();
  };
  const section = (page: Page, id: string) => page.locator(`main section.ml-tree[data-tree="${id}"]`);

  it('names each tree\'s project and its current stage', async () => {
    const page = await open('/');
    for (const t of trees) {
      const tree = section(page, t.id);
      expect(await tree.locator('h3 .ml-project').textContent(), t.id).toBe(t.project);
      expect(await tree.locator('.ml-current-stage a').first().textContent(), t.id).toBe(t.stage);
      expect(await tree.getByRole('note').count(), `${t.id} is fully modelled`).toBe(0);
    }
    // The loose aops files: their project from the task files, and in words why there is no stage or progress.
    const loose = section(page, 'outside-apm');
    expect(await loose.locator('h3 .ml-project').textContent()).toBe('fieldkit');
    expect(await loose.getByRole('note', { name: 'What this view cannot show' }).textContent()).toMatch(/outside any \.apm\/ tree.*no current stage or progress/);
    await page.close();
  });

  it('draws the progress as a bar of status segments, with a legend', async () => {
    const page = await open('/');
    const tree = section(page, 'apm-stage-apm');
    const bar = tree.getByRole('img', { name: /^13 tasks: / });
    expect(await bar.getAttribute('aria-label')).toBe('13 tasks: 9 done, 1 partial, 1 blocked, 2 not logged');
    expect(await bar.locator('.ml-seg').evaluateAll((els) => els.map((e) => [e.getAttribute('data-status'), e.getAttribute('style')]))).toEqual([
      ['done', 'flex-grow: 9'],
      ['partial', 'flex-grow: 1'],
      ['blocked', 'flex-grow: 1'],
      ['not-logged', 'flex-grow: 2'],
    ]);
    // Each segment is drawn (a width and its own colour).
    const widths = await bar.locator('.ml-seg').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
    expect(widths.every((w) => w > 0)).toBe(true);
    const looks = (await page.evaluate(
      `[...document.querySelectorAll('[data-tree="apm-stage-apm"] .ml-statusbar .ml-seg')].map((e) => getComputedStyle(e).backgroundImage + ' ' + getComputedStyle(e).backgroundColor)`,
    )) as string[];
    expect(looks.every((bg) => bg !== 'none rgba(0, 0, 0, 0)'), looks.join('; ')).toBe(true);
    expect(new Set(looks).size).toBe(4);
    const legend = await tree.getByRole('list', { name: 'Tasks by status' }).getByRole('listitem').allTextContents();
    expect(legend.map((l) => l.trim())).toEqual(['9 done', '1 partial', '1 blocked', '0 failed', '0 other status', '2 not logged']);
    // v1.0 has a failed task.
    expect(await section(page, 'apm-v1-apm').locator('.ml-seg[data-status="failed"]').count()).toBe(1);
    await page.close();
  });

  it('lists each agent\'s current session and latest handoff, and the worst findings, linked', async () => {
    const page = await open('/');
    const agents = section(page, 'apm-stage-apm').getByRole('table');
    const backend = agents.getByRole('row').filter({ hasText: 'Agent_Backend' });
    expect(await backend.getByRole('cell').nth(1).textContent()).toBe('Session 4');
    expect(await backend.getByRole('link', { name: 'handoff 3' }).getAttribute('href')).toBe('/handoffs/apm-stage-apm-agent-backend-handoff-3/');
    const worst = section(page, 'apm-stage-defects-apm').getByRole('list', { name: /^Worst findings/ }).getByRole('listitem');
    expect(await worst.count()).toBe(5);
    expect(await worst.first().locator('.ml-badge').textContent()).toBe('error');
    // Every link of every tree's section answers.
    const links = new Set(hrefs(await page.content()).filter((h) => h.startsWith('/')));
    for (const href of links) expect((await fetch(new URL(href, base))).status, href).toBe(200);
    await page.close();
  });

  it('shows git\'s dates for the committed tree, and none where git has nothing', async () => {
    const page = await open('/');
    const committed = section(page, 'git-stage-apm');
    expect(await committed.locator('.ml-last-activity').textContent()).toMatch(/^2026-03-02 \(last commit: Agent_Backend_Handoff_Log_3\.md\)$/);
    const landed = committed.locator('details.ml-landed');
    await landed.locator('summary').click();
    const stage3 = landed.getByRole('region', { name: 'What landed in Stage 3: Payments and Reporting' });
    // Stage 3's task logs landed in February (the handoffs written during it, with the first commit).
    expect(await stage3.getByRole('listitem').filter({ hasText: 'Task 3.1' }).textContent()).toMatch(/^2026-02-14 Task 3\.1 /);
    expect(await landed.getByRole('region', { name: /Stage 1/ }).getByRole('listitem').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^2026-01-10 Task 1\.1/)]));
    // The same tree on disk only: the latest date its files state, and no "what landed when".
    const plain = section(page, 'apm-stage-apm');
    expect(await plain.locator('.ml-last-activity').textContent()).toMatch(/^2026-03-\d\d.*\(latest date stated: /);
    expect(await plain.locator('details.ml-landed').count()).toBe(0);

    await page.goto(new URL('/handoffs/git-stage-apm-agent-backend-handoff-3/', base).href);
    const dl = page.locator('main dl').first();
    expect(await dl.locator('dt:text-is("Written") + dd').textContent()).toMatch(/^2026-02-14 \(first commit of the log\)$/);
    expect(await dl.locator('dt:text-is("Last changed") + dd').textContent()).toMatch(/^2026-03-02 \(last commit of the log\)$/);
    await page.goto(new URL('/handoffs/apm-stage-apm-agent-backend-handoff-3/', base).href);
    expect(await page.locator('main dl dt:text-is("Written")').count()).toBe(0);
    expect(await page.locator('main dl dt:text-is("Timestamp") + dd').textContent()).toBe('2026-03-04T15:10:00Z');
    await page.close();
    expect(problems).toEqual([]);
  });

  it('llms.txt says where each project stands, with links from the site root, never localhost', async () => {
    const llms = await text('/llms.txt');
    const full = await text('/llms-full.txt');
    for (const t of [llms, full]) {
      expect(t).not.toMatch(/localhost|127\.0\.0\.1/);
      expect(t).toContain('## Project state');
    }
    const harbor = llms.slice(llms.indexOf('### Harbor (apm-stage/.apm'), llms.indexOf('###', llms.indexOf('### Harbor (apm-stage/.apm') + 4));
    expect(harbor).toContain('- Current stage: [Stage 3: Payments and Reporting](/stages/apm-stage-apm-stage-03/)');
    expect(harbor).toContain('- Agent_Backend: session 4 now; latest [handoff 3](/handoffs/apm-stage-apm-agent-backend-handoff-3/) (2026-03-04T15:10:00Z)');
    expect(harbor).toContain('- Open errors: 0');
    expect(llms).toContain('### Kilnroom (apm-v05-defects/.apm, APM Phase era)');
    expect(llms).toMatch(/### Harbor \(apm-stage-defects\/\.apm[^\n]*\n\n(?:- [^\n]*\n|  - [^\n]*\n)*- Open errors: 7\n  - \[apm-stage-defects\/\.apm\/[^\]]+\]\(\/files\/|\/tasks\/|\/handoffs\//);
    expect(llms).toMatch(/### fieldkit \(files outside \.apm\/[^\n]*\n\n(?:[^\n]+\n)*- Not modelled: These files are outside any \.apm\/ tree/);
    // Every link in llms.txt is relative to the site root and answers.
    const targets = [...llms.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]!);
    expect(targets.every((u) => u.startsWith('/'))).toBe(true);
    for (const u of new Set(targets)) expect((await fetch(new URL(u, base))).status, u).toBe(200);
  });

  it('llms-full.txt has the rule pages without their test annotations', async () => {
    const full = await text('/llms-full.txt');
    expect(full).not.toMatch(/^\s*(?:`{3,}|~{3,})\S*[ \t]+\S/m);
    expect(full).not.toMatch(/\bexpect="|\bmessage="|\bfile=\S/);
    expect(full).toContain('File `Memory/Handoffs/Agent_Api_Handoffs/Agent_Api_Handoff_Log_1.md`:');
    expect(full).toMatch(/After `memlint --fix`:/);
  });
});
