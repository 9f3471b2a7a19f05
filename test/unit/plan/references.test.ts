import { describe, expect, it } from 'vitest';
import { checkTemplateReferences } from '../../../src/plan/references.js';
import { runbook, step } from '../../support/builders.js';

const run = (command: string) => ({ module: 'run', args: { run: command } });
const base = {
  params: { backup: { type: 'string' as const } },
  vars: { dump: '/var/backups/{{run.id}}.sql.gz', bad: '{{vars.nothing}}' },
  secrets: { pw: { env: 'PW' } },
};

describe('checkTemplateReferences', () => {
  it('accepts every root of the context and names registered by earlier steps', () => {
    const rb = runbook(
      [
        step('a', run('echo {{params.backup}} {{vars.dump}} {{secrets.pw}} {{host.name}} {{run.id}}'), { register: 'out' }),
        step('b', run('echo {{out.stdout}} {{groups.compute}} {{hostvars.ctl1.x}}')),
        step('c', run('echo {{item}}'), { loop: ['x'] }),
      ],
      { ...base, vars: { dump: base.vars.dump } },
    );
    expect(checkTemplateReferences(rb)).toEqual([]);
  });

  it.each([
    ['echo {{params.bakup}}', "no param 'bakup'"],
    ['echo {{vars.dumb}}', "no var 'dumb'"],
    ['echo {{secrets.password}}', "no secret 'password'"],
    ['echo {{item}}', 'only in a step with loop'],
    ['echo {{later.stdout}}', "unknown template variable 'later.stdout'"],
    ['echo {{run.user}}', 'run has'],
    ['echo {{#if}}', 'template syntax error'],
  ])('%s is reported: %s', (command, message) => {
    const rb = runbook([step('a', run(command)), step('b', run('true'), { register: 'later' })], { ...base, vars: { dump: base.vars.dump } });
    const diagnostics = checkTemplateReferences(rb);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ severity: 'error', path: 'steps[0].run' });
    expect(diagnostics[0]!.message).toContain(message);
  });

  it('checks vars too, and module arguments under their module key', () => {
    const rb = runbook([step('svc', { module: 'service', args: { name: '{{params.svc}}', state: 'started' } })], base);
    const paths = checkTemplateReferences(rb).map((d) => d.path);
    expect(paths).toEqual(['vars.bad', 'steps[0].service.name']);
  });
});
