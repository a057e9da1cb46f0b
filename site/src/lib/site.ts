export const statusClass = (status: string) =>
  status === 'Success' ? 'ml-ok' : status === 'Failed' || status === 'Blocked' ? 'ml-error' : status === 'Partial' ? 'ml-warning' : 'ml-muted';

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Starlight writes a page's title into <title> as raw HTML, so a title taken from a memory file
 * (`title: '</title><img src=x onerror=…>'`) would close the element and run. Pages whose title comes
 * from the tree pass this as `head`: the same <title>, escaped (a page's own <title> replaces the default).
 */
export const titleHead = (title: string) => [{ tag: 'title' as const, content: `${escapeHtml(title)} | memlint` }];
