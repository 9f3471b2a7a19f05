import { describe, expect, it } from 'vitest';
import { resolveParams } from '../../../src/plan/params.js';
import type { ParamSpec } from '../../../src/runbook/types.js';

const specs: Record<string, ParamSpec> = {
  backup: { type: 'string', default: 'latest' },
  services: { type: 'array', items: { type: 'string' }, default: ['nova-api'] },
  keep: { type: 'integer', default: 7 },
  force: { type: 'boolean', default: false },
  mode: { type: 'string', enum: ['full', 'incremental'], default: 'full' },
  target: { type: 'string', required: true },
};

describe('resolveParams', () => {
  it('fills defaults and parses typed values', () => {
    const result = resolveParams(specs, { assignments: ['target=db1', 'keep=3', 'force=yes', 'services=nova-api, nova-conductor'] });
    expect(result).toEqual({
      ok: true,
      value: { backup: 'latest', services: ['nova-api', 'nova-conductor'], keep: 3, force: true, mode: 'full', target: 'db1' },
    });
  });

  it('keeps a value with shell metacharacters as one string', () => {
    const result = resolveParams(specs, { assignments: ['target=x; touch /tmp/pwned'] });
    expect(result.ok && result.value.target).toBe('x; touch /tmp/pwned');
  });

  it('takes a JSON list', () => {
    const result = resolveParams(specs, { assignments: ['target=a', 'services=["a,b","c"]'] });
    expect(result.ok && result.value.services).toEqual(['a,b', 'c']);
  });

  it.each([
    [['target=a', 'nope=1'], "unknown param 'nope'"],
    [['target=a', 'keep=1.5'], 'is not an integer'],
    [['target=a', 'force=maybe'], 'is not a boolean'],
    [["target=a", "mode=partial"], "is not one of"],
    [[], "param 'target' is required"],
    [['target'], 'is not of the form key=value'],
  ])('%j is refused: %s', (assignments, message) => {
    const result = resolveParams(specs, { assignments: assignments });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.map((p) => p.message).join('\n')).toContain(message);
  });

  it('takes typed values (a drill\'s YAML) and checks them like assignments', () => {
    expect(resolveParams(specs, { values: { target: 'db1', keep: 3, services: ['a', 'b'] } })).toMatchObject({ ok: true, value: { target: 'db1', keep: 3, services: ['a', 'b'] } });
    const wrong = resolveParams(specs, { values: { target: 'db1', keep: '3', nope: 1 } });
    expect(wrong.ok).toBe(false);
    expect(!wrong.ok && wrong.error.map((p) => p.message)).toEqual([
      expect.stringContaining("unknown param 'nope'"),
      "param 'keep' '3' is not of type integer",
    ]);
  });

  it('takes a resumed run’s values before defaults, and assignments over both', () => {
    const result = resolveParams(specs, { assignments: ['keep=1'] }, { target: 'old', keep: 9 });
    expect(result.ok && [result.value.target, result.value.keep]).toEqual(['old', 1]);
  });

  describe('shapes', () => {
    const shaped: Record<string, ParamSpec> = {
      databases: { type: 'array', items: { type: 'string', format: 'identifier' }, default: ['nova'] },
      backup: { type: 'string', format: 'backup-id', default: 'latest' },
      user: { type: 'string', pattern: '[a-z]+', default: 'runbook' },
    };
    const messages = (result: ReturnType<typeof resolveParams>): string[] => (result.ok ? [] : result.error.map((p) => p.message));

    it('refuses a --param value that does not fit, naming the param, the value and the shape', () => {
      expect(messages(resolveParams(shaped, { assignments: ['databases=nova; \\! touch /tmp/pwned'] }))).toEqual([
        "param 'databases' item 'nova; \\! touch /tmp/pwned' does not fit format identifier (letters, digits and _, not starting with a digit, at most 64)",
      ]);
      expect(messages(resolveParams(shaped, { assignments: ['user=-H'] }))).toEqual(["param 'user' '-H' does not fit pattern [a-z]+"]);
    });

    it('checks every item of a list, JSON or comma-separated', () => {
      expect(resolveParams(shaped, { assignments: ['databases=nova, nova_api'] }).ok).toBe(true);
      expect(messages(resolveParams(shaped, { assignments: ['databases=["nova","$(id)"]'] }))).toEqual([expect.stringContaining("item '$(id)' does not fit format identifier")]);
    });

    it("refuses a resumed run's value that does not fit, and says where it came from", () => {
      expect(messages(resolveParams(shaped, { assignments: [] }, { backup: '../../etc' }))).toEqual([
        "param 'backup' '../../etc' does not fit format backup-id (latest, or the run id of a backup: YYYYMMDD-HHMMSS-xxxx) (from the resumed run's params)",
      ]);
      expect(messages(resolveParams(shaped, { assignments: [] }, { databases: 'nova' }))).toEqual(["param 'databases' 'nova' is not of type array (from the resumed run's params)"]);
      expect(messages(resolveParams(shaped, { assignments: [] }, null as unknown as Record<string, unknown>))).toEqual(["the resumed run's params are null, not a mapping of names to values"]);
    });

    it('lets an assignment replace a resumed value that does not fit', () => {
      expect(resolveParams(shaped, { assignments: ['backup=latest'] }, { backup: 'x; y' })).toEqual({ ok: true, value: { databases: ['nova'], backup: 'latest', user: 'runbook' } });
    });

    it('refuses a default that does not fit (a runbook built without the loader)', () => {
      expect(messages(resolveParams({ db: { type: 'string', format: 'identifier', default: 'a b' } }, {}))).toEqual([
        expect.stringMatching(/^param 'db' 'a b' does not fit format identifier .* \(its default\)$/),
      ]);
    });

    it('reports every param that does not fit, not only the first', () => {
      expect(messages(resolveParams(shaped, { assignments: ['databases=a b', 'backup=x', 'user=1'] }))).toHaveLength(3);
    });
  });
});
