// The configuration file (`.memlintrc.json`, `.memlintrc`, `memlint.config.json`): found from a
// directory upwards, read, checked against its zod schema and turned into lint settings. The CLI
// and the language server find and read it the same way.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { dialectIds, type DialectId } from '../dialects/dialect.ts';
import { ConfigError, type LintConfig } from '../lint/lint.ts';
import { readFileBounded } from '../workspace/load.ts';

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

/** Reads and checks a configuration file; a file that cannot be read or is not a configuration is a ConfigError. */
export function readConfig(file: string): ConfigFile {
  // A regular file only (never a FIFO that would block), of a size a configuration has.
  const read = readFileBounded(file, CONFIG_LIMIT);
  if (read.kind === 'unreadable') throw new ConfigError(`cannot read the configuration ${file}: ${read.detail}`);
  if (read.kind === 'too-large') throw new ConfigError(`cannot read the configuration ${file}: it is over ${CONFIG_LIMIT / 1024 / 1024} MB`);
  return parseConfigText(read.bytes.toString('utf8'), file);
}

/** Checks the text of a configuration file (an editor's buffer, or what readConfig read). */
export function parseConfigText(text: string, file: string): ConfigFile {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = configFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new ConfigError(`${file}: ${where}: ${issue.message}`);
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

const SIZE = /^(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?$/i;

/** `2MB`, `500k`, `1048576` → bytes; null for what is not a size above zero. */
export function parseByteSize(value: string): number | null {
  const m = SIZE.exec(value.trim());
  if (!m) return null;
  const unit = (m[2] ?? 'b').toLowerCase()[0]!;
  const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  const bytes = Math.round(Number(m[1]) * factor);
  return bytes < 1 ? null : bytes;
}

/** What a configuration file sets: the lint settings, the dialect and the file size limit. */
export function configSettings(file: ConfigFile): { config: LintConfig; dialect?: DialectId; maxFileSize?: number } {
  let maxFileSize: number | undefined;
  if (typeof file.maxFileSize === 'string') {
    const bytes = parseByteSize(file.maxFileSize);
    if (bytes === null) throw new ConfigError(`maxFileSize: expected a size such as 2MB or 500KB, got "${file.maxFileSize}"`);
    maxFileSize = bytes;
  } else maxFileSize = file.maxFileSize;
  return { config: toLintConfig(file), ...(file.dialect ? { dialect: file.dialect } : {}), ...(maxFileSize ? { maxFileSize } : {}) };
}
