import type { ZodObject } from 'zod';
import type { DocumentKind, MemoryDocument } from '../document.ts';
import type { Workspace } from '../workspace/workspace.ts';
import type { Fill, SkeletonDraft, SkeletonRequest } from '../skeleton.ts';

export const dialectIds = ['apm-stage', 'apm-v1', 'apm-phase', 'apm-v03', 'aops', 'unknown'] as const;
export type DialectId = (typeof dialectIds)[number];

/** The ids a file's path carries (what the folder and file name say, before any frontmatter is read). */
export interface PathIds {
  stage?: number;
  task?: number;
  /** The agent a handoff folder or file names, as written. */
  agent?: string;
  /** The agent the handoff folder names, and the one the file name's prefix names, where a format has both. */
  folderAgent?: string;
  fileAgent?: string;
  /** The stage folder a log sits in (`Stage_02_Billing`, `stage-02`), and the number it carries. */
  folder?: string;
  folderStage?: number;
  handoff?: number;
  /** A free part of the name: a task log's slug, a follow-up's suffix (`followup-icons`). */
  slug?: string;
  /** A letter after the task number (`Task_2_1a`). */
  taskSuffix?: string;
  /** The file is a follow-up to its task (`FollowUp_1_1_…`), not the task's own log. */
  followUp?: boolean;
}

/** How a dialect recognises its trees. */
export interface DialectDetection {
  /** Whether a version string from `.apm/metadata.json` is one of this dialect's releases. */
  claimsVersion(version: string): boolean;
  /** How many of a root's paths (relative, `/`-separated) only this dialect's layout has. */
  layoutScore(relPaths: readonly string[]): number;
  /**
   * Whether a folder not named `.apm` is a memory root of this dialect, from its name and the names
   * of its entries (early v0.4's `apm/`, v0.3's folder holding `Memory_Bank.md`). Discovery asks
   * every dialect that has this about each folder it walks.
   */
  rootFolder?(name: string, entries: readonly string[]): boolean;
  /**
   * Which entries of a folder this dialect's `rootFolder` claimed belong to the memory tree
   * (default: all of them). v0.3's files often sit at a project's top, beside its sources and
   * READMEs, which are not memory files.
   */
  rootEntry?(name: string): boolean;
}

/** The H1 a kind prescribes. */
export interface TitleCheck {
  /** When another rule already reports what the title would repeat (a malformed id). */
  skip?(doc: MemoryDocument): boolean;
  /** Whether the H1 text (plain) is acceptable. */
  ok(text: string, doc: MemoryDocument): boolean;
  /** The form to suggest. */
  expected(doc: MemoryDocument): string;
  /** Whether `expected` is the exact title (then it is offered as the replacement). */
  concrete?(doc: MemoryDocument): boolean;
}

/** A section that must be present exactly when a frontmatter flag is true. */
export interface ConditionalSection {
  kind: DocumentKind;
  flag: string;
  section: string;
}

/** One version of one family's format: everything memlint knows about it lives in its folder. */
export interface Dialect {
  id: DialectId;
  family: 'apm' | 'aops';
  label: string;
  /** The releases that wrote this format. */
  versions: string;
  /** Whether memlint has this dialect's format rules yet. */
  rulesAvailable: boolean;
  detect?: DialectDetection;
  /** The kind of a file from its path inside the root (and its frontmatter when the path says nothing). */
  classify(relPath: string, frontmatterKeys: readonly string[], frontmatter?: Record<string, unknown>): DocumentKind;
  /** The ids a path carries. */
  locate?(relPath: string, kind: DocumentKind): PathIds;
  schemas: Partial<Record<DocumentKind, ZodObject>>;
  /** Kinds that must open with frontmatter. */
  frontmatterRequired: readonly DocumentKind[];
  /**
   * The format has no frontmatter: a file that opens with `---` and no YAML mapping after it
   * opens with a thematic break (v0.3's entries start with `---`), and is read as markdown.
   */
  noFrontmatter?: boolean;
  /** The H1 each kind opens with. */
  titles?: Partial<Record<DocumentKind, TitleCheck>>;
  /** The `##` sections each kind has, in order. */
  requiredSections?: Partial<Record<DocumentKind, readonly string[]>>;
  conditionalSections?: readonly ConditionalSection[];
  /** Fills the dialect-neutral index (stages, tasks, agents, chains, claims) from the documents. */
  buildIndex?(ws: Workspace): void;
  /** What that index holds for this dialect: the cross-file rules run where their data is. */
  indexes?: readonly IndexPart[];
  /** What the format calls a stage, for messages: `Stage`, or the Phase era's `Phase`. */
  stageWord?: string;
  /** What the format calls a handoff, for messages: `handoff`, or the Phase era's `handover`. */
  handoffWord?: string;
  /** How the format names a kind in messages, where the kind's id does not (`Implementation Agent handover file`). */
  kindNames?: Partial<Record<DocumentKind, string>>;
  /** The task-log statuses that mean a task is done (`Success`; the Phase era's `Completed`), for progress. Default: `Completed`, `Success`. */
  doneStatuses?: readonly string[];
  /**
   * Kinds the format creates empty ahead of time (the Phase-era Manager pre-creates each task's
   * log): an empty one is a task not logged yet, which the dialect's own rule reports, not a file
   * without frontmatter.
   */
  precreated?: readonly DocumentKind[];
  /** How the plan declares a task, for messages (`` `### Task 2.1:` in plan.md ``). */
  planTaskHeading?(id: string): string;
  /**
   * The next log of a kind, laid out for this tree: where it goes and the skeleton its format
   * requires (numbers from the chain and plan, `fill` markers for the rest). Throws SkeletonError
   * for a kind the format has not.
   */
  skeleton?(ws: Workspace, request: SkeletonRequest & { now: Date }, fill: Fill): SkeletonDraft;
  /** How a stage's folder is written, for messages (`memory/stage-02/`). */
  stageFolder?(stage: number): string;
  /** Where the log of task `stage.task` belongs, for messages (`memory/stage-02/task-02-01.log.md`). */
  taskLogPath?(stage: number, task: number): string;
  /** How the plan declares a stage, for messages. */
  planStageHeading?(stage: number): string;
}

/** Parts of the neutral index a dialect fills (`plan-tasks`: its plan declares every task before one is dispatched). */
export type IndexPart = 'chains' | 'instances' | 'stage-summaries' | 'tracker' | 'plan-tasks';

/** How a memory root's dialect was decided. */
export type DialectSource = 'option' | 'metadata' | 'layout' | 'none';
