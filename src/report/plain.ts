import type { RunEvent } from '../engine/events.js';
import { endLines, taskLines } from './lines.js';
import type { Style } from './style.js';

/**
 * Plain lines, one per event worth reading, for pipes and CI logs (Ansible's default callback
 * is the model). Returns the consumer; `write` is where lines go.
 */
export function plainRenderer(write: (...lines: string[]) => void, style: Style): (event: RunEvent) => void {
  const manual: string[] = [];
  return (event) => {
    switch (event.type) {
      case 'run-started':
        write(style.bold(`${event.check ? 'CHECK' : 'RUN'} ${event.runbook.name} ${event.runbook.version} on ${event.inventory.file} (run ${event.runId}, ${event.hosts.length} hosts)`));
        return;
      case 'hosts-unreachable':
        for (const h of event.hosts) write(style.failed(`unreachable: [${h.host}] ${h.stage}: ${h.message}`));
        return;
      case 'step-started':
        write('');
        write(style.bold(`STEP [${event.step}] ${event.name}`));
        return;
      case 'step-skipped':
        write(style.skipped(`STEP [${event.step}] skipped: ${event.reason}`));
        return;
      case 'task-finished':
        write(...taskLines(event.result, style));
        return;
      case 'rollback-started':
        write('', style.changed(`ROLLBACK (${event.reason}): undoing ${event.changes} change(s)`));
        return;
      case 'rollback-task': {
        const item = event.itemIndex === undefined ? '' : ` (item ${event.itemIndex})`;
        const paint = { 'rolled-back': style.changed, irreversible: style.skipped, failed: style.failed, manual: style.failed }[event.outcome];
        write(paint(`${event.outcome}: [${event.host}] ${event.step}${item}${event.message ? ` ${event.message}` : ''}`));
        return;
      }
      case 'rollback-finished':
        for (const m of event.manual) manual.push(`${m.host}: step '${m.step}'${m.itemIndex === undefined ? '' : ` item ${m.itemIndex}`}: ${m.reason}`);
        return;
      case 'notice':
        write((event.level === 'warning' ? style.changed : style.dim)(`${event.level}: ${event.host ? `[${event.host}] ` : ''}${event.message}`));
        return;
      case 'run-finished':
        write(...endLines(event, manual, style));
        return;
      case 'task-started':
      case 'registered':
      case 'step-finished':
        return;
      default: {
        const unreachable: never = event;
        throw new Error(`unhandled event ${JSON.stringify(unreachable)}`);
      }
    }
  };
}
