// An agent's session chain drawn on a time axis, as an SVG string made at build time. Pure: the
// timeline's data in, markup out. Every text that comes from a memory file is escaped here.

/** A date a session might be placed at: the handoff's own timestamp, a file's git dates, … */
export interface DateCandidate {
  value: string;
  /** Where it comes from, for the hover text (`handoff 2 timestamp`, `git: first commit`). */
  source: string;
  /** Whether it dates the session's start (the handoff that began it) or its end. */
  at: 'start' | 'end';
}

export interface Instant {
  ms: number;
  /** As written. */
  text: string;
  source: string;
}

/** Picks a session's start and end from its candidate dates: pluggable, so other sources of dates can take part. */
export type SessionDater = (candidates: readonly DateCandidate[]) => { start: Instant | null; end: Instant | null };

const instant = (c: DateCandidate): Instant | null => {
  const ms = Date.parse(c.value);
  return Number.isFinite(ms) ? { ms, text: c.value, source: c.source } : null;
};

/** The first readable date of each end, in the order given (the handoff's timestamp comes before git's dates). */
export const firstReadableDates: SessionDater = (candidates) => {
  const pick = (at: DateCandidate['at']) => {
    for (const c of candidates) {
      const found = c.at === at ? instant(c) : null;
      if (found) return found;
    }
    return null;
  };
  return { start: pick('start'), end: pick('end') };
};

export interface TimelineTask {
  taskId: string;
  title: string;
  page: string | null;
}

export interface TimelineHandoff {
  number: number | null;
  page: string;
  from: string | null;
  to: string | null;
  timestamp: string | null;
}

export interface TimelineSession {
  number: number;
  /** The instance as the handoffs name it (`Agent_Backend_Session_2`), when they do. */
  instance: string | null;
  current: boolean;
  stage: string | null;
  tasks: TimelineTask[];
  dates: DateCandidate[];
  /** The handoff that ends the session, drawn as the edge to the next one. */
  endedBy: TimelineHandoff | null;
}

export interface TimelineMark {
  kind: 'gap' | 'duplicate' | 'mismatch';
  /** The handoff number the mark concerns (for a gap: the missing one). */
  session: number;
  ruleId?: string;
  message: string;
}

