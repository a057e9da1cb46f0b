import type { Dialect } from '../dialect.ts';

/** APM v0.4 / v0.5: `.apm/Memory/Phase_XX_<slug>/Task_X_Y_<slug>.md`, `Handovers/<Agent>_Handovers/…`. Recognised; its format rules come later. */
export const apmPhaseDialect: Dialect = {
  id: 'apm-phase',
  family: 'apm',
  label: 'APM Phase era',
  versions: 'v0.4 … v0.5',
  rulesAvailable: false,
  detect: {
    claimsVersion: (version) => /^v?0\.[4-6](?:\.|$|[^0-9])/i.test(version.trim()),
    layoutScore: (relPaths) => relPaths.filter((p) => /^Memory\/Phase_\d+/.test(p) || /^Memory\/Handovers\//.test(p)).length,
  },
  classify: () => 'other',
  schemas: {},
  frontmatterRequired: [],
};
