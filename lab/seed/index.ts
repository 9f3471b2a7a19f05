import { cinderDb } from './cinder.js';
import { glanceDb } from './glance.js';
import { keystoneDb } from './keystone.js';
import { novaDb } from './nova.js';
import { novaApiDb } from './nova_api.js';
import { type DatabaseSeed, type SeedScale, literal } from './types.js';

/** On-disk bytes (InnoDB data + index) per instance, measured: the instance rows dominate every database. */
const BYTES_PER_INSTANCE = 4800;
/** Size of each glance image file (a few of them, deterministic content). */
export const IMAGE_BYTES = 256 * 1024;

/** The databases of the lab, in the order they are created and fingerprinted. */
export const DATABASES = ['nova', 'nova_api', 'nova_cell0', 'glance', 'keystone', 'cinder'] as const;

/**
 * The lab's service accounts in MariaDB (they connect over TCP to ctl1:3306) and the
 * account for runbooks: `runbook` / `runbook-lab-pass`, every privilege.
 */
export const DB_USERS: ReadonlyArray<{ user: string; password: string; databases: string[] }> = [
  { user: 'nova', password: 'nova-lab-pass', databases: ['nova', 'nova_api', 'nova_cell0'] },
  { user: 'glance', password: 'glance-lab-pass', databases: ['glance'] },
  { user: 'keystone', password: 'keystone-lab-pass', databases: ['keystone'] },
  { user: 'cinder', password: 'cinder-lab-pass', databases: ['cinder'] },
];
export const RUNBOOK_DB_USER = { user: 'runbook', password: 'runbook-lab-pass' } as const;

export function seedScale(dbSize: number, computes: number): SeedScale {
  const instances = Math.max(10, Math.floor(dbSize / BYTES_PER_INSTANCE));
  const projects = Math.min(500, 10 + Math.floor(instances / 50));
  return {
    computes: Array.from({ length: computes }, (_, i) => `cmp${i + 1}`),
    instances,
    images: Math.min(200, 8 + Math.floor(instances / 1000)),
    volumes: Math.max(4, Math.floor(instances / 2)),
    projects,
    users: Math.max(12, projects * 2),
  };
}

function databases(): DatabaseSeed[] {
  const cell0: DatabaseSeed = { name: 'nova_cell0', tables: novaDb.tables.map((t) => ({ ...t, rows: () => [] })) };
  return [novaDb, novaApiDb, cell0, glanceDb(IMAGE_BYTES), keystoneDb, cinderDb];
}

/** The whole seed as SQL, in chunks of about 256 KB, for `mysql` on ctl1 (as root). */
export function* seedSql(scale: SeedScale): Iterable<string> {
  yield 'SET autocommit=0, unique_checks=0, foreign_key_checks=0;\n';
  yield "DELETE FROM mysql.global_priv WHERE User='';\n";
  for (const db of databases()) {
    yield `DROP DATABASE IF EXISTS ${db.name};\nCREATE DATABASE ${db.name} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;\nUSE ${db.name};\n`;
    for (const table of db.tables) {
      yield `CREATE TABLE \`${table.name}\` (${table.ddl.replace(/\s+/g, ' ')}) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n`;
      let batch: string[] = [];
      let size = 0;
      const flush = (): string => {
        const sql = `INSERT INTO \`${table.name}\` VALUES ${batch.join(',\n')};\n`;
        batch = [];
        size = 0;
        return sql;
      };
      for (const row of table.rows(scale)) {
        const text = `(${row.map(literal).join(',')})`;
        batch.push(text);
        size += text.length;
        if (size > 256 * 1024) yield flush();
      }
      if (batch.length > 0) yield flush();
    }
    yield 'COMMIT;\n';
  }
  for (const u of DB_USERS) {
    yield `CREATE OR REPLACE USER '${u.user}'@'%' IDENTIFIED BY '${u.password}';\n`;
    for (const db of u.databases) yield `GRANT ALL PRIVILEGES ON ${db}.* TO '${u.user}'@'%';\n`;
  }
  for (const host of ['%', 'localhost']) {
    yield `CREATE OR REPLACE USER '${RUNBOOK_DB_USER.user}'@'${host}' IDENTIFIED BY '${RUNBOOK_DB_USER.password}';\n`;
    yield `GRANT ALL PRIVILEGES ON *.* TO '${RUNBOOK_DB_USER.user}'@'${host}';\n`;
  }
  yield 'FLUSH PRIVILEGES;\nCOMMIT;\n';
}
