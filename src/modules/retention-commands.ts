import { posix } from 'node:path';
import { joinCommands, type ShellCommand, sh } from '../command/command.js';

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
export function moveToTrashCommand(deletions: readonly Deletion[]): ShellCommand {
  if (deletions.length === 0) return sh`true`;
  return joinCommands(deletions.map((d) => sh`mkdir -p -- ${posix.dirname(d.trashed)} && mv -T -- ${d.dir} ${d.trashed}`), '&&');
}

/**
 * Moves back whatever is in the trash, all it can. A folder that exists again at the old place
 * is not overwritten: the backup stays in the trash and the rollback fails for a person to look.
 */
export function restoreFromTrashCommand(deletions: readonly Deletion[], trash: string): ShellCommand {
  const each = deletions.map(({ trashed: t, dir }) => {
    const refuse = sh`echo ${`${dir} exists again; the backup stays in ${t}`} >&2; rc=1; `;
    return sh`if [ -e ${t} ]; then if [ -e ${dir} ]; then ${refuse}else mkdir -p -- ${posix.dirname(dir)} && mv -T -- ${t} ${dir} || rc=1; fi; fi`;
  });
  return joinCommands([sh`rc=0`, ...each, pruneCommand(trash), sh`exit $rc`], ';');
}

/** Removes this step's trashed backups for good, then the trash folders left empty. */
export function purgeTrashCommand(deletions: readonly Deletion[], trash: string): ShellCommand {
  const paths = deletions.map((d) => d.trashed);
  return paths.length ? sh`rm -rf -- ${paths} && ${pruneCommand(trash)}` : pruneCommand(trash);
}

/** Empty folders only (another step's trash of the same run keeps its own). */
function pruneCommand(trash: string): ShellCommand {
  return sh`{ [ ! -d ${trash} ] || find ${trash} -depth -type d -empty -delete; rmdir -- ${posix.dirname(trash)} 2>/dev/null; true; }`;
}
