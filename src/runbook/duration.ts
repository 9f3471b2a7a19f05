import type { Findings } from './findings.js';

// Days for retention's max_age (90d); weeks and months are left out: a month has no fixed length.
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `500ms`, `30s`, `10m`, `1h`, `90d`, or a number of seconds, as milliseconds; undefined if malformed. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(value);
  if (!match) return undefined;
  return Math.round(Number(match[1]) * (UNITS[match[2] ?? 's'] ?? 1000));
}

/** `90d`, `12h`, `30m`, `45s`, `500ms`: the largest unit that divides the duration exactly, as a runbook spells it. */
export function formatDuration(ms: number): string {
  const units: Array<[string, number]> = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]];
  const unit = units.find(([, size]) => ms > 0 && ms % size === 0);
  return unit ? `${ms / unit[1]}${unit[0]}` : `${ms}ms`;
}

/** Strings and numbers only: any other type is already the schema's error. */
export function durationFinding(value: unknown, path: string, what: string, findings: Findings): void {
  if ((typeof value === 'string' || typeof value === 'number') && parseDuration(value) === undefined) {
    findings.add(path, `${what} '${value}' is not a duration (a number of seconds, or 500ms, 30s, 10m, 1h, 90d)`);
  }
}
