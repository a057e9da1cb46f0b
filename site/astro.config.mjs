import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import { memlintDev, outDirAside } from '@memlint/astro/integration';

// The memory tree to render: MEMLINT_MEMORY, else the bundled examples.
process.env.MEMLINT_MEMORY ??= new URL('../examples/', import.meta.url).pathname;

export default defineConfig({
  // Pages whose data did not change are copied from the previous build (each page passes a cacheKey).
  experimental: { incrementalBuild: true },
  site: process.env.MEMLINT_SITE_URL ?? 'http://localhost:4321',
  // The previous output is moved aside and removed while the build runs, not before it (see the module).
  integrations: [
    outDirAside(),
    // In `astro dev`, a saved log's pages are read from memlint's history in memory and the browser reloads.
    memlintDev(),
    starlight({
      title: 'memlint',
      description: 'The stage and handoff history of an agent memory tree, and the guidance agents read before they write.',
      // Thousands of logs stay out of the sidebar: they are reached from the dashboard, agents and stages.
      sidebar: [
        {
          label: 'History',
          items: [
            { label: 'Dashboard', link: '/' },
            { label: 'Agents', link: '/agents/' },
            { label: 'Stages', link: '/stages/' },
            { label: 'Reflections', link: '/reflections/' },
            { label: 'Findings', link: '/findings/' },
            { label: 'Files', link: '/files/' },
            { label: 'Search', link: '/search/' },
          ],
        },
        {
          label: 'Guidance',
          items: [
            { label: 'memlint for agents', link: '/guide/agents/' },
            { label: 'Rules', link: '/rules/' },
            { label: 'APM Stage era format', link: '/formats/apm-stage/' },
            { label: 'APM v1.0 format', link: '/formats/apm-v1/' },
            { label: 'APM Phase era format (v0.4, v0.5)', link: '/formats/apm-phase/' },
            { label: 'APM v0.3 format', link: '/formats/apm-v03/' },
            { label: 'aops session-end format', link: '/formats/aops/' },
            { label: 'JSON Schemas', link: '/schemas/' },
            { label: 'llms.txt', link: '/llms.txt', attrs: { rel: 'alternate' } },
          ],
        },
      ],
      customCss: ['./src/styles/memlint.css'],
    }),
  ],
});
