import { type Every, WEEKDAYS, pad } from './every.js';

/** systemd's OnCalendar for a schedule: `*-*-* 01:00:00`, `Sun *-*-* 05:00:00`, `*-*-01 04:00:00`. */
export function onCalendar(every: Every): string {
  const time = `${pad(every.hour)}:${pad(every.minute)}:00`;
  switch (every.period) {
    case 'hourly':
      return `*-*-* *:${pad(every.minute)}:00`;
    case 'daily':
      return `*-*-* ${time}`;
    case 'weekly':
      return `${WEEKDAYS[every.weekday] ?? 'Sun'} *-*-* ${time}`;
    case 'monthly':
      return `*-*-01 ${time}`;
    default: {
      const unknown: never = every.period;
      throw new Error(`unknown period ${String(unknown)}`);
    }
  }
}

/** The five time fields of a crontab line: `0 1 * * *`, `0 5 * * 0`, `0 4 1 * *`. */
export function cronFields(every: Every): string {
  switch (every.period) {
    case 'hourly':
      return `${every.minute} * * * *`;
    case 'daily':
      return `${every.minute} ${every.hour} * * *`;
    case 'weekly':
      return `${every.minute} ${every.hour} * * ${every.weekday}`;
    case 'monthly':
      return `${every.minute} ${every.hour} 1 * *`;
    default: {
      const unknown: never = every.period;
      throw new Error(`unknown period ${String(unknown)}`);
    }
  }
}

/**
 * systemd's RandomizedDelaySec: spreads the runs of many control nodes (or timers) so they do
 * not all start on the minute; an hour's schedule gets less than a day's.
 */
export function randomizedDelay(every: Every): string {
  return every.period === 'hourly' ? '5min' : '15min';
}
