import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppliedChange, runTask, type TaskInput } from '../../../src/engine/task.js';
import { builtinModules } from '../../../src/modules/registry.js';
import { Redactor } from '../../../src/secrets/redactor.js';
import type { TemplateContext } from '../../../src/template/context.js';
import { TemplateEngine } from '../../../src/template/template.js';
import { step } from '../../support/builders.js';
import { type ModuleHosts, startModuleHosts, workDir } from './hosts.js';

let hosts: ModuleHosts;
beforeAll(async () => {
  hosts = await startModuleHosts(1);
});
afterAll(async () => hosts?.stop());

/** One task through the engine's own rendering and check/apply path, on the real host. */
async function task(module: string, args: Record<string, unknown>, context: Partial<TemplateContext>, check = false) {
  const changes: AppliedChange[] = [];
  const h = hosts.sshds[0]!.host;
  const input: TaskInput = {
    step: step('s', { module, args }),
    stepIndex: 0,
    host: h,
    context: { params: {}, vars: {}, groups: {}, hostvars: {}, secrets: {}, host: { name: h.name, address: h.address, groups: [], vars: {} }, run: { id: 'r1', started: '', runbook: 't', version: '1.0.0', inventory: 'i', check }, ...context } as TemplateContext,
    module: builtinModules().get(module)!,
    connection: hosts.connections.get('h1')!,
    connectionTo: async (name) => hosts.connections.get(name)!,
    templates: new TemplateEngine(),
    redactor: new Redactor([]),
    runId: 'r1',
    check,
    signal: new AbortController().signal,
    registeredNames: new Set(),
    unsetRegisters: new Map(),
    sleep: async () => undefined,
    onChange: (c) => {
      changes.push(c);
      return () => undefined;
    },
  };
  return { output: await runTask(input), changes };
}

describe('template on a real host', () => {
  // The loader has read the control-node file into content; the engine renders it.
  const content = '[database]\nconnection = mysql://{{vars.user}}:{{secrets.pw}}@{{host.name}}/nova\n';

  it('renders with the step context, is ok the second time, and rollback restores the previous file', async () => {
    const dir = workDir();
    const dest = join(dir, 'nova.conf');
    writeFileSync(dest, 'old\n');
    chmodSync(dest, 0o640);
    const args = { src: 'nova.conf.hbs', dest, content };
    const context = { vars: { user: 'nova' }, secrets: { pw: "it's" } };
    const first = await task('template', args, context);
    expect(first.output.result.status).toBe('changed');
    expect(readFileSync(dest, 'utf8')).toBe("[database]\nconnection = mysql://nova:it's@h1/nova\n");
    expect((await task('template', args, context)).output.result.status).toBe('ok');
    const undo = await first.changes[0]!.rollback!(new AbortController().signal);
    expect(undo.ok).toBe(true);
    expect(readFileSync(dest, 'utf8')).toBe('old\n');
    expect((statSync(dest).mode & 0o777).toString(8)).toBe('640');
  });
});

describe('assert through the engine', () => {
  it('renders each command with shell quoting and fails with msg, in check mode too', async () => {
    const dir = workDir();
    const odd = join(dir, "it's here");
    writeFileSync(odd, '');
    const args = { that: ['test -f {{vars.file}}', 'test -f {{vars.file}}.gz'], msg: 'no dump' };
    const { output } = await task('assert', args, { vars: { file: odd } }, true);
    expect(output.result).toMatchObject({ status: 'failed', message: `no dump: \`test -f '${dir}/it'\\''s here'.gz\` exited 1` });
    const ok = await task('assert', { that: ['test -f {{vars.file}}'] }, { vars: { file: odd } });
    expect(ok.output.result.status).toBe('ok');
    expect(ok.changes).toEqual([]);
  });
});
