import type { DocumentKind } from '../document.ts';
import type { Dialect } from '../dialects/dialect.ts';

/** A kind as the format names it, with its article: `a worker handoff log`, `an Implementation Agent handover file`. */
export function aKind(dialect: Dialect, kind: DocumentKind): string {
  const name = dialect.kindNames?.[kind] ?? kind.replace(/-/g, ' ');
  return `${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name}`;
}

/** `handoff`, or what the format calls it. */
export const handoffWord = (dialect: Dialect): string => dialect.handoffWord ?? 'handoff';
