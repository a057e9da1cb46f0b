// The browser tests skip for a developer without Chromium, and fail in CI (MEMLINT_REQUIRE_BROWSER=1),
// where a missing or broken browser must never leave the run green.
import { describe, expect, it } from 'vitest';
import { browserDecision } from './support/site.ts';

describe('whether the browser tests run, skip or fail', () => {
  const missing = '/usr/bin/chromium not found (install Debian\'s chromium package: apt-get install chromium)';
  const broken = '/usr/bin/chromium does not start: browserType.launch: Target page, context or browser has been closed';

  it('runs them when Chromium starts, whatever the environment says', () => {
    expect(browserDecision({}, null)).toBe('run');
    expect(browserDecision({ MEMLINT_REQUIRE_BROWSER: '1' }, null)).toBe('run');
  });

  it('skips them for a developer without a usable Chromium', () => {
    expect(browserDecision({}, missing)).toBe('skip');
    expect(browserDecision({}, broken)).toBe('skip');
    expect(browserDecision({ MEMLINT_REQUIRE_BROWSER: '0' }, missing)).toBe('skip');
    expect(browserDecision({ MEMLINT_REQUIRE_BROWSER: '' }, broken)).toBe('skip');
  });

  it('fails them when the browser is required and missing or not starting', () => {
    for (const value of ['1', 'true', 'yes']) {
      expect(browserDecision({ MEMLINT_REQUIRE_BROWSER: value }, missing), value).toBe('fail');
      expect(browserDecision({ MEMLINT_REQUIRE_BROWSER: value }, broken), value).toBe('fail');
    }
  });

  it('is what .ci/run asks for', async () => {
    const { readFileSync } = await import('node:fs');
    const run = readFileSync(new URL('../.ci/run', import.meta.url), 'utf8');
    expect(run).toMatch(/^export MEMLINT_REQUIRE_BROWSER=1$/m);
  });
});
