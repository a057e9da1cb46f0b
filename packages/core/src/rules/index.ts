import type { Rule } from './rule.ts';
import { dialectUnsupported } from './generic/dialect-unsupported.ts';
import { fileEncoding } from './generic/file-encoding.ts';
import { fileSize } from './generic/file-size.ts';
import { fileUnreadable } from './generic/file-unreadable.ts';
import { frontmatterMissing } from './generic/frontmatter-missing.ts';
import { frontmatterSchema, frontmatterUnknownKey } from './generic/frontmatter-schema.ts';
import { frontmatterSyntax } from './generic/frontmatter-syntax.ts';
import { apmStageRules } from '../dialects/apm-stage/rules/index.ts';
import { reflectionRules } from '../dialects/aops/rules/reflection.ts';
import { taskFileRules } from '../dialects/aops/rules/task-file.ts';

export const genericRules: readonly Rule[] = [
  fileUnreadable,
  fileEncoding,
  fileSize,
  frontmatterSyntax,
  frontmatterMissing,
  frontmatterSchema,
  frontmatterUnknownKey,
  dialectUnsupported,
];

/** Every rule memlint has, in the order they run. */
export const allRules: readonly Rule[] = [...genericRules, ...apmStageRules, ...reflectionRules, ...taskFileRules];

export function findRule(id: string): Rule | undefined {
  return allRules.find((r) => r.meta.id === id);
}
