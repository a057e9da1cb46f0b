import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { dialectIds, readFileBounded, type LintConfig } from '@memlint/core';
import { UsageError } from './options.ts';

const CONFIG_LIMIT = 1024 * 1024;

export const CONFIG_NAMES = ['.memlintrc.json', '.memlintrc', 'memlint.config.json'];

const severity = z.enum(['off', 'warning', 'error']);
/** The configuration file's shape: the same object the plugin takes as options. */
export const configFileSchema = z.strictObject({
  $schema: z.string().optional(),
  rules: z.record(z.string(), severity).optional(),
  dialect: z.enum(dialectIds).optional(),
  maxFileSize: z.union([z.int().positive(), z.string()]).optional(),
  docsBase: z.string().optional(),
  sections: z.record(z.string(), z.string()).optional().meta({ description: 'Section headings written in another language or renamed, mapped to the format\'s titles: { "Resumo": "Summary" }.' }),
  aops: z
    .strictObject({
      profile: z.string().optional(),
      dumpSignals: z
        .strictObject({ tags: z.array(z.string()).optional(), reasons: z.array(z.string()).optional(), halt: z.boolean().optional() })
        .optional(),
    })
    .optional(),
});
export type ConfigFile = z.infer<typeof configFileSchema>;

/** The nearest configuration file from a directory upwards, or null. */
export function findConfig(from: string): string | null {
  let dir = path.resolve(from);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const file = path.join(dir, name);
      if (existsSync(file)) return file;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

export function readConfig(file: string): ConfigFile {
  // A regular file only (never a FIFO that would block), of a size a configuration has.
  const read = readFileBounded(file, CONFIG_LIMIT);
  if (read.kind === 'unreadable') throw new UsageError(`cannot read the configuration ${file}: ${read.detail}`);
  if (read.kind === 'too-large') throw new UsageError(`cannot read the configuration ${file}: it is over ${CONFIG_LIMIT / 1024 / 1024} MB`);
  const text = read.bytes.toString('utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = configFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new UsageError(`${file}: ${where}: ${issue.message}`);
  }
  return parsed.data;
}

export function toLintConfig(file: ConfigFile): LintConfig {
  return {
    ...(file.rules ? { rules: file.rules } : {}),
    ...(file.docsBase ? { docsBase: file.docsBase } : {}),
    ...(file.aops ? { aops: file.aops } : {}),
    ...(file.sections ? { sections: file.sections } : {}),
  };
}
