// The benchmark's own lab, in bench/.work/lab: never the default .lab/ that others use.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, WORK } from './paths.mjs';

export const LAB_DIR = join(WORK, 'lab');

/**
 * Brings the bench lab up with at least `computes` compute hosts (the lab's API, compiled in
 * dist/). A bench lab of another shape is seeded afresh; a larger one left by an earlier run
 * (--keep-lab) is kept as it is, since hosts beyond N sit idle.
 */
export async function benchLab(computes) {
  process.env.LAB_DIR = LAB_DIR;
  const { labUp } = await import(join(ROOT, 'dist', 'lab', 'api.js'));
  const previous = previousComputes();
  return labUp({ dir: LAB_DIR, computes: Math.max(computes, previous) });
}

function previousComputes() {
  try {
    return Number(JSON.parse(readFileSync(join(LAB_DIR, 'lab.json'), 'utf8')).config.computes) || 0;
  } catch {
    return 0;
  }
}

export async function benchLabDown(dir = LAB_DIR) {
  const { labDown } = await import(join(ROOT, 'dist', 'lab', 'api.js'));
  await labDown(dir);
}

/** OpenSSH client options for a lab host: its key, its known_hosts, nothing from ~/.ssh. */
export function sshOptions(lab, extra = []) {
  return ['-F', '/dev/null', '-i', lab.privateKey, '-o', `UserKnownHostsFile=${lab.knownHosts}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', ...extra];
}

/** Runs one command on each host in parallel over plain ssh (setup and cleanup, not timed). */
export async function onHosts(lab, hosts, command) {
  const results = await Promise.all(hosts.map((h) => lab.ssh(h.name, command)));
  const bad = results.findIndex((r) => r.code !== 0);
  if (bad >= 0) throw new Error(`${hosts[bad].name}: ${command}: exit ${results[bad].code}: ${results[bad].stderr}`);
  return results;
}

/** Closes ControlPersist masters of the given control sockets (they outlive the contender). */
export async function closeMasters(sockets) {
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise((resolve) => {
          const c = spawn('ssh', ['-F', '/dev/null', '-o', `ControlPath=${socket}`, '-O', 'exit', 'bench'], { stdio: 'ignore' });
          c.on('close', resolve);
          c.on('error', resolve);
        }),
    ),
  );
}

/** The database benchmark's lab: a folder of its own (its shape differs: the seeded size). */
export const DB_LAB_DIR = join(WORK, 'lab-db');

/** Brings up (or keeps, when its shape is the same) the db lab seeded at `dbSize` ("1G", "256M"). */
export async function benchDbLab(dbSize) {
  const { labUp } = await import(join(ROOT, 'dist', 'lab', 'api.js'));
  return labUp({ dir: DB_LAB_DIR, computes: 2, dbSize });
}
