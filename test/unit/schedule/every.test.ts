import { describe, expect, it } from 'vitest';
import { cronFields, onCalendar } from '../../../src/schedule/calendar.js';
import { everyText, parseEvery } from '../../../src/schedule/every.js';

const parsed = (text: string) => {
  const every = parseEvery(text);
  if (!every.ok) throw new Error(every.error);
  return every.value;
};

describe('--every', () => {
  it.each([
    ['hourly', 'hourly :00', '*-*-* *:00:00', '0 * * * *'],
    ['hourly :15', 'hourly :15', '*-*-* *:15:00', '15 * * * *'],
    ['daily', 'daily 00:00', '*-*-* 00:00:00', '0 0 * * *'],
    ['daily 2:30', 'daily 02:30', '*-*-* 02:30:00', '30 2 * * *'],
    ['weekly', 'weekly Sun 00:00', 'Sun *-*-* 00:00:00', '0 0 * * 0'],
    ['weekly saturday 23:59', 'weekly Sat 23:59', 'Sat *-*-* 23:59:00', '59 23 * * 6'],
    ['weekly Tue', 'weekly Tue 00:00', 'Tue *-*-* 00:00:00', '0 0 * * 2'],
    ['weekly 04:00', 'weekly Sun 04:00', 'Sun *-*-* 04:00:00', '0 4 * * 0'],
    ['monthly 05:10', 'monthly 05:10', '*-*-01 05:10:00', '10 5 1 * *'],
  ])('%s is %s: OnCalendar %s, cron %s', (text, canonical, calendar, cron) => {
    const every = parsed(text);
    expect(everyText(every)).toBe(canonical);
    expect(onCalendar(every)).toBe(calendar);
    expect(cronFields(every)).toBe(cron);
  });

  it.each(['', 'daily 24:00', 'daily 02:60', 'daily 2', 'hourly 02:00', 'weekly Sa 04:00', 'weekly Funday', 'weekly Sun 04:00 extra', 'every 5m', '*/5 * * * *', 'Daily'])(
    'refuses %j, naming the syntax',
    (text) => {
      const every = parseEvery(text);
      expect(every.ok).toBe(false);
      if (!every.ok) expect(every.error).toContain('expected hourly [:MM] | daily [HH:MM]');
    },
  );
});
