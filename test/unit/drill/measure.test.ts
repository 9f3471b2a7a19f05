import { describe, expect, it } from 'vitest';
import { drillExitCode, formatMs, lossOf, rpoResult, rtoResult } from '../../../src/drill/measure.js';
import { failedFate, fateOf } from '../../../src/drill/markers.js';
import type { MarkerResult } from '../../../src/drill/report-model.js';
import type { Drill } from '../../../src/drill/types.js';

const drill = { objectives: { rtoMs: 60_000, rpoMs: 3_600_000, rto: '1m', rpo: '1h' } } as Drill;
const marker = (stage: MarkerResult['stage'], present: boolean): MarkerResult =>
  ({ write: `w-${stage}`, stage, host: 'ctl1', value: 'v', where: 'nova.instances.uuid', writtenAt: '', present, fate: fateOf(stage, present) });

describe('marker fates', () => {
  it('before the backup: restored or missing; after it: lost or survived', () => {
    expect([fateOf('before-backup', true), fateOf('before-backup', false), fateOf('after-backup', false), fateOf('after-backup', true)])
      .toEqual(['restored', 'missing', 'lost', 'survived']);
    expect(lossOf([marker('before-backup', true), marker('after-backup', false)])).toEqual({ lost: 1, restored: 1, missing: 0, survived: 0, unexpected: 0 });
  });
});

describe('markers the drill expects lost', () => {
  const expectedLost = (stage: MarkerResult['stage'], present: boolean): MarkerResult =>
    ({ ...marker(stage, present), write: 'token', fate: fateOf(stage, present, 'lost') });

  it('are lost when absent whenever written, and unexpected (a failure) when they come back', () => {
    expect([fateOf('before-backup', false, 'lost'), fateOf('after-backup', false, 'lost'), fateOf('before-backup', true, 'lost')]).toEqual(['lost', 'lost', 'unexpected']);
    expect([failedFate('unexpected'), failedFate('missing'), failedFate('lost'), failedFate('survived')]).toEqual([true, true, false, false]);
  });

  it('keep the RPO met and are named in it as lost by design, not counted as writes after the backup', () => {
    const result = rpoResult(drill, 5_000, [expectedLost('before-backup', false), expectedLost('after-backup', false), marker('after-backup', false)]);
    expect(result).toMatchObject({ met: true });
    expect(result.why).toMatch(/; 2 write\(s\) made after it lost; lost whatever the backup, as the drill expects: token$/);
  });
});

describe('objectives', () => {
  it('RTO is met within the objective, after a recovery that ended as expected', () => {
    expect(rtoResult(drill, 30_000, true).met).toBe(true);
    expect(rtoResult(drill, 90_000, true)).toMatchObject({ met: false, measuredMs: 90_000 });
    expect(rtoResult(drill, 30_000, false)).toMatchObject({ met: false, why: 'the recovery did not end as the drill expects' });
    expect(rtoResult(drill, undefined, true)).toMatchObject({ met: false, why: 'health was never verified' });
  });

  it('RPO is the backup age at the fault, and any marker older than the backup missing breaks it', () => {
    expect(rpoResult(drill, 5_000, [marker('before-backup', true), marker('after-backup', false)])).toMatchObject({ met: true, measuredMs: 5_000 });
    expect(rpoResult(drill, 7_200_000, []).met).toBe(false);
    expect(rpoResult(drill, 5_000, [marker('before-backup', false)])).toMatchObject({ met: false });
    expect(rpoResult(drill, undefined, []).met).toBe(false);
  });

  it('exit 0 only when verification passed and both objectives were met', () => {
    const met = { objective: '', objectiveMs: 0, met: true, why: '' };
    expect(drillExitCode(true, { rto: met, rpo: met })).toBe(0);
    expect(drillExitCode(false, { rto: met, rpo: met })).toBe(1);
    expect(drillExitCode(true, { rto: { ...met, met: false }, rpo: met })).toBe(1);
  });

  it('formats durations for people', () => {
    expect([formatMs(850), formatMs(12_340), formatMs(245_000), formatMs(7_800_000), formatMs(undefined)])
      .toEqual(['850 ms', '12.3 s', '4 min 05 s', '2 h 10 min', 'not measured']);
  });
});
