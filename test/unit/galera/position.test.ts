import { describe, expect, it } from 'vitest';
import { memberPosition, mostAdvanced, parseGrastate } from '../../../src/galera/position.js';
import { galeraMostAdvanced, galeraSeqno, stdoutOf } from '../../../src/template/galera.js';

const UUID = '5c3b227f-ee54-11f1-a71a-02a65be59139';
const OTHER = '419fadfd-ee54-11f1-9cb5-c660c7bb14c9';
const grastate = (seqno: number | string, safe = 0, uuid = UUID): string => `# GALERA saved state\nversion: 2.1\nuuid:    ${uuid}\nseqno:   ${seqno}\nsafe_to_bootstrap: ${safe}\n`;
const recovered = (seqno: number | string, uuid = UUID): string => `2026-12-02 13:29:31 0 [Note] WSREP: Recovered position: ${uuid}:${seqno}\n`;

describe('parseGrastate', () => {
  it('reads uuid, seqno and safe_to_bootstrap', () => {
    expect(parseGrastate(grastate(112, 1))).toEqual({ ok: true, value: { uuid: UUID, seqno: 112, safeToBootstrap: true } });
  });

  it.each([
    ['a doubled seqno', `${grastate(5)}seqno: 900\n`, "'seqno' twice"],
    ['no uuid', 'version: 2.1\nseqno: 3\n', 'lacks uuid'],
    ['a uuid that is not one', grastate(5, 0, "x'; rm -rf /"), 'is not a UUID'],
    ['a seqno below -1', grastate(-2), 'not a number >= -1'],
    ['a seqno that is not a number', grastate('12abc'), 'not a number'],
    ['a seqno beyond a safe integer', grastate('99999999999999999999'), 'not a number'],
    ['a safe_to_bootstrap of 2', grastate(5, 2), 'not 0 or 1'],
  ])('refuses %s', (_what, text, message) => {
    const r = parseGrastate(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(message);
  });

  it('refuses a file larger than 64 KiB', () => {
    expect(parseGrastate(grastate(1) + '#'.repeat(70_000)).ok).toBe(false);
  });
});

describe('memberPosition', () => {
  it('takes the seqno of a member that stopped cleanly from grastate.dat', () => {
    expect(memberPosition(grastate(110))).toMatchObject({ ok: true, value: { uuid: UUID, seqno: 110, source: 'grastate' } });
  });

  it('takes the position mariadbd --wsrep-recover read from InnoDB after a crash (seqno -1)', () => {
    expect(memberPosition(grastate(-1) + recovered(117))).toMatchObject({ ok: true, value: { uuid: UUID, seqno: 117, source: 'wsrep-recover' } });
  });

  it.each([
    ['no grastate.dat (a lost datadir)', '', 'no grastate.dat'],
    ['a crash and no recovered position', grastate(-1), 'found no position'],
    ['a recovered position of another history', grastate(-1) + recovered(200, OTHER), "is not grastate.dat's"],
    ['two recovered positions that disagree', grastate(-1) + recovered(5) + recovered(9), '2 different positions'],
    ['a recovered seqno of -1 (nothing committed)', grastate(-1) + recovered(-1), 'no committed transaction'],
    ['a recovered position that is not uuid:seqno', `${grastate(-1)}WSREP: Recovered position: ${UUID}:12;reboot\n`, 'is not uuid:seqno'],
    ['a clean seqno under the zero uuid', grastate(4, 0, '00000000-0000-0000-0000-000000000000'), 'no cluster history'],
  ])('has no position with %s', (_what, text, message) => {
    const r = memberPosition(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(message);
  });
});

describe('mostAdvanced', () => {
  it('chooses the highest committed seqno, a crashed member included (its InnoDB position)', () => {
    const r = mostAdvanced([
      { host: 'ctl1', text: grastate(110) },
      { host: 'ctl2', text: grastate(-1, 1) + recovered(117) },
      { host: 'ctl3', text: grastate(112) },
    ]);
    expect(r).toMatchObject({ ok: true, value: { host: 'ctl2', position: { seqno: 117 } } });
  });

  it('never takes the first member or the one marked safe to bootstrap over a more advanced one', () => {
    const r = mostAdvanced([{ host: 'ctl1', text: grastate(90, 1) }, { host: 'ctl2', text: grastate(91) }]);
    expect(r).toMatchObject({ ok: true, value: { host: 'ctl2' } });
  });

  it('breaks a tie for the member marked safe to bootstrap, then for inventory order', () => {
    expect(mostAdvanced([{ host: 'ctl1', text: grastate(7) }, { host: 'ctl2', text: grastate(7, 1) }])).toMatchObject({ ok: true, value: { host: 'ctl2' } });
    expect(mostAdvanced([{ host: 'ctl1', text: grastate(7) }, { host: 'ctl2', text: grastate(7) }])).toMatchObject({ ok: true, value: { host: 'ctl1' } });
  });

  it('leaves out a member without state (it joins by SST) and says why in the record', () => {
    const r = mostAdvanced([{ host: 'ctl1', text: '' }, { host: 'ctl2', text: grastate(3) }]);
    expect(r.ok && r.value.host).toBe('ctl2');
    expect(r.ok && r.value.members[0]).toMatchObject({ host: 'ctl1', problem: expect.stringContaining('no grastate.dat') });
  });

  it('refuses members of different histories: which one is the cluster is a person\'s decision', () => {
    const r = mostAdvanced([{ host: 'ctl1', text: grastate(3) }, { host: 'ctl2', text: grastate(900, 0, OTHER) }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain('different cluster histories');
  });

  it('refuses when no member has a position', () => {
    const r = mostAdvanced([{ host: 'ctl1', text: grastate(-1) }, { host: 'ctl2', text: 'garbage\n\u0000' }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^no member has a committed position .*ctl1: seqno -1.*ctl2: no grastate.dat/);
  });
});

describe('the template helpers', () => {
  const hostvars = { ctl1: { position: { stdout: grastate(4) } }, ctl2: { position: { stdout: grastate(-1) + recovered(6) } }, stor1: {} };

  it('galera_most_advanced reads what each member registered', () => {
    expect(galeraMostAdvanced(hostvars, ['ctl1', 'ctl2'], 'position')).toEqual({ ok: true, value: 'ctl2' });
  });

  it('names a member whose probe did not run', () => {
    expect(galeraMostAdvanced(hostvars, ['ctl1', 'stor1'], 'position')).toEqual({ ok: false, error: "galera_most_advanced: stor1 registered no 'position' (its step did not run there)" });
  });

  it('galera_seqno and stdout_of', () => {
    expect(galeraSeqno(hostvars.ctl2.position.stdout)).toEqual({ ok: true, value: 6 });
    expect(galeraSeqno(42).ok).toBe(false);
    expect(stdoutOf(hostvars, ['ctl1', 'ctl2'], 'position')).toEqual({ ok: true, value: [hostvars.ctl1.position.stdout, hostvars.ctl2.position.stdout] });
    expect(stdoutOf(hostvars, 'ctl1', 'position').ok).toBe(false);
  });
});
