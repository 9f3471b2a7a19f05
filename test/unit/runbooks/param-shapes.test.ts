import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { callsOf } from '../../../src/drill/calls.js';
import { loadDrill } from '../../../src/drill/load.js';
import { resolveParams } from '../../../src/plan/params.js';
import { loadRunbook } from '../../../src/runbook/load.js';
import { hostileValues } from '../../support/hostile-params.js';
import { orThrow } from '../../support/results.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const yamlIn = (dir: string): string[] => readdirSync(join(root, dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
const runbooks = yamlIn('runbooks').map((f) => orThrow(loadRunbook(join(root, 'runbooks', f))));
const runbook = (name: string) => runbooks.find((r) => r.name === name)!;

describe('the shipped runbooks refuse hostile param values before anything runs', () => {
  const cases = runbooks.flatMap((r) => Object.keys(r.params).map((param) => ({ runbook: r.name, param })));

  it.each(cases)('$runbook: $param', ({ runbook: name, param }) => {
    for (const value of hostileValues('/tmp/pwned')) {
      const result = resolveParams(runbook(name).params, { assignments: [`${param}=${value}`] });
      expect(result.ok, `${param}=${JSON.stringify(value)}`).toBe(false);
      expect(!result.ok && result.error.map((p) => p.name)).toEqual([param]);
    }
  });
});

describe("the shipped drills' params fit the shapes of the runbooks they call", () => {
  it.each(yamlIn('drills'))('%s', (file) => {
    for (const call of callsOf(orThrow(loadDrill(join(root, 'drills', file))))) {
      expect(resolveParams(runbook(call.runbook).params, { values: call.params }), call.runbook).toMatchObject({ ok: true });
    }
  });
});
