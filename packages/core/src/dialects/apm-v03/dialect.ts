import type { Dialect } from '../dialect.ts';

/** APM v0.3: one `Memory_Bank.md`, or `Memory/` with `Phase_<N>_<Name>/Task_<Id>_Log.md`. Recognised; its format rules come later. */
export const apmV03Dialect: Dialect = {
  id: 'apm-v03',
  family: 'apm',
  label: 'APM v0.3',
  versions: 'v0.3',
  rulesAvailable: false,
  detect: {
    claimsVersion: (version) => /^v?0\.[0-3](?:\.|$|[^0-9])/i.test(version.trim()),
    layoutScore: (relPaths) => relPaths.filter((p) => /(^|\/)Memory_Bank\.md$/.test(p)).length,
  },
  classify: () => 'other',
  schemas: {},
  frontmatterRequired: [],
};
