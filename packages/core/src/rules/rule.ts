import type { DocumentKind, MemoryDocument } from '../document.ts';
import type { SectionAliases } from '../markdown/sections.ts';
import type { DialectId } from '../dialects/dialect.ts';
import type { ChainPlace, Severity, TextEdit } from '../lint/diagnostic.ts';
import type { Range } from '../text/source-text.ts';
import type { Workspace } from '../workspace/workspace.ts';
import type { ReflectionProfile } from '../dialects/aops/profiles.ts';
import type { DumpSignals } from '../dialects/aops/reflection.ts';

/**
 * What a rule is, in one place: the CLI's `memlint rules`, the README's rule table and each rule
 * page's frontmatter (`rules/<id>.md`, checked against this by test/rule-pages.test.ts) all say
 * what `meta` says.
 */
export interface RuleMeta {
  id: string;
  /** One line: what the rule checks (the rule page's `description`). */
  description: string;
  severity: Severity;
  family: 'generic' | 'apm' | 'aops';
  /**
   * The dialects whose trees the rule runs in, each one named: lintWorkspace skips the rule in a
   * tree of any other dialect. A rule that reads its knowledge from the dialect (schemas, titles,
   * sections) lists the dialects that provide it.
   */
  dialects: readonly DialectId[];
  /**
   * The kinds of document the rule checks: its findings are on documents of these kinds (a
   * cross-file rule reads others too, for context). `'all'`: any kind, as for the encoding checks
   * and a Framework Reflection, which can sit in any markdown file.
   */
  kinds: readonly DocumentKind[] | 'all';
  /** Reads more than one file. */
  crossFile?: boolean;
  /** Some of its findings carry a safe edit (`memlint --fix`). */
  fixable?: boolean;
}

export interface ReportExtra {
  /**
   * This finding's severity, when it is not the rule's `meta.severity` (a rule whose findings
   * differ in weight: file-encoding's binary file is an error, a stray control character a
   * warning). It replaces the default only: a severity the user configured for the rule
   * (`.memlintrc.json`, `--rule`, the remark plugin's options) applies to all its findings, and
   * `off` silences them all.
   */
  severity?: Severity;
  expected?: string[];
  note?: string;
  fix?: TextEdit[];
  chain?: ChainPlace;
}

export type Report = (document: MemoryDocument, range: Range, message: string, extra?: ReportExtra) => void;

/** Settings rules read, resolved from the configuration. */
export interface RuleSettings {
  /** The Framework Reflection profile. */
  profile: ReflectionProfile;
  dumpSignals: DumpSignals;
  /** Section headings written in another language or renamed, mapped to the format's titles. */
  sectionAliases: SectionAliases;
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
