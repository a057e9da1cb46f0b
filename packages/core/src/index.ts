export { SourceText, decodeBytes, sourceFromString, type Point, type Range } from './text/source-text.ts';
export { parseFrontmatter, frontmatterKeyRange, frontmatterValueRange, frontmatterKeys, type Frontmatter } from './frontmatter/frontmatter.ts';
export { parseMarkdownStructure, plainText, type CodeBlock, type Field, type Heading, type Section } from './markdown/structure.ts';
export {
  DEFAULT_MAX_FILE_SIZE,
  documentKinds,
  documentStart,
  findField,
  findSection,
  frontmatterData,
  parseDocument,
  type DocumentKind,
  type MemoryDocument,
  type ParseOptions,
  type ReadProblem,
} from './document.ts';
export { dialectIds, type ConditionalSection, type Dialect, type DialectDetection, type DialectId, type DialectSource, type PathIds, type TitleCheck } from './dialects/dialect.ts';
export { classifyDocument, dialectForLayout, dialectForVersion, layoutScores } from './dialects/detect.ts';
export { dialects, getDialect } from './dialects/registry.ts';
export { agentKey, classifyStagePath, parseStageLabel } from './dialects/apm-stage/paths.ts';
export * from './dialects/apm-stage/schemas.ts';
export { buildWorkspace, type AgentInfo, type Claim, type HandoffChain, type HandoffLink, type MemoryRoot, type StageInfo, type StageSummary, type TaskInfo, type TrackerInstance, type TrackerTask, type Workspace } from './workspace/workspace.ts';
export {
  InputError,
  bytesDigest,
  detectDialect,
  discover,
  explainDialect,
  foreignApm,
  metadataVersionKey,
  readMetadataEvidence,
  type VersionEvidence,
  fixTempPath,
  fixTempPid,
  ioErrorText,
  isIoError,
  loadPaths,
  loadRoot,
  listFiles,
  listMemoryRoot,
  loadVirtualRoot,
  updateWorkspace,
  memoryRootOf,
  metadataVersion,
  readMetadataVersion,
  readDocument,
  readFileBounded,
  readStamp,
  type BoundedRead,
  type Discovery,
  type LoadIssue,
  type LoadOptions,
  type LoadResult,
  type LoadedRoot,
  type ReadStamp,
  type VirtualFile,
} from './workspace/load.ts';
export { DEFAULT_DOCS_BASE, ruleUrl, type ChainPlace, type Diagnostic, type Severity, type SeveritySetting, type TextEdit } from './lint/diagnostic.ts';
export { LintCache, cacheKey, cachedDigest, rootFingerprint, type DocumentSnapshot, type ParseCache } from './lint/cache.ts';
export { ConfigError, byPosition, countBySeverity, documentMemo, lintWorkspace, type FindingMemo, validateConfig, type LintConfig, type LintResult } from './lint/lint.ts';
export { allRules, findRule, genericRules } from './rules/index.ts';
export type { Rule, RuleContext, RuleMeta } from './rules/rule.ts';
export { jsonSchemaFor, schemaKinds } from './schema/json-schema.ts';
export { parseMeta, parseRulePage, type ExampleFile, type ExpectedPlace, type RuleExample, type RulePage } from './rules/rule-page.ts';
export { applyEdits, applyFixes, chooseFixes, encodeText, fixRefusal, fixWorkspace, type FixedDocument, type FixOutcome, type FixRun } from './lint/fix.ts';
export { DEFAULT_PROFILE, labelAliases, reflectionProfiles, resolveProfile, type ReflectionProfile } from './dialects/aops/profiles.ts';
export {
  DEFAULT_DUMP_SIGNALS,
  canonicalLabel,
  dumpEvidence,
  findReflections,
  type DumpEvidence,
  type DumpSignals,
  type Reflection,
  type ReflectionForm,
  type ReflectionLabel,
} from './dialects/aops/reflection.ts';
export { knowledgeNoteSchema, taskFileSchema, taskStatusAliases, taskStatuses as aopsTaskStatuses, taskTypes, type KnowledgeNote, type TaskFile } from './dialects/aops/schemas.ts';
export { classifyAops } from './dialects/aops/dialect.ts';
export { namesTaskId, outcomeOf, TASK_ID } from './dialects/aops/rules/reflection.ts';
export { resolveSettings } from './lint/lint.ts';
export type { RuleSettings } from './rules/rule.ts';
export { CONFIG_NAMES, configFileSchema, configSettings, findConfig, parseByteSize, parseConfigText, readConfig, toLintConfig, type ConfigFile } from './config/config.ts';
export { fillExamples, logKinds, nextLog, PLACEHOLDER, SkeletonError, type LogKind, type Placeholder, type Skeleton, type SkeletonDraft, type SkeletonRequest } from './skeleton.ts';
export { loadAopsFolder, loadTreeAt } from './workspace/tree.ts';
