import { hasRule, type RetentionPolicy } from '../catalog/retention.js';
import { parseDuration } from '../runbook/duration.js';
import type { RetentionArgs } from './retention.js';

export type PolicyResult = { ok: true; policy: RetentionPolicy } | { ok: false; problem: string };

/**
 * The policy of rendered retention args. Counts may arrive as strings and max_age as text when
 * they were templates (`"{{params.keep_last}}"`), so both are checked here, after rendering.
 */
export function policyOf(args: RetentionArgs): PolicyResult {
  const policy: RetentionPolicy = {};
  const counts: Array<[keyof RetentionPolicy, string, unknown]> = [['keepLast', 'keep_last', args.keep_last], ['daily', 'daily', args.daily], ['weekly', 'weekly', args.weekly], ['monthly', 'monthly', args.monthly]];
  for (const [field, key, value] of counts) {
    if (value === undefined) continue;
    const n = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(String(value)) ? Number(value) : Number.NaN;
    if (!Number.isInteger(n) || n < 0) return { ok: false, problem: `retention ${key} '${String(value)}' is not a whole number` };
    policy[field] = n;
  }
  const maxAgeMs = args.maxAgeMs ?? (args.max_age === undefined ? undefined : parseDuration(args.max_age));
  if (args.max_age !== undefined && maxAgeMs === undefined) return { ok: false, problem: `retention max_age '${args.max_age}' is not a duration (90d, 12h, 30m)` };
  if (maxAgeMs !== undefined) policy.maxAgeMs = maxAgeMs;
  // Without any rule, everything but the protected backups would go: never what anyone meant.
  if (!hasRule(policy)) return { ok: false, problem: 'retention needs at least one of keep_last, daily, weekly, monthly, max_age' };
  return { ok: true, policy };
}
