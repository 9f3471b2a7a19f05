import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The role of a lab host; also its inventory group. */
export type Role = 'controller' | 'compute' | 'storage';

/** A host's role: one of the cloud's, or the off-site Swift of `lab up --offsite` (lab/swift). */
export type HostRole = Role | 'offsite';

/** One lab host: where it listens and where its files live. */
export interface LabHost {
  name: string;
  role: HostRole;
  /** Its own loopback address, 127.<net>.<role octet>.<index>. */
  address: string;
  port: number;
  /** Root of the host's own state: fs/ (bind-mounted), ssh/, state/, sbin/. */
  dir: string;
}

/**
 * What runs on the hosts: `simulated` services (shell loops that check their config and
 * tables; seconds to bring up) or the real `openstack` services from Debian's packages.
 */
export type LabKind = 'simulated' | 'openstack';

/** Everything that fixes the shape of one lab; saved as <dir>/lab.json. */
export interface LabConfig {
  /** Absent in labs saved before the real-OpenStack lab existed: simulated. */
  kind?: LabKind;
  /** The lab state folder (LAB_DIR or <repo>/.lab). */
  dir: string;
  computes: number;
  /** Target size of the seeded databases in bytes. */
  dbSize: number;
  /** Second octet of every host address. */
  net: number;
  port: number;
  /** Where the Ansible inventory is written. */
  inventory: string;
  /** The off-site Swift host `site2` (lab/swift); absent: no such host. */
  offsite?: boolean;
  /** Three controllers ctl1..ctl3 running one Galera cluster (lab/galera); absent: one controller. */
  galera?: boolean;
}

export const DEFAULT_COMPUTES = 2;
export const MAX_COMPUTES = 250;
export const DEFAULT_DB_SIZE = 4 * 1024 * 1024;
export const MAX_DB_SIZE = 1024 * 1024 * 1024;
/** The address octet of the default lab (LAB_DIR unset): 127.77.x.y. */
export const DEFAULT_NET = 77;
export const DEFAULT_PORT = 2222;
/** MariaDB listens on ctl1's address on this port, for cinder-volume on stor1. */
export const MYSQL_PORT = 3306;

/** Controllers of a Galera lab (lab/galera: its members). */
export const GALERA_CONTROLLERS = 3;

/** Third octet of each role's addresses. */
const ROLE_OCTET: Record<HostRole, number> = { controller: 1, compute: 2, storage: 3, offsite: 4 };

/** The repository root (this file is lab/config.ts or dist/lab/config.js). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('lab: cannot find the repository root (package.json)');
    dir = parent;
  }
  return dir;
}

/** Folder holding the shell scripts that run on the hosts (lab/host in the source tree). */
export function hostScriptsDir(): string {
  return join(repoRoot(), 'lab', 'host');
}

export function defaultLabDir(): string {
  return join(repoRoot(), '.lab');
}

/** LAB_DIR, or <repo>/.lab. */
export function labDirFromEnv(): string {
  const env = process.env['LAB_DIR'];
  return env ? resolve(env) : defaultLabDir();
}

/** The shipped inventory/lab.yaml for the default lab, <dir>/inventory/lab.yaml otherwise. */
export function defaultInventoryPath(dir: string): string {
  return resolve(dir) === defaultLabDir()
    ? join(repoRoot(), 'inventory', 'lab.yaml')
    : join(dir, 'inventory', 'lab.yaml');
}

/**
 * First address octet to try for a lab folder: 77 for the default lab, otherwise one derived
 * from the folder's path so that labs in different temp folders rarely collide (lab up then
 * moves on to the next free one).
 */
export function preferredNet(dir: string): number {
  const env = process.env['LAB_NET'];
  if (env) return Number(env);
  if (resolve(dir) === defaultLabDir()) return DEFAULT_NET;
  const h = createHash('sha256').update(resolve(dir)).digest();
  return 100 + ((h[0] ?? 0) * 256 + (h[1] ?? 0)) % 150;
}

/** The hosts of a lab, in inventory order. */
export function labHosts(config: LabConfig): LabHost[] {
  const host = (name: string, role: HostRole, index: number): LabHost => ({
    name,
    role,
    address: `127.${config.net}.${ROLE_OCTET[role]}.${index}`,
    port: config.port,
    dir: join(config.dir, 'hosts', name),
  });
  const controllers = config.galera === true ? GALERA_CONTROLLERS : 1;
  const hosts: LabHost[] = [];
  for (let i = 1; i <= controllers; i++) hosts.push(host(`ctl${i}`, 'controller', i));
  for (let i = 1; i <= config.computes; i++) hosts.push(host(`cmp${i}`, 'compute', i));
  hosts.push(host('stor1', 'storage', 1));
  if (config.offsite) hosts.push(host('site2', 'offsite', 1));
  return hosts;
}

export function controllerOf(config: LabConfig): LabHost {
  const ctl = labHosts(config)[0];
  if (!ctl) throw new Error('lab: no controller');
  return ctl;
}

/** Parses 4M, 512k, 1G, 1048576 into bytes. */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)i?b?$/i.exec(text.trim());
  if (!m) throw new Error(`lab: not a size: ${text} (e.g. 4M, 200M, 1G)`);
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m[2] ?? '').toLowerCase()] ?? 1;
  return Math.round(Number(m[1]) * unit);
}

/** The kind of a lab (simulated when its saved config predates kinds). */
export const kindOf = (config: Pick<LabConfig, 'kind'>): LabKind => config.kind ?? 'simulated';
