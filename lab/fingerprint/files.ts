import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';

/** The directories whose state a backup must protect (and a restore bring back). */
export const PROTECTED_PATHS = [
  '/etc/nova', '/var/lib/nova', '/etc/glance', '/var/lib/glance', '/etc/keystone',
  '/var/lib/keystone', '/etc/cinder', '/var/lib/cinder', '/etc/swift',
] as const;

/** What the real-OpenStack lab protects besides: placement's config, RabbitMQ's config. */
export const OPENSTACK_PROTECTED_PATHS = [...PROTECTED_PATHS, '/etc/placement', '/etc/rabbitmq'] as const;

/** How an entry's owner is written: numbers (the simulated lab) or names (the real-OpenStack lab). */
export type OwnerFormat = (uid: number, gid: number) => string;

export const numericOwners: OwnerFormat = (uid, gid) => `${uid}:${gid}`;

/**
 * Owners as user:group names resolved through a host's own passwd and group: a restore to the
 * right names on a rebuilt controller (other ids) has the same fingerprint.
 */
export function namedOwners(passwd: string, group: string): OwnerFormat {
  const table = (text: string): Map<number, string> =>
    new Map(text.split('\n').map((l) => l.split(':')).filter((f) => f.length > 2).map((f) => [Number(f[2]), f[0] ?? '']));
  const users = table(passwd);
  const groups = table(group);
  return (uid, gid) => `${users.get(uid) ?? uid}:${groups.get(gid) ?? gid}`;
}

/** Left out of fingerprints, as backups leave them out: instance disks are not control plane. */
export const EXCLUDED_PATHS = ['/var/lib/nova/instances'] as const;

/** One directory tree: its digest and one line per entry (path type mode uid:gid size sha256). */
export interface TreeDigest {
  sha256: string;
  entries: Record<string, string>;
}

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Digest of the tree at `root` (a machine path) seen as `shown` on the host: every entry's
 * relative path, type, mode, owner, size and content (or link target). Times are left out.
 */
export async function digestTree(root: string, shown: string, owner: OwnerFormat = numericOwners): Promise<TreeDigest | { missing: true }> {
  const entries: Record<string, string> = {};
  const walk = async (rel: string): Promise<void> => {
    const abs = join(root, rel);
    const st = await lstat(abs);
    const head = `${(st.mode & 0o7777).toString(8).padStart(4, '0')} ${owner(st.uid, st.gid)}`;
    const name = rel === '' ? '.' : rel;
    if (st.isDirectory()) {
      entries[name] = `dir ${head}`;
      const children = (await readdir(abs)).sort();
      for (const child of children) {
        const childRel = rel === '' ? child : `${rel}/${child}`;
        if ((EXCLUDED_PATHS as readonly string[]).includes(`${shown}/${childRel}`)) continue;
        await walk(childRel);
      }
    } else if (st.isSymbolicLink()) {
      entries[name] = `link ${head} -> ${await readlink(abs)}`;
    } else if (st.isFile()) {
      entries[name] = `file ${head} ${st.size} ${await fileSha256(abs)}`;
    } else {
      entries[name] = `other ${head}`;
    }
  };
  try {
    await walk('');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && Object.keys(entries).length === 0) return { missing: true };
    throw err;
  }
  const hash = createHash('sha256');
  for (const [k, v] of Object.entries(entries)) hash.update(`${k}\t${v}\n`);
  return { sha256: hash.digest('hex'), entries };
}
