import { describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../../../src/catalog/manifest.js';
import { isoWeek, periodKey } from '../../../src/catalog/periods.js';
import { decideRetention, type RetentionPolicy } from '../../../src/catalog/retention.js';
import { formatDuration } from '../../../src/runbook/duration.js';

const NOW = new Date('2026-11-21T12:00:00Z');
const DAY = 86_400_000;

let serial = 0;

/** A backup taken at `created` (ISO, UTC); its id is the run id such a run would have had. */
function backup(created: string, options: { kind?: string; host?: string; verified?: boolean; depends_on?: string | null } = {}): CatalogEntry {
  const kind = options.kind ?? 'db';
  const host = options.host ?? 'ctl1';
  const id = `${created.replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}-${(serial++).toString(16).padStart(4, '0')}`;
  return {
    format: 'runbook-backup/1',
    id,
    kind,
    host,
    created,
    run: { id, runbook: 'backup-db', version: '1.0.0' },
    source_digest: 'd',
    contents: {},
    depends_on: options.depends_on ?? null,
    files: [],
    verified: options.verified ?? true,
    verified_at: null,
    dir: `/b/${kind}/${host}/${id}`,
    restore_test: null,
  };
}

/** One backup a day at 02:00 UTC for `days` days, newest (yesterday) first. */
function daily(days: number, options: Parameters<typeof backup>[1] = {}): CatalogEntry[] {
  return Array.from({ length: days }, (_, i) => backup(new Date(Date.UTC(2026, 10, 20, 2) - i * DAY).toISOString(), options));
}

const kept = (entries: CatalogEntry[], policy: RetentionPolicy, now = NOW): string[] =>
  decideRetention(entries, policy, now).filter((d) => d.keep).map((d) => d.entry.created.slice(0, 10)).sort();
const reasonOf = (entries: CatalogEntry[], policy: RetentionPolicy, entry: CatalogEntry): string =>
  decideRetention(entries, policy, NOW).find((d) => d.entry === entry)?.reason ?? 'none';

describe('periods (UTC)', () => {
  it.each([
    ['2026-01-01T00:00:00Z', 2026, 1], // a Thursday: week 1
    ['2021-01-03T23:59:59Z', 2020, 53], // a Sunday in January that belongs to the last week of 2020
    ['2024-12-30T00:00:00Z', 2025, 1], // a Monday in December that belongs to week 1 of 2025
    ['2026-11-21T12:00:00Z', 2026, 47],
  ])('%s is ISO week %i-W%i', (time, year, week) => {
    expect(isoWeek(new Date(time))).toEqual({ year, week });
  });

  it('names days, weeks and months in UTC', () => {
    const t = new Date('2026-03-01T23:30:00-02:00'); // already 2 March in UTC
    expect([periodKey('daily', t), periodKey('weekly', t), periodKey('monthly', t)]).toEqual(['2026-03-02', '2026-W10', '2026-03']);
  });
});

describe('retention policy', () => {
  it('keep_last keeps exactly the newest N', () => {
    expect(kept(daily(10), { keepLast: 3 })).toEqual(['2026-11-18', '2026-11-19', '2026-11-20']);
  });

  it('daily keeps the newest backup of each of the last N days that have one', () => {
    const entries = [backup('2026-11-20T23:00:00Z'), backup('2026-11-20T01:00:00Z'), backup('2026-11-17T10:00:00Z'), backup('2026-11-17T09:00:00Z'), backup('2026-11-10T10:00:00Z'), backup('2026-11-01T10:00:00Z')];
    const decisions = decideRetention(entries, { daily: 3 }, NOW);
    expect(decisions.filter((d) => d.keep).map((d) => d.entry.created)).toEqual(['2026-11-20T23:00:00Z', '2026-11-17T10:00:00Z', '2026-11-10T10:00:00Z']);
    expect(reasonOf(entries, { daily: 3 }, entries[2]!)).toBe('kept: daily 2026-11-17');
  });

  it('weekly and monthly over a year of daily backups, as restic forget would keep them', () => {
    const year = daily(365);
    // 2026-11-20 is a Friday of week 47; the newest backup of each earlier week is its Sunday.
    expect(kept(year, { weekly: 4 })).toEqual(['2026-11-01', '2026-11-08', '2026-11-15', '2026-11-20']);
    expect(kept(year, { monthly: 3 })).toEqual(['2026-09-30', '2026-10-31', '2026-11-20']);
    expect(kept(year, { keepLast: 2, weekly: 2, monthly: 2 })).toEqual(['2026-10-31', '2026-11-15', '2026-11-19', '2026-11-20']);
  });

  it('gives every reason a backup is kept for', () => {
    const year = daily(40);
    expect(reasonOf(year, { keepLast: 1, daily: 1, weekly: 1, monthly: 1 }, year[0]!)).toBe('kept: newest 1; daily 2026-11-20; weekly 2026-W47; monthly 2026-11; newest verified db backup of ctl1');
  });

  it('max_age: nothing older is kept by the rules', () => {
    const entries = daily(30);
    // 11-16 02:00 is 5.4 days before now.
    expect(kept(entries, { keepLast: 10, monthly: 6, maxAgeMs: 5 * DAY })).toEqual(['2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20']);
    expect(reasonOf(entries, { keepLast: 10, monthly: 6, maxAgeMs: 5 * DAY }, entries[20]!)).toBe('deleted: older than max_age 5d and not kept by monthly 6/keep_last 10');
  });

  it('max_age alone keeps everything younger and says so', () => {
    const entries = daily(10);
    expect(kept(entries, { maxAgeMs: 3 * DAY })).toEqual(['2026-11-19', '2026-11-20']);
    expect(reasonOf(entries, { maxAgeMs: 3 * DAY }, entries[1]!)).toBe('kept: within max_age 3d');
    expect(reasonOf(entries, { maxAgeMs: 3 * DAY }, entries[5]!)).toBe('deleted: older than max_age 3d');
  });

  it('keeps the newest verified backup even when it is older than max_age and no rule keeps it', () => {
    const old = backup('2026-06-01T02:00:00Z', { verified: true });
    const entries = [...daily(5, { verified: false }), old, backup('2026-05-01T02:00:00Z', { verified: true })];
    const decisions = decideRetention(entries, { keepLast: 2, maxAgeMs: 90 * DAY }, NOW);
    expect(decisions.filter((d) => d.keep).map((d) => d.entry.created.slice(0, 10))).toEqual(['2026-11-20', '2026-11-19', '2026-06-01']);
    expect(decisions.find((d) => d.entry === old)?.reason).toBe('kept: newest verified db backup of ctl1');
  });

  it('keeps the whole depends_on chain of a kept backup, and only that', () => {
    const full = backup('2026-01-01T02:00:00Z');
    const incr1 = backup('2026-01-02T02:00:00Z', { depends_on: full.id });
    const incr2 = backup('2026-11-20T02:00:00Z', { depends_on: incr1.id });
    const orphanBase = backup('2025-12-01T02:00:00Z');
    const deletedIncr = backup('2025-12-02T02:00:00Z', { depends_on: orphanBase.id });
    const entries = [full, incr1, incr2, orphanBase, deletedIncr];
    const decisions = decideRetention(entries, { keepLast: 1, maxAgeMs: 30 * DAY }, NOW);
    expect(decisions.filter((d) => d.keep).map((d) => d.entry)).toEqual([incr2, incr1, full]);
    expect(decisions.find((d) => d.entry === incr1)?.reason).toBe(`kept: backup ${incr2.id} depends on it`);
    expect(decisions.find((d) => d.entry === full)?.reason).toBe(`kept: backup ${incr1.id} depends on it`);
  });

  it('keeps what the newest verified backup depends on, and survives a depends_on cycle', () => {
    const a = backup('2026-01-01T02:00:00Z', { depends_on: 'later' });
    const b = { ...backup('2026-01-02T02:00:00Z', { depends_on: a.id }), id: 'later' };
    const decisions = decideRetention([a, b], { keepLast: 0 }, NOW);
    expect(decisions.map((d) => d.keep)).toEqual([true, true]);
  });

  it('treats unverified backups like the others, but a day, week or month keeps its newest verified backup', () => {
    const verifiedMorning = backup('2026-11-19T02:00:00Z', { verified: true });
    const brokenEvening = backup('2026-11-19T20:00:00Z', { verified: false });
    const oldUnverified = backup('2026-11-10T02:00:00Z', { verified: false });
    const newestUnverified = backup('2026-11-20T20:00:00Z', { verified: false });
    const entries = [newestUnverified, brokenEvening, verifiedMorning, oldUnverified, backup('2026-11-01T02:00:00Z')];
    const decisions = decideRetention(entries, { daily: 2 }, NOW);
    const keep = (e: CatalogEntry) => decisions.find((d) => d.entry === e)?.keep;
    expect([keep(newestUnverified), keep(verifiedMorning), keep(brokenEvening), keep(oldUnverified)]).toEqual([true, true, false, false]);
    expect(decisions.find((d) => d.entry === verifiedMorning)?.reason).toBe('kept: daily 2026-11-19; newest verified db backup of ctl1');
  });

  it('decides each kind and host apart', () => {
    const entries = [...daily(3, { kind: 'db' }), ...daily(3, { kind: 'files' }), ...daily(3, { kind: 'files', host: 'cmp1' })];
    const decisions = decideRetention(entries, { keepLast: 1 }, NOW);
    expect(decisions.filter((d) => d.keep).map((d) => `${d.entry.kind}/${d.entry.host}/${d.entry.created.slice(0, 10)}`)).toEqual(['db/ctl1/2026-11-20', 'files/ctl1/2026-11-20', 'files/cmp1/2026-11-20']);
    expect(decisions.filter((d) => !d.keep)).toHaveLength(6);
  });

  it('keeps a backup whose created is not a time', () => {
    const odd = { ...backup('2026-11-01T02:00:00Z'), created: 'yesterday' };
    expect(reasonOf([...daily(3), odd], { keepLast: 1 }, odd)).toBe("kept: 'created' (yesterday) is not a time, so its age is unknown");
  });

  it('says which rules did not keep a young backup', () => {
    const entries = daily(5);
    expect(reasonOf(entries, { keepLast: 2, weekly: 1 }, entries[3]!)).toBe('deleted: not kept by weekly 1/keep_last 2');
  });

  it('writes durations in the largest whole unit', () => {
    expect([formatDuration(90 * DAY), formatDuration(36 * 3_600_000), formatDuration(90_000), formatDuration(1500)]).toEqual(['90d', '36h', '90s', '1500ms']);
  });
});
