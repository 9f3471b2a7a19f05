import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** One usable line of a known_hosts file. */
export interface KnownHostEntry {
  /** `@revoked` keys are refused; `@cert-authority` lines are kept but never match a plain key. */
  marker?: 'revoked' | 'cert-authority';
  /** The host field as written: comma-separated patterns, or one `|1|salt|hash`. */
  hosts: string;
  keyType: string;
  /** The key blob, decoded from base64. */
  key: Buffer;
  /** 1-based line number, for messages. */
  line: number;
}

/** What known_hosts says about a presented key. */
export type HostKeyVerdict =
  | { status: 'known' }
  /** Nothing known for this host, or only keys of other types (see `otherTypes`). */
  | { status: 'unknown'; otherTypes: string[] }
  /** A key of the same type is recorded for this host and it differs: refused always. */
  | { status: 'changed'; line: number }
  /** The key is marked @revoked. */
  | { status: 'revoked'; line: number };

/** Parses known_hosts text; comments, blank and malformed lines are skipped like ssh does. */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === undefined || fields[0] === '' || fields[0].startsWith('#')) return;
    let marker: KnownHostEntry['marker'];
    if (fields[0].startsWith('@')) {
      const name = fields.shift();
      if (name !== '@revoked' && name !== '@cert-authority') return;
      marker = name === '@revoked' ? 'revoked' : 'cert-authority';
    }
    const [hosts, keyType, base64] = fields;
    if (!hosts || !keyType || !base64) return;
    const key = Buffer.from(base64, 'base64');
    if (key.length === 0) return;
    entries.push({ ...(marker ? { marker } : {}), hosts, keyType, key, line: index + 1 });
  });
  return entries;
}

/** The name ssh looks up: `addr` on port 22, `[addr]:port` otherwise. */
export function knownHostsName(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

/** Does a known_hosts host field name `name`? Handles hashes, lists, `*`/`?` globs and `!negation`. */
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|1|')) return hashedMatches(field, name);
  let matched = false;
  for (const pattern of field.split(',')) {
    const negated = pattern.startsWith('!');
    const glob = negated ? pattern.slice(1) : pattern;
    if (!globMatches(glob, name)) continue;
    if (negated) return false; // a matching negation vetoes the whole line, as in ssh
    matched = true;
  }
  return matched;
}

function globMatches(glob: string, name: string): boolean {
  const source = glob.toLowerCase().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(name.toLowerCase());
}

/** `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`, as written with HashKnownHosts yes. */
function hashedMatches(field: string, name: string): boolean {
  const [, , salt, hash] = field.split('|');
  if (!salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Hashes a host name the way `ssh-keygen -H` does, with a fresh random salt. */
export function hashHostName(name: string, salt: Buffer = randomBytes(20)): string {
  const hash = createHmac('sha1', salt).update(name).digest();
  return `|1|${salt.toString('base64')}|${hash.toString('base64')}`;
}

/** Checks a presented key against the entries for `name` (a {@link knownHostsName}). */
export function verifyHostKey(entries: readonly KnownHostEntry[], name: string, keyType: string, key: Buffer): HostKeyVerdict {
  const forHost = entries.filter((e) => hostFieldMatches(e.hosts, name));
  const revoked = entries.find((e) => e.marker === 'revoked' && e.key.equals(key));
  // A revoked key is refused whatever host its line names: revocation is about the key.
  if (revoked) return { status: 'revoked', line: revoked.line };
  const plain = forHost.filter((e) => e.marker === undefined);
  if (plain.some((e) => e.keyType === keyType && e.key.equals(key))) return { status: 'known' };
  const changed = plain.find((e) => e.keyType === keyType);
  if (changed) return { status: 'changed', line: changed.line };
  return { status: 'unknown', otherTypes: [...new Set(plain.map((e) => e.keyType))] };
}

/** Key types recorded for `name`, so the client can prefer them in the key exchange like ssh does. */
export function knownKeyTypes(entries: readonly KnownHostEntry[], name: string): string[] {
  return [...new Set(entries.filter((e) => e.marker === undefined && hostFieldMatches(e.hosts, name)).map((e) => e.keyType))];
}

/** The type name inside an SSH public key blob (its first length-prefixed string). */
export function keyTypeOf(key: Buffer): string {
  if (key.length < 4) return 'unknown';
  const length = key.readUInt32BE(0);
  return key.subarray(4, 4 + length).toString('latin1');
}

/** `SHA256:<base64 without padding>`, exactly as `ssh` and `ssh-keygen -l` print it. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** A known_hosts line for a newly accepted key; hashed when the file already uses hashes. */
export function knownHostsLine(name: string, key: Buffer, hashed: boolean): string {
  return `${hashed ? hashHostName(name) : name} ${keyTypeOf(key)} ${key.toString('base64')}\n`;
}
