import { defineCollection, z } from 'astro:content';
import { glob } from 'astro/loaders';
import { docsLoader, i18nLoader } from '@astrojs/starlight/loaders';
import { docsSchema, i18nSchema } from '@astrojs/starlight/schema';
import { memlintLoader } from '@memlint/astro';

export const collections = {
  docs: defineCollection({ loader: docsLoader(), schema: docsSchema() }),
  // Starlight's UI strings: the English ones, spelled out so the build has its i18n collection.
  i18n: defineCollection({ loader: i18nLoader(), schema: i18nSchema() }),
  // The rule pages of the repository: the same files the tests run.
  rules: defineCollection({
    loader: glob({ base: '../rules', pattern: '*.md' }),
    schema: z.object({
      title: z.string(),
      description: z.string(),
      severity: z.enum(['error', 'warning']),
      fixable: z.boolean().optional(),
      family: z.string().optional(),
    }).passthrough(),
  }),
  trees: defineCollection({ loader: memlintLoader('trees') }),
  documents: defineCollection({ loader: memlintLoader('documents') }),
  stages: defineCollection({ loader: memlintLoader('stages') }),
  tasks: defineCollection({ loader: memlintLoader('tasks') }),
  agents: defineCollection({ loader: memlintLoader('agents') }),
  sessions: defineCollection({ loader: memlintLoader('sessions') }),
  handoffs: defineCollection({ loader: memlintLoader('handoffs') }),
  reflections: defineCollection({ loader: memlintLoader('reflections') }),
  findings: defineCollection({ loader: memlintLoader('findings') }),
};
