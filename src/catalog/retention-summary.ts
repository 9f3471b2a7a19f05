import type { CatalogProblem } from './read.js';
import type { RetentionDecision } from './retention.js';

/** `db/ctl1/20261120-120000-ab12`: a backup as the catalog's folders name it. */
export const backupName = (d: RetentionDecision): string => `${d.entry.kind}/${d.entry.host}/${d.entry.id}`;

/**
 * What a plan shows for a retention step: the backups it would delete, then the ones it keeps,
 * each with its reason, and the folders it leaves alone because their manifest is unreadable.
 */
export function retentionSummary(decisions: readonly RetentionDecision[], problems: readonly CatalogProblem[], root: string): string {
  const deleted = decisions.filter((d) => !d.keep);
  const kept = decisions.filter((d) => d.keep);
  const width = Math.max(0, ...decisions.map((d) => backupName(d).length));
  const line = (d: RetentionDecision): string => `${backupName(d).padEnd(width)}  ${d.reason}`;
  const relative = (dir: string): string => (dir.startsWith(`${root.replace(/\/+$/, '')}/`) ? dir.slice(root.replace(/\/+$/, '').length + 1) : dir);
  return [
    `would delete ${deleted.length} of ${decisions.length} backups in ${root}:`,
    ...deleted.map(line),
    ...kept.map(line),
    ...problems.map((p) => `${relative(p.dir).padEnd(width)}  left alone: unreadable manifest (${p.problem})`),
  ].join('\n');
}
