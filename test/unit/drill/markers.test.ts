import { describe, expect, it } from 'vitest';
import { isAuthored, markerFile, presentFrom, probeCommand, removeCommand, writeCommand } from '../../../src/drill/markers.js';
import type { MarkerWrite } from '../../../src/drill/types.js';

const sql: MarkerWrite = { id: 'row', kind: 'sql', sql: { hosts: 'controller', database: 'nova', table: 'instances', column: 'uuid', values: { display_name: "o'brien", deleted: 0, gone: null } } };
const file: MarkerWrite = { id: 'file', kind: 'file', file: { hosts: 'controller', dir: '/etc/nova/', owner: '0:64060', mode: '0640' } };

describe('marker commands', () => {
  it('inserts a row with the marker and the other values, SQL- and shell-quoted', () => {
    expect(writeCommand(sql, 'u-1')).toBe(`mysql -N -B nova -e 'INSERT INTO \`instances\` (\`uuid\`, \`display_name\`, \`deleted\`, \`gone\`) VALUES ('\\''u-1'\\'', '\\''o'\\'''\\''brien'\\'', 0, NULL)'`);
  });

  it('probes a row as a count, a dropped database counting as gone', () => {
    expect(probeCommand(sql, 'u-1')).toContain("SELECT COUNT(*) FROM `instances` WHERE `uuid` = ");
    expect(probeCommand(sql, 'u-1')).toMatch(/2>\/dev\/null \|\| echo 0$/);
    expect(removeCommand(sql, 'u-1')).toContain('DELETE FROM `instances`');
  });

  it('writes a file with owner and mode, probes and removes it', () => {
    expect(markerFile(file.kind === 'file' ? file.file : ({} as never), 'u-2')).toBe('/etc/nova/runbook-drill-u-2');
    expect(writeCommand(file, 'u-2')).toBe("printf '%s\\n' u-2 > /etc/nova/runbook-drill-u-2 && chown 0:64060 /etc/nova/runbook-drill-u-2 && chmod 0640 /etc/nova/runbook-drill-u-2");
    expect(probeCommand(file, 'u-2')).toBe('if test -f /etc/nova/runbook-drill-u-2; then echo 1; else echo 0; fi');
    expect(removeCommand(file, 'u-2')).toBe('rm -f -- /etc/nova/runbook-drill-u-2');
  });

  it('hands the marker to the author\'s commands in $RUNBOOK_MARKER, a failed probe counting as absent', () => {
    const command: MarkerWrite = { id: 'token', kind: 'command', command: { hosts: 'controller', write: 'issue > /root/t-$RUNBOOK_MARKER', probe: 'check' } };
    expect(writeCommand(command, 'u-3')).toBe('RUNBOOK_MARKER=u-3; export RUNBOOK_MARKER;\nissue > /root/t-$RUNBOOK_MARKER');
    expect(probeCommand(command, 'u-3')).toBe('RUNBOOK_MARKER=u-3; export RUNBOOK_MARKER;\nif ( check\n) >/dev/null 2>&1; then echo 1; else echo 0; fi');
    expect(removeCommand(command, 'u-3')).toBe('RUNBOOK_MARKER=u-3; export RUNBOOK_MARKER;\ntrue');
    expect(isAuthored(command)).toBe(true);
    expect(isAuthored(sql)).toBe(false);
  });

  it('reads presence from the last line of the probe', () => {
    expect([presentFrom('1\n'), presentFrom('0\n'), presentFrom(''), presentFrom('noise\n2')]).toEqual([true, false, false, true]);
  });
});
