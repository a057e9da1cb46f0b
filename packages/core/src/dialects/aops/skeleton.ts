import { SkeletonError, type Fill, type SkeletonDraft, type SkeletonRequest } from '../../skeleton.ts';
import type { Workspace } from '../../workspace/workspace.ts';
import { DEFAULT_PROFILE, reflectionProfiles } from './profiles.ts';

/** What each label asks for, and a value the reflection rules accept. */
const LABELS: Record<string, [hint: string, example: string]> = {
  Prompts: ['what the user asked for this session', 'Finish the task the session was started for'],
  'Guidance received': ['the guidance the framework gave, or None', 'None'],
  Followed: ['Yes, No or Partial, and how', 'Yes'],
  Outcome: ['success, partial or failure (not success: add a **Root cause**: line after Friction points)', 'success'],
  'Friction points': ['what got in the way, or None', 'None'],
  'Proposed changes': ['what should change in the framework, or None', 'None'],
};

/** A session note ending in a Framework Reflection with the profile's labels, in `sessions/` when the folder has one. */
export function aopsSkeleton(ws: Workspace, request: SkeletonRequest & { now: Date }, fill: Fill): SkeletonDraft {
  if (request.kind !== 'reflection') throw new SkeletonError(`aops session files hold a reflection, not a ${request.kind}: ask for kind reflection`);
  const profile = request.profile ?? reflectionProfiles[DEFAULT_PROFILE]!;
  const date = request.now.toISOString().slice(0, 10);
  const task = request.task?.trim();
  const folder = [...ws.paths].some((p) => p === 'sessions' || p.startsWith('sessions/')) ? 'sessions/' : '';
  const stem = `${folder}${date}-${task ? task.replace(/[^A-Za-z0-9-]+/g, '-') : 'session'}`;
  let relPath = `${stem}.md`;
  for (let i = 2; ws.paths.has(relPath); i++) relPath = `${stem}-${i}.md`;
  const lines = profile.required.map((label) => {
    if (label === 'Accomplishments') return `**Accomplishments**:\n- ${fill('what this session got done, one line each', 'The change the session was for, tested')}`;
    if (label === 'Next step') return `**Next step**: ${task ? `Resume ${task}: ${fill('what the next session does first', 'pick up where this session stopped')}` : fill('the task id the next session resumes, or None', 'None')}`;
    const [hint, example] = LABELS[label] ?? [label.toLowerCase(), 'None'];
    return `**${label}**: ${fill(hint, example)}`;
  });
  const text = `---
title: "${fill('what the session was about', 'Session notes')}"
date: ${date}
tags: [session]
---

${fill('what happened this session, in a paragraph', 'The session did the work it was started for.')}

## Framework Reflection

${lines.join('\n')}
`;
  return { relPath, text, notes: [`Framework Reflection, profile ${profile.id} (${profile.label})`, 'a session that changed nothing ends with the Quick Exit line instead of the labels'] };
}
