import { everyText } from './every.js';
import { onCalendar, randomizedDelay } from './calendar.js';
import type { ScheduledJob } from './job.js';

/** A unit file's name and text. */
export interface UnitFile {
  name: string;
  text: string;
}

/**
 * The `.service` and `.timer` that run a job on the control node (docs/schedules.md). The
 * service is a oneshot with the exact non-interactive command line; its secrets come from an
 * EnvironmentFile, never the unit. A stop (the timer's unit stopped, TimeoutStartSec passed, a
 * shutdown) sends SIGTERM to runbook alone, which kills its own commands and rolls back, and
 * systemd waits TimeoutStopSec for that before it kills.
 */
export function systemdUnits(job: ScheduledJob, user: string): UnitFile[] {
  const title = `runbook ${job.runbook} on ${job.inventoryFile}`;
  const service = [
    `# Written by \`runbook schedule\`: ${everyText(job.every)}. Secrets come from the EnvironmentFile`,
    '# (KEY=value lines; owned by the service user, mode 0600), never from this file.',
    '[Unit]',
    `Description=${specifiers(title)}`,
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Service]',
    'Type=oneshot',
    `User=${specifiers(user)}`,
    `WorkingDirectory=${specifiers(job.workingDirectory)}`,
    `EnvironmentFile=${job.secretVariables.length > 0 ? '' : '-'}${specifiers(job.environmentFile)}`,
    `ExecStart=${[job.node, job.script, ...job.args].map(execWord).join(' ')}`,
    '# runbook rolls back on SIGTERM and exits 130 (docs/faults.md): the signal goes to runbook',
    '# alone (mixed), which ends its own commands; systemd waits for the rollback, then kills.',
    'KillMode=mixed',
    'KillSignal=SIGTERM',
    `TimeoutStartSec=${job.runTimeoutSec}s`,
    `TimeoutStopSec=${job.stopTimeoutSec}s`,
  ];
  const timer = [
    '# Written by `runbook schedule`.',
    '[Unit]',
    `Description=${specifiers(`${title}: ${everyText(job.every)}`)}`,
    '',
    '[Timer]',
    `OnCalendar=${onCalendar(job.every)}`,
    // A run missed while the control node was off runs when it is back.
    'Persistent=true',
    `RandomizedDelaySec=${randomizedDelay(job.every)}`,
    '',
    '[Install]',
    'WantedBy=timers.target',
  ];
  return [
    { name: `${job.name}.service`, text: `${service.join('\n')}\n` },
    { name: `${job.name}.timer`, text: `${timer.join('\n')}\n` },
  ];
}

/** `%` starts a specifier in most unit settings: written `%%` it is a `%`. */
function specifiers(value: string): string {
  return value.replace(/%/g, '%%');
}

/** Words that ExecStart takes as they are; anything else is double-quoted. */
const PLAIN_WORD = /^[A-Za-z0-9_@+=:,./-]+$/;

/**
 * One word of ExecStart, quoted by systemd's rules (systemd.service(5), "Command lines"):
 * double quotes, `\` and `"` escaped inside them, `%` written `%%` (specifiers) and `$` written
 * `$$` (environment variables are substituted in ExecStart), a lone `;` as `\;`. Control characters never get here
 * (the caller refuses them).
 */
export function execWord(word: string): string {
  // A lone `;` separates commands in ExecStart; systemd.service(5) says to write it `\;`.
  if (word === ';') return '\\;';
  const escaped = specifiers(word).replace(/\$/g, '$$$$');
  if (PLAIN_WORD.test(word)) return escaped;
  return `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
