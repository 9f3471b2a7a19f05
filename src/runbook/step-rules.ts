import { durationFinding } from './duration.js';
import type { Findings } from './findings.js';
import { loopProblem } from './loop.js';
import { ACTION_KEYS, actionStepKeys, moduleNamed, type RegisteredModule, STEP_KEYS } from '../modules/registry.js';
import { CONTEXT_NAMES, isRecord } from './raw.js';

/** Rules of one step the schema cannot express: one action, its module's rules, durations, loop. */
export function stepFindings(step: Record<string, unknown>, at: string, raw: Record<string, unknown>, findings: Findings): void {
  const label = typeof step.id === 'string' ? `step '${step.id}'` : at;
  const actions = ACTION_KEYS.filter((k) => step[k] !== undefined);
  // A step with no action but an unknown key (`servce:`, `command:`) has the unknown key's error.
  const hasUnknownKey = Object.keys(step).some((k) => !STEP_KEYS.includes(k));
  if (actions.length === 0 && !hasUnknownKey) {
    findings.add(at, `${label} has no action: add run or one module (${ACTION_KEYS.slice(1).join(', ')})`, { at: 'key' });
  } else if (actions.length > 1) {
    const names = actions.length === 2 ? `two actions: ${actions[0]} and ${actions[1]}` : `${actions.length} actions: ${actions.join(', ')}`;
    findings.add(`${at}.${actions[1]}`, `${label} has ${names}; a step does one thing, split it into two steps`, { at: 'key' });
  }
  const action = actions.length === 1 ? moduleNamed(actions[0] ?? '') : undefined;
  if (action !== undefined) {
    stepKeyFindings(step, at, label, action, findings);
    action.rules?.({ value: step[action.name], step, at: `${at}.${action.name}`, stepAt: at, label, findings });
  }
  durationFinding(step.timeout, `${at}.timeout`, 'timeout', findings);
  if (isRecord(step.retries)) durationFinding(step.retries.delay, `${at}.retries.delay`, 'delay', findings);
  const loopIssue = loopProblem(step.loop, raw);
  if (loopIssue) findings.add(`${at}.loop`, loopIssue);
  if (typeof step.register === 'string' && (CONTEXT_NAMES as readonly string[]).includes(step.register)) {
    findings.add(`${at}.register`, `register '${step.register}' would hide the template variable of that name; pick another`);
  }
}

/** Keys of the step that belong to other actions (`check` beside a service, `stdin` beside a copy). */
function stepKeyFindings(step: Record<string, unknown>, at: string, label: string, action: RegisteredModule, findings: Findings): void {
  const other = { key: action.name, stepLevel: action.stepKeys !== undefined, mutating: action.mutating };
  for (const [key, owners] of actionStepKeys()) {
    if (step[key] === undefined || owners.includes(action)) continue;
    const spec = owners[0]?.stepKeys?.[key];
    const why = spec ? `; ${spec.refusedBecause(other)}` : '';
    findings.add(`${at}.${key}`, `'${key}' only goes with ${owners.map((o) => o.name).join(' or ')}${why} (in ${label})`, { at: 'key' });
  }
}
