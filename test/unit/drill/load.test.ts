import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateFile } from '../../../src/commands/validate.js';
import { formatDiagnostic } from '../../../src/diagnostics/print.js';
import { parseDrill } from '../../../src/drill/load.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const shipped = readdirSync(`${root}drills`).filter((f) => f.endsWith('.yaml'));

const minimal = `apiVersion: runbook/v1
kind: drill
name: demo
version: 1.0.0
description: a demo
backup:
  - runbook: backup-db
fault:
  - lab: { kind: drop-database, database: nova }
recovery:
  runbook: recover-nova
verify:
  services: [{ hosts: controller, names: [nova-api] }]
objectives: { rto: 5m, rpo: 1h }
`;

const errorsOf = (text: string): string[] => {
  const result = parseDrill('/x/drills/demo.yaml', text);
  return result.ok ? [] : result.error.map(formatDiagnostic);
};

describe('shipped drills', () => {
  it.each(shipped)('%s names the schema for editors and validates', async (file) => {
    const path = `${root}drills/${file}`;
    expect(readFileSync(path, 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/drill.schema.json');
    expect(await validateFile(path, root)).toEqual([]);
  });
});

describe('parseDrill', () => {
  it('fills the defaults: no writes, fingerprint pre-fault, a 60 s health timeout, expect succeeded', () => {
    const result = parseDrill('/x/drills/demo.yaml', minimal);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.writes).toEqual([]);
    expect(result.value.verify).toMatchObject({ fingerprint: 'pre-fault', timeoutMs: 60_000, assert: [] });
    expect(result.value.recovery).toEqual({ runbook: 'recover-nova', params: {}, expect: 'succeeded' });
    expect(result.value.objectives).toMatchObject({ rtoMs: 300_000, rpoMs: 3_600_000 });
    expect(result.value.fault).toEqual([{ kind: 'lab', lab: { kind: 'drop-database', database: 'nova' } }]);
  });

  it('admits inventory templates in run commands and reports any other variable at the command', () => {
    const withRun = (run: string) => minimal.replace('  - lab: { kind: drop-database, database: nova }', `  - { name: corrupt, hosts: storage, run: ${JSON.stringify(run)} }`);
    expect(errorsOf(withRun('ls {{host.vars.backup_root}}/db/{{groups.controller.[0]}} {{hostvars.s1.backup_root}}'))).toEqual([]);
    expect(errorsOf(withRun('ls {{params.root}}'))).toEqual([expect.stringMatching(/demo\.yaml:9:43: error: unknown template variable 'params\.root': a drill command may use host, hostvars, groups/)]);
    expect(errorsOf(withRun('ls {{#if host.name}}'))).toEqual([expect.stringMatching(/demo\.yaml:9:43: error: template syntax: /)]);
  });

  it('reads a command marker and checks its templates like a run command', () => {
    const good = `${minimal}writes:\n  - id: token\n    command: { hosts: controller, write: 'issue > /root/t-$RUNBOOK_MARKER', probe: 'check /root/t-$RUNBOOK_MARKER' }\n`;
    const result = parseDrill('/x/drills/demo.yaml', good);
    expect(result.ok && result.value.writes).toEqual([{ id: 'token', kind: 'command', command: { hosts: 'controller', write: 'issue > /root/t-$RUNBOOK_MARKER', probe: 'check /root/t-$RUNBOOK_MARKER' } }]);
    const unknownVariable = `${minimal}writes:\n  - id: token\n    command: { hosts: controller, write: issue, probe: 'check {{params.x}}' }\n`;
    expect(errorsOf(unknownVariable)).toEqual([expect.stringMatching(/demo\.yaml:\d+:\d+: error: unknown template variable 'params\.x'/)]);
    const noProbe = `${minimal}writes:\n  - id: token\n    command: { hosts: controller, write: issue }\n`;
    expect(errorsOf(noProbe).join('\n')).toMatch(/probe/);
  });

  it('reports an unknown key at its line and column, with a suggestion', () => {
    expect(errorsOf(minimal.replace('objectives:', 'objectivs:'))).toContainEqual(expect.stringMatching(/demo\.yaml:14:1: error: unknown key 'objectivs'.*did you mean 'objectives'/));
  });

  it('wants the name to equal the file name, durations and unique marker ids', () => {
    const text = minimal.replace('name: demo', 'name: other').replace('rto: 5m', 'rto: soon')
      + 'writes:\n  - { id: m, file: { hosts: controller, dir: /etc/nova } }\n  - { id: m, file: { hosts: controller, dir: /etc/nova } }\n';
    const errors = errorsOf(text);
    expect(errors).toContainEqual(expect.stringMatching(/:3:7: error: name 'other' must equal the file's base name 'demo'/));
    expect(errors).toContainEqual(expect.stringMatching(/:14:20: error: rto 'soon' is not a duration/));
    expect(errors).toContainEqual(expect.stringMatching(/:17:11: error: marker id 'm' is used twice/));
  });

  it('checks each lab fault kind has its arguments and no others', () => {
    const errors = errorsOf(minimal.replace('{ kind: drop-database, database: nova }', '{ kind: delete-path, host: ctl1, database: nova }'));
    expect(errors).toContainEqual(expect.stringMatching(/lab fault delete-path needs 'path'/));
    expect(errors).toContainEqual(expect.stringMatching(/lab fault delete-path takes no 'database'/));
  });

  it('wants exactly one of lab, runbook and run in a fault', () => {
    expect(errorsOf(minimal.replace('  - lab: { kind: drop-database, database: nova }', '  - { runbook: x, run: "true", hosts: all }'))).not.toEqual([]);
  });
});