export interface TimelineInput {
  agent: string;
  handoffWord: string;
  sessions: TimelineSession[];
  marks: TimelineMark[];
  dater?: SessionDater;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-02-06T17:20:00Z` → `6 Feb 2026`, and the time of day (UTC) when the text states one. */
export function humanDate(i: Instant): { day: string; time: string | null } {
  const d = new Date(i.ms);
  const day = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  return { day, time: /T\d|\d:\d/.test(i.text) ? `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC` : null };
}
const dayOf = (i: Instant) => humanDate(i).day;

/** Splits a text into lines of at most `width` characters, at spaces where it can. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    for (let w = word; w; ) {
      const room = line ? width - line.length - 1 : width;
      if (w.length <= room) {
        line = line ? `${line} ${w}` : w;
        w = '';
      } else if (line) {
        lines.push(line);
        line = '';
      } else {
        lines.push(w.slice(0, width));
        w = w.slice(width);
      }
    }
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}

// Geometry (SVG user units; the SVG scales to its box).
const WIDTH = 720;
const AXIS_X = 128;
const NODE_X = 148;
const NODE_W = WIDTH - NODE_X - 8;
const LINE = 18;
const PAD = 10;
const CHARS = 76; // characters of 13px text that fit a node's width
const EDGE = 56; // the space a handoff edge takes between two nodes

/** The extra room a stretch of time takes on the axis: grows with the days elapsed, slower for long stretches. */
export const timeRoom = (ms: number) => (ms > 0 ? Math.min(180, Math.round(22 * Math.sqrt(ms / 86_400_000))) : 0);

interface Line {
  text: string;
  cls: string;
  href?: string;
  /** Plain text after the link, on the same line. */
  rest?: string;
}

/** One box of the timeline: its lines, style and hover text. */
function box(y: number, lines: Line[], cls: string, hover: string): { svg: string; height: number } {
  const height = PAD * 2 + lines.length * LINE;
  const texts = lines.map((l, i) => {
    const ty = y + PAD + (i + 1) * LINE - 5;
    const text = `<tspan class="${l.cls}">${escapeXml(l.text)}</tspan>${l.rest ? `<tspan class="ml-tl-text">${escapeXml(l.rest)}</tspan>` : ''}`;
    const el = `<text x="${NODE_X + PAD}" y="${ty}">${text}</text>`;
    return l.href ? `<a href="${escapeXml(l.href)}">${el}</a>` : el;
  });
  return {
    svg:
      `<g class="${cls}"><title>${escapeXml(hover)}</title>` +
      `<rect x="${NODE_X}" y="${y}" width="${NODE_W}" height="${height}" rx="8"/>${texts.join('')}</g>`,
    height,
  };
}

/** A date on the axis, human-readable, with the exact timestamp on hover. */
function axisDate(y: number, i: Instant | null, ordinal: number): string {
  if (!i) return `<text class="ml-tl-date ml-tl-undated" x="${AXIS_X - 10}" y="${y + 4}" text-anchor="end"><title>no date stated: placed in order</title>no date (#${ordinal})</text>`;
  const { day, time } = humanDate(i);
  return (
    `<g class="ml-tl-date"><title>${escapeXml(`${i.text} (${i.source})`)}</title>` +
    `<text x="${AXIS_X - 10}" y="${y + 4}" text-anchor="end">${escapeXml(day)}</text>` +
    (time ? `<text x="${AXIS_X - 10}" y="${y + 4 + LINE - 2}" text-anchor="end" class="ml-tl-time">${escapeXml(time)}</text>` : '') +
    `</g><circle class="ml-tl-dot" cx="${AXIS_X}" cy="${y}" r="5"/>`
  );
}

const markTitle: Record<TimelineMark['kind'], string> = { gap: 'GAP', duplicate: 'DUPLICATE', mismatch: 'MISMATCH' };

/** The lines of a break: loud, with its rule and message. */
function markLines(m: TimelineMark, word: string): Line[] {
  const head =
    m.kind === 'gap' ? `${markTitle.gap}: no ${word} ${m.session}, the chain breaks here` : m.kind === 'duplicate' ? `${markTitle.duplicate}: ${word} ${m.session} written more than once` : `${markTitle.mismatch} at ${word} ${m.session}`;
  const lines: Line[] = [{ text: head, cls: 'ml-tl-mark-title' }];
  if (m.ruleId) lines.push({ text: m.ruleId, cls: 'ml-tl-rule', href: `/rules/${m.ruleId}/` });
  for (const l of wrapText(m.message, CHARS)) lines.push({ text: l, cls: 'ml-tl-text' });
  return lines;
}

/** The agent's timeline: sessions top to bottom, spaced by the time between them, handoffs as dated edges, breaks where they happen. */
export function timelineSvg(input: TimelineInput): string {
  const dater = input.dater ?? firstReadableDates;
  const word = input.handoffWord;
  const Word = word.charAt(0).toUpperCase() + word.slice(1);
  const parts: string[] = [];
  const edges: string[] = []; // drawn first, under the boxes
  let y = 16;
  let previousEnd: Instant | null = null;
  let pending: { from: number; broken: boolean } | null = null;
  const closeEdge = () => {
    if (pending) edges.push(`<line class="ml-tl-edge${pending.broken ? ' ml-tl-edge-broken' : ''}" x1="${NODE_X + 20}" y1="${pending.from}" x2="${NODE_X + 20}" y2="${y}" marker-end="url(#ml-tl-arrow)"/>`);
    pending = null;
  };
  const sessions = [...input.sessions].sort((a, b) => a.number - b.number);
  for (const [i, s] of sessions.entries()) {
    const { start, end } = dater(s.dates);
    // Time on the axis: a handoff sits lower the longer after the previous dated one it was written; undated ones keep their order.
    const since = end ?? start;
    if (since && previousEnd) y += timeRoom(since.ms - previousEnd.ms);
    closeEdge();

    const head = `Session ${s.number}${s.instance ? ` · ${s.instance}` : ''}${s.current ? ' · current' : ''}`;
    const when = start && end ? `${dayOf(start)} → ${dayOf(end)}` : start ? `from ${dayOf(start)}` : end ? `until ${dayOf(end)}` : 'no date stated';
    const lines: Line[] = [
      { text: head, cls: 'ml-tl-head' },
      { text: [s.stage, when].filter(Boolean).join(' · '), cls: 'ml-tl-meta' },
    ];
    for (const t of s.tasks) {
      const title = wrapText(t.title, CHARS - t.taskId.length - 3)[0]!;
      const rest = `  ${title}${title.length < t.title.length ? '…' : ''}`;
      lines.push(t.page ? { text: t.taskId, cls: 'ml-tl-link', href: t.page, rest } : { text: t.taskId, cls: 'ml-tl-text', rest });
    }
    if (!s.tasks.length) lines.push({ text: 'no task logs placed in this session', cls: 'ml-tl-meta' });
    const hover = `Session ${s.number}: ${start ? `started ${start.text} (${start.source})` : 'start not stated'}; ${end ? `ended ${end.text} (${end.source})` : s.current ? 'still running' : 'end not stated'}`;
    const node = box(y, lines, `ml-tl-session${s.current ? ' ml-tl-current' : ''}`, hover);
    parts.push(node.svg);
    y += node.height;

    const here = input.marks.filter((m) => m.session === s.number);
    const gaps = here.filter((m) => m.kind === 'gap');
    const h = s.endedBy;
    if (!h && !gaps.length && i === sessions.length - 1) break;
    // The edge to the next session: through its handoff (dated on the axis), or dashed and red through a gap.
    pending = { from: y, broken: gaps.length > 0 };
    y += EDGE / 2;
    if (h) {
      const label = `${Word} ${h.number ?? '?'}: ${h.from ?? '?'} → ${h.to ?? '?'}`;
      const title = h.timestamp ? `${label}, ${h.timestamp}` : `${label} (no timestamp stated)`;
      parts.push(
        `<a href="${escapeXml(h.page)}" class="ml-tl-handoff"><title>${escapeXml(title)}</title>` +
          `<text x="${NODE_X + 36}" y="${y + 4}">${escapeXml(label)}</text></a>`,
      );
      parts.push(axisDate(y, end, s.number));
      y += 8; // room between the handoff's label and a mark under it
    }
    if (end) previousEnd = end;
    for (const m of dedupe([...gaps, ...here.filter((x) => x.kind !== 'gap')])) {
      y += 8;
      const mark = box(y, markLines(m, word), `ml-tl-mark ml-tl-${m.kind}`, `${m.ruleId ? `${m.ruleId}: ` : ''}${m.message}`);
      parts.push(mark.svg);
      y += mark.height + 8;
    }
    y += EDGE / 2;
  }
  closeEdge();
  const height = y + 16;
  const title = `${input.agent}: sessions on a time axis`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="ml-tl" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="group" aria-label="${escapeXml(title)}">` +
    `<title>${escapeXml(title)}</title>` +
    `<defs><marker id="ml-tl-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0 0L10 5L0 10z" class="ml-tl-arrowhead"/></marker></defs>` +
    `<line class="ml-tl-axis" x1="${AXIS_X}" y1="8" x2="${AXIS_X}" y2="${height - 8}"/>` +
    edges.join('') +
    parts.join('') +
    `</svg>`
  );
}

/** A rule may say the same thing once per handoff it concerns: one mark each. */
const dedupe = (marks: TimelineMark[]) => marks.filter((m, i) => marks.findIndex((x) => x.kind === m.kind && x.ruleId === m.ruleId && x.message === m.message) === i);
