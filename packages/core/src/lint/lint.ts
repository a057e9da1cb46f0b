import type { MemoryDocument } from '../document.ts';
import type { ReportExtra, Rule, RuleContext, RuleSettings } from '../rules/rule.ts';
import { sectionAliases } from '../markdown/sections.ts';
import { DEFAULT_PROFILE, reflectionProfiles, resolveProfile } from '../dialects/aops/profiles.ts';
import { DEFAULT_DUMP_SIGNALS, type DumpSignals } from '../dialects/aops/reflection.ts';
import { allRules } from '../rules/index.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { ruleUrl, type Diagnostic, type SeveritySetting } from './diagnostic.ts';

export interface LintConfig {
  /**
   * Per-rule severity: `off`, `warning` or `error`. When absent, each finding has the rule's
   * default, or the finding's own severity where the rule gives one (ReportExtra.severity); when
   * set, it applies to every finding of the rule.
   */
  rules?: Record<string, SeveritySetting>;
  /** Base URL of the rule pages (`<base><id>.md`). */
  docsBase?: string;
  /** aops session-end settings. */
  aops?: {
    /** Framework Reflection profile: `2` (default), `1b`, `3` or `5`. */
    profile?: string;
    /** What marks a dump; each list replaces the default one. */
    dumpSignals?: Partial<DumpSignals>;
  };
  /** Section headings written in another language or renamed → the format's titles (`{ "Resumo": "Summary" }`). */
  sections?: Record<string, string>;
}

/** The settings rules read, from a configuration (validated first). */
export function resolveSettings(config: LintConfig): RuleSettings {
  const profile = resolveProfile(config.aops?.profile ?? DEFAULT_PROFILE);
  if (!profile) throw new ConfigError(`unknown reflection profile "${config.aops?.profile}" (profiles: ${Object.keys(reflectionProfiles).join(', ')})`);
  return { profile, dumpSignals: { ...DEFAULT_DUMP_SIGNALS, ...config.aops?.dumpSignals }, sectionAliases: sectionAliases(config.sections) };
}

export type LintResult = Map<MemoryDocument, Diagnostic[]>;

export class ConfigError extends Error {}

/** Checks a configuration against the known rules, so a typo is a usage error and not silence. */
export function validateConfig(config: LintConfig, rules: readonly Rule[] = allRules): void {
  for (const [id, setting] of Object.entries(config.rules ?? {})) {
    if (!rules.some((r) => r.meta.id === id)) throw new ConfigError(`unknown rule "${id}"`);
    if (!['off', 'warning', 'error'].includes(setting)) {
      throw new ConfigError(`rule "${id}": severity must be off, warning or error, got "${String(setting)}"`);
    }
  }
  resolveSettings(config);
}

function applies(rule: Rule, ws: Workspace): boolean {
  return !rule.meta.dialects || rule.meta.dialects.includes(ws.root.dialect.id);
}

/**
 * Where a cache keeps a rule's per-file findings on a document, when the rule read nothing of the
 * workspace but its root (dialect, version) for that document: such findings depend on the
 * document alone, and come back while it is unchanged.
 */
export interface FindingMemo {
  get(ruleId: string, doc: MemoryDocument): Diagnostic[] | undefined;
  set(ruleId: string, doc: MemoryDocument, findings: Diagnostic[]): void;
}

/**
 * A FindingMemo held in memory, by document object: a long-running host (the language server,
 * `--watch`) keeps the documents that did not change, so their rules that read only them are not
 * run again; a changed document is a new object, and starts empty. One per configuration.
 */
export function documentMemo(): FindingMemo {
  // A property of the document under a key of this memo's own (a lookup per rule and document: a
  // property read is several times cheaper than a WeakMap's), gone with the document.
  const key = Symbol('memlint findings memo');
  type Holder = { [key]?: Map<string, Diagnostic[]> };
  return {
    get: (ruleId, doc) => (doc as Holder)[key]?.get(ruleId),
    set: (ruleId, doc, findings) => {
      const holder = doc as Holder;
      let byRule = holder[key];
      if (!byRule) Object.defineProperty(holder, key, { value: (byRule = new Map()), enumerable: false, configurable: true });
      byRule.set(ruleId, findings);
    },
  };
}

/**
 * One rule's context that notes whether the rule, checking the current document, read the
 * workspace beyond its root or reported on another document. Made once per rule: `start(doc)`
 * before each document, `local` after it.
 */
function tracking(context: RuleContext): { context: RuleContext; start(doc: MemoryDocument): void; readonly local: boolean } {
  let current: MemoryDocument | null = null;
  let local = true;
  const view = new Proxy(context.workspace, {
    get(target, prop, receiver) {
      if (prop !== 'root') local = false;
      return Reflect.get(target, prop, receiver);
    },
  });
  return {
    context: {
      settings: context.settings,
      workspace: view,
      report: (document, range, message, extra) => {
        if (document !== current) local = false;
        context.report(document, range, message, extra);
      },
    },
    start(doc) {
      current = doc;
      local = true;
    },
    get local() {
      return local;
    },
  };
}

/**
 * Runs the rules over one workspace. `only` limits the per-file part to some documents
 * (the rest are context); cross-file findings are kept only for those documents too.
 */
export function lintWorkspace(ws: Workspace, config: LintConfig = {}, only?: ReadonlySet<MemoryDocument>, rules: readonly Rule[] = allRules, memo?: FindingMemo): LintResult {
  const result: LintResult = new Map();
  const settings = resolveSettings(config);
  for (const d of ws.documents) if (!only || only.has(d)) result.set(d, []);
  for (const rule of rules) {
    // A severity the user set wins over everything the rule says; else a finding's own
    // severity (ReportExtra.severity) wins over the rule's default.
    const configured = config.rules?.[rule.meta.id];
    if (configured === 'off' || !applies(rule, ws)) continue;
    const url = ruleUrl(rule.meta.id, config.docsBase);
    const context = {
      workspace: ws,
      settings,
      report: (document: MemoryDocument, range: Diagnostic['range'], message: string, extra: ReportExtra = {}) => {
        const list = result.get(document);
        if (!list) return;
        const severity = configured ?? extra.severity ?? rule.meta.severity;
        list.push({ ruleId: rule.meta.id, severity, message, path: document.path, range, url, ...pick(extra) });
      },
    };
    if (rule.checkDocument) {
      const tracked = memo ? tracking(context) : null;
      for (const d of ws.documents) {
        const list = result.get(d);
        if (!list) continue;
        if (!memo) {
          rule.checkDocument(d, context);
          continue;
        }
        const kept = memo.get(rule.meta.id, d);
        if (kept) {
          list.push(...kept);
          continue;
        }
        const before = list.length;
        tracked!.start(d);
        rule.checkDocument(d, tracked!.context);
        if (tracked!.local) memo.set(rule.meta.id, d, list.slice(before));
      }
    }
    rule.checkWorkspace?.(context);
  }
  for (const list of result.values()) list.sort(byPosition);
  return result;
}

function pick(extra: ReportExtra): Partial<Diagnostic> {
  const out: Partial<Diagnostic> = {};
  if (extra.expected) out.expected = extra.expected;
  if (extra.note) out.note = extra.note;
  if (extra.fix) out.fix = extra.fix;
  if (extra.chain) out.chain = extra.chain;
  return out;
}

export function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.range.start.offset - b.range.start.offset || a.range.end.offset - b.range.end.offset || a.ruleId.localeCompare(b.ruleId);
}

export function countBySeverity(result: LintResult): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const list of result.values()) for (const d of list) d.severity === 'error' ? errors++ : warnings++;
  return { errors, warnings };
}
