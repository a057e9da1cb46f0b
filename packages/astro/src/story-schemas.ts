import { z } from 'zod';

// The parts of the collections that tell a tree's story: board columns, the links between tasks, agents,
// handoffs and reflections, and each agent's timeline. Filled by story.ts from the rest of the history.

/** The board's columns, in workflow order. */
export const boardColumns = ['not-logged', 'in-progress', 'blocked', 'failed', 'done', 'other'] as const;
export type BoardColumn = (typeof boardColumns)[number];

/** A task named from another page: enough to link it and say what it is. */
export const taskRefSchema = z.object({ id: z.string(), taskId: z.string(), title: z.string(), page: z.string().nullable() });

/** A handoff named from another page: its number and agent, in the format's word. */
export const handoffRefSchema = z.object({ id: z.string(), label: z.string() });

/** A gap core found between two handoffs of a chain (the finding's rule and message). */
export const chainGapSchema = z.object({ missing: z.string(), ruleId: z.string(), message: z.string() });

export const boardSchema = z.array(z.object({ column: z.enum(boardColumns), label: z.string(), tasks: z.array(z.string()) }));

export const handoffNavSchema = z.object({
  previous: handoffRefSchema.nullable(),
  next: handoffRefSchema.nullable(),
  /** A gap between this handoff and the previous (or next) one, as the chain rule reported it. */
  gapBefore: chainGapSchema.nullable(),
  gapAfter: chainGapSchema.nullable(),
});

export type TaskRef = z.infer<typeof taskRefSchema>;
export type HandoffRef = z.infer<typeof handoffRefSchema>;
export type ChainGap = z.infer<typeof chainGapSchema>;
export type Board = z.infer<typeof boardSchema>;
export type HandoffNav = z.infer<typeof handoffNavSchema>;
