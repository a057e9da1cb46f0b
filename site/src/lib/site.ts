/** A task status's badge: done as the format says (history's `done`), else by what the word says. */
export const statusClass = (status: string, done: boolean) =>
  done ? 'ml-ok' : /^(?:Failed|Blocked|Error)$/i.test(status) ? 'ml-error' : /^Partial/i.test(status) ? 'ml-warning' : 'ml-muted';

/** `Stage 2`, `Phase 2`: a stage as its tree's format calls it. */
export const stageLabel = (word: string, n: number) => `${word} ${n}`;

/** `handover` → `Handover`. */
export const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** The column header for stages of several trees: `Stage`, `Phase`, or `Stage / Phase`. */
export const stageWords = (words: string[]) => [...new Set(words)].join(' / ') || 'Stage';

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Starlight writes a page's title into <title> as raw HTML, so a title taken from a memory file
 * (`title: '</title><img src=x onerror=…>'`) would close the element and run. Pages whose title comes
 * from the tree pass this as `head`: the same <title>, escaped (a page's own <title> replaces the default).
 */
export const titleHead = (title: string) => [{ tag: 'title' as const, content: `${escapeHtml(title)} | memlint` }];
