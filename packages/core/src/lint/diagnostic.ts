import type { Range } from '../text/source-text.ts';

export type Severity = 'error' | 'warning';
export type SeveritySetting = Severity | 'off';

/** A replacement of the characters `[start, end)` of the document's text (BOM excluded). */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export interface Diagnostic {
  ruleId: string;
  severity: Severity;
  /** What is wrong and what would be right, in one sentence. */
  message: string;
  /** The document's path, as loaded. */
  path: string;
  range: Range;
  /** The rule's page. */
  url: string;
  /** Replacement candidates for the range (an editor's quick fixes). */
  expected?: string[];
  /** More detail, on a line of its own. */
  note?: string;
  /** A safe edit that fixes the problem (`memlint --fix`). */
  fix?: TextEdit[];
  /** Where in a handoff chain the problem sits, for hosts that draw chains (the site's timelines). */
  chain?: ChainPlace;
}

/** A gap (handoffs `from`…`to` missing), a duplicate handoff number, or a mismatch at one handoff. */
export interface ChainPlace {
  kind: 'gap' | 'duplicate' | 'mismatch';
  /** The chain's agent key (`manager` for the Manager). */
  agent: string;
  /** The first and last handoff number the problem concerns. */
  from: number;
  to: number;
}

export const DEFAULT_DOCS_BASE = 'https://github.com/memlint/memlint/blob/main/rules/';

export function ruleUrl(id: string, docsBase: string = DEFAULT_DOCS_BASE): string {
  return `${docsBase}${id}.md`;
}
