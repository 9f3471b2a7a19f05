import { posix } from 'node:path';
import { shellQuote } from '../command/quote.js';

/** One backup that retention removes: its folder and where it waits until the run ends. */
export interface Deletion {
  /** `<root>/<kind>/<host>/<id>`. */
  dir: string;
  /** `<root>/.trash/<run id>/<kind>/<host>/<id>`. */
  trashed: string;
  reason: string;
}

/**
 * This run's trash: hidden (the catalog's `*` globs skip it) and under the root, so that moving a
 * backup there is a rename on the same filesystem, however large the backup.
 */
export function trashDir(root: string, runId: string): string {
  return posix.join(root.replace(/\/+$/, '') || '/', '.trash', runId);
}

/** Moves each folder into the trash, stopping at the first failure (rollback moves back what went). */
export function moveToTrashCommand(deletions: readonly Deletion[]): string {
  return deletions.map((d) => `mkdir -p -- ${shellQuote(posix.dirname(d.trashed))} && mv -T -- ${shellQuote(d.dir)} ${shellQuote(d.trashed)}`).join(' && ') || 'true';
}

/**
 * Moves back whatever is in the trash, all it can. A folder that exists again at the old place
 * is not overwritten: the backup stays in the trash and the rollback fails for a person to look.
 */
export function restoreFromTrashCommand(deletions: readonly Deletion[], trash: string): string {
  const each = deletions.map((d) => {
    const [t, dir] = [shellQuote(d.trashed), shellQuote(d.dir)];
    return `if [ -e ${t} ]; then if [ -e ${dir} ]; then echo ${shellQuote(`${d.dir} exists again; the backup stays in ${d.trashed}`)} >&2; rc=1; ` +
      `else mkdir -p -- ${shellQuote(posix.dirname(d.dir))} && mv -T -- ${t} ${dir} || rc=1; fi; fi`;
  });
  return ['rc=0', ...each, pruneCommand(trash), 'exit $rc'].join('; ');
}

/** Removes this step's trashed backups for good, then the trash folders left empty. */
export function purgeTrashCommand(deletions: readonly Deletion[], trash: string): string {
  const paths = deletions.map((d) => shellQuote(d.trashed)).join(' ');
  return `${paths ? `rm -rf -- ${paths} && ` : ''}${pruneCommand(trash)}`;
}

/** Empty folders only (another step's trash of the same run keeps its own). */
function pruneCommand(trash: string): string {
  const t = shellQuote(trash);
  return `{ [ ! -d ${t} ] || find ${t} -depth -type d -empty -delete; rmdir -- ${shellQuote(posix.dirname(trash))} 2>/dev/null; true; }`;
}
