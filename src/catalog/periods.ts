/** The calendar periods of the generation rules, each a key that names the period in words. */
export type Period = 'daily' | 'weekly' | 'monthly';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `2026-11-20`, `2026-W47` or `2026-11`: the UTC period a time falls in (borg and restic use one calendar too). */
export function periodKey(period: Period, time: Date): string {
  switch (period) {
    case 'daily':
      return `${time.getUTCFullYear()}-${pad(time.getUTCMonth() + 1)}-${pad(time.getUTCDate())}`;
    case 'weekly': {
      const { year, week } = isoWeek(time);
      return `${year}-W${pad(week)}`;
    }
    case 'monthly':
      return `${time.getUTCFullYear()}-${pad(time.getUTCMonth() + 1)}`;
    default: {
      const unreachable: never = period;
      throw new Error(`unknown period ${String(unreachable)}`);
    }
  }
}

const DAY_MS = 86_400_000;

/**
 * ISO 8601 week: weeks start on Monday, and week 1 is the one holding the year's first
 * Thursday, so the last days of December can belong to week 1 of the next year (and the first
 * days of January to week 52 or 53 of the previous one).
 */
export function isoWeek(time: Date): { year: number; week: number } {
  const day = Date.UTC(time.getUTCFullYear(), time.getUTCMonth(), time.getUTCDate());
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0 .. Sunday 6
  const thursday = new Date(day + (3 - weekday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS / 7);
  return { year, week };
}
