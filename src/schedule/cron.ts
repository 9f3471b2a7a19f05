import { shellJoin, shellQuote } from '../command/quote.js';
import { everyText } from './every.js';
import { cronFields } from './calendar.js';
import type { ScheduledJob } from './job.js';

/**
 * The crontab line (for `crontab -e` of the user who runs runbook) where there is no systemd:
 * the same command line, in the same folder, its secrets read from the environment file, its
 * output appended to a log. No flock: runbook takes its own lock, and a run that finds it taken
 * is refused (exit 2). `timeout` plays systemd's TimeoutStartSec and TimeoutStopSec: SIGTERM
 * after the run's time (runbook rolls back and exits 130, which --preserve-status keeps), SIGKILL
 * if the rollback has not finished after the stop time.
 */
export function cronLine(job: ScheduledJob): string {
  const env = shellQuote(job.environmentFile);
  const source = job.secretVariables.length > 0 ? `. ${env}` : `if [ -e ${env} ]; then . ${env}; fi`;
  const timeout = ['timeout', '--preserve-status', '--signal=TERM', `--kill-after=${job.stopTimeoutSec}s`, `${job.runTimeoutSec}s`];
  const command = [
    `cd ${shellQuote(job.workingDirectory)}`,
    `set -a`,
    source,
    `set +a`,
    `exec ${shellJoin([...timeout, job.node, job.script, ...job.args])} >> ${shellQuote(job.logFile)} 2>&1`,
  ].join(' && ');
  const comment = `# ${job.name}: runbook ${job.runbook} on ${job.inventoryFile}, ${everyText(job.every)}; secrets from ${job.environmentFile} (mode 0600)`;
  // cron turns an unescaped % into a newline (the rest becomes standard input): `\%` is a `%`.
  return `${comment}\n${cronFields(job.every)} ${command.replace(/%/g, '\\%')}\n`;
}
