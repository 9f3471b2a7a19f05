import { durationFinding } from './duration.js';
import type { Findings } from './findings.js';
import { loopProblem } from './loop.js';
import { moduleFindings } from './module-rules.js';
import { ACTION_KEYS, CONTEXT_NAMES, isCommandAction, isRecord, RUN_COMPANIONS, STDIN_KEY, STEP_KEYS } from './raw.js';

/** Rules of one step the schema cannot express: one action, run's companions, durations, loop. */
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
  const action = actions.length === 1 ? actions[0] : undefined;
  if (step[STDIN_KEY] !== undefined && action !== undefined && !isCommandAction(action)) {
    findings.add(`${at}.${STDIN_KEY}`, `'${STDIN_KEY}' only goes with run or probe; the ${action} module has no command to feed (in ${label})`, { at: 'key' });
  }
  if (action !== undefined && action !== 'run') {
    for (const key of RUN_COMPANIONS) {
      if (step[key] !== undefined) {
        findings.add(`${at}.${key}`, `'${key}' only goes with run; ${action === 'probe' ? 'a probe changes nothing' : `the ${action} module checks and rolls back by itself`} (in ${label})`, { at: 'key' });
      }
    }
  }
  if (action === 'run') runFindings(step, at, label, findings);
  if (action !== undefined && !isCommandAction(action)) moduleFindings(action, step[action], `${at}.${action}`, findings);
  durationFinding(step.timeout, `${at}.timeout`, 'timeout', findings);
  if (isRecord(step.retries)) durationFinding(step.retries.delay, `${at}.retries.delay`, 'delay', findings);
  const loopIssue = loopProblem(step.loop, raw);
  if (loopIssue) findings.add(`${at}.loop`, loopIssue);
  if (typeof step.register === 'string' && (CONTEXT_NAMES as readonly string[]).includes(step.register)) {
    findings.add(`${at}.register`, `register '${step.register}' would hide the template variable of that name; pick another`);
  }
}

function runFindings(step: Record<string, unknown>, at: string, label: string, findings: Findings): void {
  const checks = (['check', 'creates', 'removes'] as const).filter((k) => step[k] !== undefined);
  if (checks.length > 1) findings.add(`${at}.${checks[1]}`, `use one of check, creates, removes (${label} has ${checks.join(' and ')})`, { at: 'key' });
  if (step.rollback !== undefined && step.irreversible !== undefined) {
    findings.add(`${at}.irreversible`, `${label} has both rollback and irreversible: keep the rollback, or say why there is none`, { at: 'key' });
  }
}
