import type { HostRecap, Recap, TaskResult } from './results.js';

export function newRecap(hosts: readonly string[]): Recap {
  return Object.fromEntries(hosts.map((h) => [h, emptyHostRecap()]));
}

function emptyHostRecap(): HostRecap {
  return { ok: 0, changed: 0, failed: 0, skipped: 0, ignored: 0, rolledBack: 0, rollbackFailed: 0, wouldChange: 0, unknown: 0 };
}

/** Counts a task result into its host's line of the recap. */
export function tally(recap: Recap, result: TaskResult): void {
  const line = (recap[result.host] ??= emptyHostRecap());
  switch (result.status) {
    case 'ok':
      line.ok++;
      break;
    case 'changed':
      line.changed++;
      break;
    case 'failed':
      if (result.ignored) line.ignored++;
      else line.failed++;
      break;
    case 'skipped':
      line.skipped++;
      break;
    case 'would-change':
      line.wouldChange++;
      break;
    case 'unknown':
      line.unknown++;
      break;
    default: {
      const unreachable: never = result.status;
      throw new Error(`unknown status ${String(unreachable)}`);
    }
  }
}
