import { spawn } from 'node:child_process';
import { createHash, type Hash } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { LabHost } from '../config.js';
import { hostShell, requireHolder, ROOT_PATH } from '../namespace.js';

/** One table: its row count and a digest of its definition and rows in primary-key order. */
export interface TableDigest {
  rows: number;
  sha256: string;
}

export interface DatabaseDigest {
  sha256: string;
  tables: Record<string, TableDigest>;
}

/** Every database of ctl1's MariaDB, or why they could not be read. */
export type DatabasesDigest =
  | { ok: true; databases: Record<string, DatabaseDigest>; accounts: string }
  | { ok: false; error: string };

const SYSTEM = new Set(['mysql', 'information_schema', 'performance_schema', 'sys']);
const MYSQL = "mysql --no-defaults -S /run/mysqld/mysqld.sock -u root -N -B";

/**
 * Tables the real services rewrite while they run (heartbeats every 10 s, the compute nodes'
 * resource reports every minute; nova-compute syncs its instances' power state when it starts
 * and every 10 minutes): their digest is their row count only, so that a fingerprint taken
 * later, or after a good restore, is equal. Measured: in 75 s of an idle lab only nova.services
 * and cinder.services changed; nova.instances changed once in a drill that restarted
 * nova-compute (CI). db -> tables.
 */
export const OPENSTACK_VOLATILE: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['nova', new Set(['services', 'compute_nodes', 'instances'])],
  ['nova_cell0', new Set(['services'])],
  ['cinder', new Set(['services'])],
]);

/** Digest of every non-system database, table by table (mysqldump in primary-key order). */
export async function digestDatabases(ctl: LabHost, volatile: ReadonlyMap<string, ReadonlySet<string>> = new Map()): Promise<DatabasesDigest> {
  const list = await hostShell(ctl, `${MYSQL} -e 'SHOW DATABASES'`);
  if (list.code !== 0) return { ok: false, error: `mariadb not reachable: ${list.stderr.trim().split('\n')[0] ?? ''}` };
  const names = list.stdout.split('\n').filter((n) => n && !SYSTEM.has(n)).sort();
  const databases: Record<string, DatabaseDigest> = {};
  for (const name of names) databases[name] = await digestDatabase(ctl, name, volatile.get(name) ?? new Set());
  const accounts = await hostShell(ctl, `${MYSQL} -e "SELECT CONCAT(User,'@',Host) FROM mysql.user ORDER BY 1" | while read -r a; do echo "$a"; ${MYSQL} -e "SHOW GRANTS FOR '\${a%@*}'@'\${a#*@}'" 2>&1 | sort; done`);
  return { ok: true, databases, accounts: createHash('sha256').update(accounts.stdout).digest('hex') };
}

function digestDatabase(ctl: LabHost, name: string, volatile: ReadonlySet<string>): Promise<DatabaseDigest> {
  const holder = requireHolder(ctl);
  const args = ['-t', String(holder), '-m', '-u', '--', 'env', '-i', `PATH=${ROOT_PATH}`, 'mysqldump', '--no-defaults',
    '-S', '/run/mysqld/mysqld.sock', '-u', 'root', '--skip-dump-date', '--skip-comments', '--compact',
    '--order-by-primary', '--skip-extended-insert', '--single-transaction', '--hex-blob', '--skip-triggers', name];
  return new Promise((resolvePromise, reject) => {
    const child = spawn('nsenter', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const tables: Record<string, { rows: number; hash: Hash }> = {};
    let current: { rows: number; hash: Hash } | undefined;
    let inCreate = false;
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
    lines.on('line', (line) => {
      const create = /^CREATE TABLE `([^`]+)`/.exec(line);
      if (create?.[1]) {
        current = { rows: 0, hash: createHash('sha256') };
        tables[create[1]] = current;
        inCreate = true;
      }
      if (inCreate && current) {
        // The next id to hand out is not content; it differs after a dump/restore of a table with deleted rows.
        current.hash.update(`${line.replace(/ AUTO_INCREMENT=\d+/, '')}\n`);
        if (line.endsWith(';')) inCreate = false;
        return;
      }
      const insert = /^INSERT INTO `([^`]+)` VALUES /.exec(line);
      const table = insert?.[1] ? tables[insert[1]] : undefined;
      if (table) {
        table.rows++;
        if (!volatile.has(insert?.[1] ?? '')) table.hash.update(`${line}\n`);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`lab: mysqldump ${name} failed (exit ${code}): ${stderr.trim().slice(-500)}`));
      const out: Record<string, TableDigest> = {};
      const all = createHash('sha256');
      for (const t of Object.keys(tables).sort()) {
        const d = tables[t]!;
        out[t] = { rows: d.rows, sha256: d.hash.digest('hex') };
        all.update(`${t} ${out[t]!.rows} ${out[t]!.sha256}\n`);
      }
      resolvePromise({ sha256: all.digest('hex'), tables: out });
    });
  });
}
