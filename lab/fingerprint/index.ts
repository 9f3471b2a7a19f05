import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type LabHost, type LabKind, kindOf } from '../config.js';
import { mapLimit } from '../exec.js';
import type { Lab } from '../lab.js';
import { accountPath, holderPid, hostPath } from '../namespace.js';
import { type DatabasesDigest, OPENSTACK_VOLATILE, digestDatabases } from './database.js';
import { OPENSTACK_PROTECTED_PATHS, type OwnerFormat, PROTECTED_PATHS, type TreeDigest, digestTree, namedOwners, numericOwners } from './files.js';

export { PROTECTED_PATHS, OPENSTACK_PROTECTED_PATHS, EXCLUDED_PATHS } from './files.js';

/** The state of one host that backups protect: its protected directories and (ctl1) databases. */
export interface HostFingerprint {
  host: string;
  /** Digest of everything below; equal digests mean equal state. */
  sha256: string;
  paths: Record<string, TreeDigest | { missing: true }>;
  /** Only on the controller. */
  databases?: DatabasesDigest;
}

export interface Fingerprint {
  sha256: string;
  hosts: Record<string, HostFingerprint>;
}

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The host's own account files name the owners (they are copies of the machine's). */
function hostOwners(host: LabHost): OwnerFormat {
  try {
    return namedOwners(readFileSync(accountPath(host, '/etc/passwd'), 'utf8'), readFileSync(accountPath(host, '/etc/group'), 'utf8'));
  } catch {
    return numericOwners;
  }
}

async function hostFingerprint(host: LabHost, kind: LabKind): Promise<HostFingerprint> {
  const paths: HostFingerprint['paths'] = {};
  const openstack = kind === 'openstack';
  // The real services' owners are the packages' users, whose ids differ between machines.
  const owners = openstack ? hostOwners(host) : numericOwners;
  for (const p of openstack ? OPENSTACK_PROTECTED_PATHS : PROTECTED_PATHS) paths[p] = await digestTree(hostPath(host, p), p, owners);
  let databases: DatabasesDigest | undefined;
  if (host.role === 'controller') {
    databases = holderPid(host) === undefined ? { ok: false, error: 'host is down' } : await digestDatabases(host, openstack ? OPENSTACK_VOLATILE : new Map());
  }
  const parts = Object.entries(paths).map(([p, d]) => `${p} ${'missing' in d ? 'missing' : d.sha256}`);
  if (databases) {
    if (databases.ok) {
      for (const [name, d] of Object.entries(databases.databases)) parts.push(`db ${name} ${d.sha256}`);
      parts.push(`accounts ${databases.accounts}`);
    } else {
      parts.push(`db error ${databases.error}`);
    }
  }
  return { host: host.name, sha256: sha(parts.join('\n')), paths, ...(databases ? { databases } : {}) };
}

/**
 * A stable digest per host of every database table and every protected directory (paths,
 * modes, owners, sizes, contents; /var/lib/nova/instances excluded). Equal before a disaster
 * and after a good recovery; different when anything protected differs.
 */
export async function fingerprint(lab: Lab, hostName?: string): Promise<Fingerprint> {
  const hosts = hostName ? lab.hosts.filter((h) => h.name === hostName) : lab.hosts;
  if (hosts.length === 0) throw new Error(`lab: no host ${hostName}`);
  const list = await mapLimit(hosts, 4, (h) => hostFingerprint(h, kindOf(lab.config)));
  const out: Record<string, HostFingerprint> = {};
  for (const h of list) out[h.host] = h;
  return { sha256: sha(list.map((h) => `${h.host} ${h.sha256}`).join('\n')), hosts: out };
}

/** What differs between two fingerprints, one line each ("ctl1 db nova.instances: rows 551 -> 0"). */
export function diffFingerprints(before: Fingerprint, after: Fingerprint): string[] {
  const out: string[] = [];
  const names = [...new Set([...Object.keys(before.hosts), ...Object.keys(after.hosts)])];
  for (const name of names) {
    const a = before.hosts[name];
    const b = after.hosts[name];
    if (!a || !b) {
      out.push(`${name}: ${a ? 'gone' : 'new'} host`);
      continue;
    }
    if (a.sha256 === b.sha256) continue;
    for (const p of Object.keys({ ...a.paths, ...b.paths })) out.push(...diffTree(name, p, a.paths[p], b.paths[p]));
    out.push(...diffDatabases(name, a.databases, b.databases));
  }
  return out;
}

function diffTree(host: string, path: string, a: HostFingerprint['paths'][string] | undefined, b: HostFingerprint['paths'][string] | undefined): string[] {
  const ea = a && !('missing' in a) ? a.entries : undefined;
  const eb = b && !('missing' in b) ? b.entries : undefined;
  if (!ea || !eb) return ea === eb ? [] : [`${host} ${path}: ${ea ? 'missing' : 'back'}`];
  const out: string[] = [];
  for (const k of new Set([...Object.keys(ea), ...Object.keys(eb)])) {
    if (ea[k] !== eb[k]) out.push(`${host} ${path}/${k === '.' ? '' : k}: ${ea[k] ?? 'absent'} -> ${eb[k] ?? 'absent'}`);
  }
  return out;
}

function diffDatabases(host: string, a: DatabasesDigest | undefined, b: DatabasesDigest | undefined): string[] {
  if (!a || !b) return [];
  if (!a.ok || !b.ok) return a.ok === b.ok && !a.ok && !b.ok ? [] : [`${host} databases: ${a.ok ? 'ok' : a.error} -> ${b.ok ? 'ok' : b.error}`];
  const out: string[] = [];
  for (const db of new Set([...Object.keys(a.databases), ...Object.keys(b.databases)])) {
    const da = a.databases[db];
    const dbb = b.databases[db];
    if (!da || !dbb) {
      out.push(`${host} db ${db}: ${da ? 'dropped' : 'created'}`);
      continue;
    }
    for (const t of new Set([...Object.keys(da.tables), ...Object.keys(dbb.tables)])) {
      const ta = da.tables[t];
      const tb = dbb.tables[t];
      if (ta?.sha256 !== tb?.sha256) out.push(`${host} db ${db}.${t}: rows ${ta?.rows ?? 'absent'} -> ${tb?.rows ?? 'absent'}${ta && tb && ta.rows === tb.rows ? ' (content differs)' : ''}`);
    }
  }
  if (a.accounts !== b.accounts) out.push(`${host} db accounts or grants differ`);
  return out;
}
