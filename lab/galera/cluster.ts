import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabHost } from '../config.js';
import { holderPid, hostPath, hostShell, mustHostShell } from '../namespace.js';
import { type GrastateFile, parseGrastate } from '../../src/galera/position.js';

const MYSQL = 'mysql --no-defaults -S /run/mysqld/mysqld.sock -u root -N -B';

/** The account MariaDB runs as on the members: the rsync SST daemon it starts drops root to `nobody`, not to it. */
export const GALERA_DB_USER = 'mysql';

/** MariaDB's folders on a member belong to its account, as the package leaves them. */
export async function ownMemberDirs(member: LabHost): Promise<void> {
  await mustHostShell(member, `chown -R ${GALERA_DB_USER}:${GALERA_DB_USER} /var/lib/mysql /run/mysqld /var/log/mysql`);
}

/** What `lab status` says of one member. */
export interface MemberState {
  running: boolean;
  /** wsrep_local_state_comment: Synced, Donor/Desynced, Joining, ...; absent when not running. */
  state?: string;
  clusterSize?: number;
  /** wsrep_cluster_state_uuid, or grastate.dat's uuid when stopped. */
  uuid?: string;
  /** wsrep_last_committed, or grastate.dat's seqno when stopped (-1: it did not stop cleanly). */
  seqno?: number;
  /** grastate.dat's safe_to_bootstrap, when stopped. */
  safeToBootstrap?: boolean;
}

/** The member's grastate.dat as read from the lab's side, if there is one. */
export function grastateOf(member: LabHost): GrastateFile | undefined {
  const file = join(hostPath(member, '/var/lib/mysql'), 'grastate.dat');
  if (!existsSync(file)) return undefined;
  const parsed = parseGrastate(readFileSync(file, 'utf8'));
  return parsed.ok ? parsed.value : undefined;
}

/** The member's wsrep status (running) or its saved state (stopped). */
export async function memberState(member: LabHost): Promise<MemberState> {
  if (holderPid(member) === undefined) return { running: false };
  const r = await hostShell(member, `${MYSQL} -e "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_state_comment','wsrep_cluster_size','wsrep_cluster_state_uuid','wsrep_last_committed')"`, { timeoutMs: 10_000 });
  if (r.code !== 0) {
    const saved = grastateOf(member);
    return { running: false, ...(saved ? { uuid: saved.uuid, seqno: saved.seqno, safeToBootstrap: saved.safeToBootstrap } : {}) };
  }
  const status = new Map(r.stdout.trim().split('\n').map((line) => line.split('\t') as [string, string]));
  const number = (name: string): number | undefined => (status.has(name) ? Number(status.get(name)) : undefined);
  return {
    running: true,
    ...(status.has('wsrep_local_state_comment') ? { state: status.get('wsrep_local_state_comment') } : {}),
    ...(number('wsrep_cluster_size') === undefined ? {} : { clusterSize: number('wsrep_cluster_size') }),
    ...(status.has('wsrep_cluster_state_uuid') ? { uuid: status.get('wsrep_cluster_state_uuid') } : {}),
    ...(number('wsrep_last_committed') === undefined ? {} : { seqno: number('wsrep_last_committed') }),
  };
}

/** One line for `lab status`: "Synced, cluster size 3, uuid ..., seqno 42". */
export function describeMember(s: MemberState): string {
  if (s.running) return `${s.state ?? '?'}, cluster size ${s.clusterSize ?? '?'}, state uuid ${s.uuid ?? '?'}, seqno ${s.seqno ?? '?'}`;
  if (s.uuid === undefined) return 'not running, no grastate.dat';
  return `not running, grastate uuid ${s.uuid}, seqno ${s.seqno}, safe_to_bootstrap ${s.safeToBootstrap ? 1 : 0}`;
}

/**
 * Starts the cluster: bootstraps `first` (galera_new_cluster; none: the cluster runs already),
 * then the others one after the other (each joins by IST or SST from a member already in).
 * `first` must be safe to bootstrap.
 */
export async function startCluster(first: LabHost | undefined, others: readonly LabHost[], log: (line: string) => void): Promise<void> {
  if (first) {
    await mustHostShell(first, 'galera_new_cluster', { timeoutMs: 120_000 });
    await waitSynced(first);
    log(`${first.name}: Galera cluster bootstrapped`);
  }
  for (const member of others) {
    await mustHostShell(member, 'systemctl start mariadb', { timeoutMs: 300_000 });
    await waitSynced(member);
    log(`${member.name}: joined the Galera cluster`);
  }
}

/** Waits until the member says Synced (a joiner takes its state transfer first). */
export async function waitSynced(member: LabHost, timeoutMs = 120_000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const s = await memberState(member);
    if (s.running && s.state === 'Synced') return;
    if (Date.now() - t0 > timeoutMs) throw new Error(`lab: ${member.name} is not Synced after ${timeoutMs / 1000} s (${describeMember(s)})`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Brings up a cluster whose data was kept (a reboot): `lab down` stopped the members in order,
 * ctl1 last, so ctl1 is safe to bootstrap. A cluster that did not stop cleanly (no member safe
 * to bootstrap) is left stopped: that is the recovery runbooks' work, not the lab's.
 */
export async function restartCluster(members: readonly LabHost[], log: (line: string) => void): Promise<void> {
  const safe = members.find((m) => grastateOf(m)?.safeToBootstrap === true);
  if (!safe) {
    log('galera: no member is safe to bootstrap (the cluster did not stop cleanly): MariaDB left stopped on every member; recover it with the recover-galera-crash runbook');
    return;
  }
  await startCluster(safe, members.filter((m) => m !== safe), log);
}

/** Stops the members one after the other, ctl1 last (the last to stop is safe to bootstrap). */
export async function stopCluster(members: readonly LabHost[]): Promise<void> {
  for (const member of [...members].reverse()) {
    if (holderPid(member) !== undefined) await hostShell(member, 'systemctl stop mariadb', { timeoutMs: 120_000 });
  }
}
