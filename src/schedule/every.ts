import { type Result, fail, ok } from '../diagnostics/result.js';

/**
 * When a scheduled runbook runs: a small vocabulary that both systemd's OnCalendar and a crontab
 * line can say exactly, so `--format systemd` and `--format cron` schedule the same thing.
 * Times are the control node's local time (both schedulers use it).
 */
export interface Every {
  period: 'hourly' | 'daily' | 'weekly' | 'monthly';
  /** 0..23; unused for hourly. */
  hour: number;
  minute: number;
  /** 0 (Sunday) .. 6, for weekly. */
  weekday: number;
}

export const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

export const EVERY_SYNTAX = "hourly [:MM] | daily [HH:MM] | weekly [Mon..Sun] [HH:MM] | monthly [HH:MM] (on the 1st)";

/**
 * Parses `--every`: `hourly`, `hourly :15`, `daily`, `daily 02:30`, `weekly Sun 04:00`,
 * `monthly 05:00`. A period without a time runs at 00:00 (minute 0 for hourly), weekly on Sunday.
 */
export function parseEvery(text: string): Result<Every, string> {
  const [period, ...rest] = text.trim().split(/\s+/);
  const bad = fail(`--every ${JSON.stringify(text)}: expected ${EVERY_SYNTAX}`);
  if (period !== 'hourly' && period !== 'daily' && period !== 'weekly' && period !== 'monthly') return bad;
  const every: Every = { period, hour: 0, minute: 0, weekday: 0 };
  if (period === 'weekly' && rest[0] !== undefined && !rest[0].includes(':')) {
    const day = weekdayOf(rest[0]);
    if (day < 0) return bad;
    every.weekday = day;
    rest.shift();
  }
  if (rest.length > 1) return bad;
  const time = rest[0];
  if (time === undefined) return ok(every);
  const match = period === 'hourly' ? /^:([0-5]\d)$/.exec(time) : /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!match) return bad;
  if (period === 'hourly') return ok({ ...every, minute: Number(match[1]) });
  return ok({ ...every, hour: Number(match[1]), minute: Number(match[2]) });
}

const DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** 0 (Sunday) .. 6 for `Sun`, `sun`, `Sunday`, `tues` (a start of the English name, 3 letters or more); else -1. */
function weekdayOf(word: string): number {
  const lower = word.toLowerCase();
  return lower.length < 3 ? -1 : DAY_NAMES.findIndex((name) => name.startsWith(lower));
}

/** `daily 02:30`: the canonical text of a schedule (what a rendered unit's comment shows). */
export function everyText(every: Every): string {
  const time = `${pad(every.hour)}:${pad(every.minute)}`;
  switch (every.period) {
    case 'hourly':
      return `hourly :${pad(every.minute)}`;
    case 'daily':
      return `daily ${time}`;
    case 'weekly':
      return `weekly ${WEEKDAYS[every.weekday] ?? 'Sun'} ${time}`;
    case 'monthly':
      return `monthly ${time}`;
    default: {
      const unknown: never = every.period;
      throw new Error(`unknown period ${String(unknown)}`);
    }
  }
}

export const pad = (n: number): string => String(n).padStart(2, '0');
