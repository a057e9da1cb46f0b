import type { MemoryDocument } from '../document.ts';
import type { DialectId } from '../dialects/dialect.ts';
import type { Severity, TextEdit } from '../lint/diagnostic.ts';
import type { Range } from '../text/source-text.ts';
import type { Workspace } from '../workspace/workspace.ts';
import type { ReflectionProfile } from '../dialects/aops/profiles.ts';
import type { DumpSignals } from '../dialects/aops/reflection.ts';

export interface RuleMeta {
  id: string;
  /** One line: what the rule checks. */
  description: string;
  severity: Severity;
  family: 'generic' | 'apm' | 'aops';
  /** The dialects the rule applies to; every dialect when absent. */
  dialects?: readonly DialectId[];
  /** Reads more than one file. */
  crossFile?: boolean;
  fixable?: boolean;
}

export interface ReportExtra {
  expected?: string[];
  note?: string;
  fix?: TextEdit[];
}

export type Report = (document: MemoryDocument, range: Range, message: string, extra?: ReportExtra) => void;

/** Settings rules read, resolved from the configuration. */
export interface RuleSettings {
  /** The Framework Reflection profile. */
  profile: ReflectionProfile;
  dumpSignals: DumpSignals;
}

export interface RuleContext {
  workspace: Workspace;
  report: Report;
  settings: RuleSettings;
}

/** One rule: one id, one job, one page in rules/<id>.md. */
export interface Rule {
  meta: RuleMeta;
  /** Per-file part: sees one document (and the workspace for context). */
  checkDocument?(document: MemoryDocument, context: RuleContext): void;
  /** Cross-file part: runs once per memory root. */
  checkWorkspace?(context: RuleContext): void;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}
