import { parseArgs } from 'node:util';
import { type Fault, FAULT_KINDS, heal, inject } from './faults.js';
import { fingerprint } from './fingerprint/index.js';
import { openLab } from './lab.js';

const FAULT_USAGE = `usage: npm run lab -- fault|heal <kind> [--host H] [args]
  drop-database DB                      (alias drop-db) on ctl1
  drop-table DB TABLE | DB.TABLE        on ctl1
  delete-path --host H PATH             (alias delete) a mount point such as /etc/nova loses its contents
  corrupt-file --host H PATH            (alias corrupt) a directory: its first file
  kill-service --host H SERVICE         (alias kill) SIGKILL; heal starts it
  stop-sshd --host H                    heal starts it
  fill-backups --host H                 a full tmpfs over /var/backups; heal removes it
  wipe-datadir                          ctl1's MariaDB datadir lost, re-initialised as a fresh package leaves it
  galera-wipe-member --host H           (Galera lab) a member's mariadbd killed, its datadir emptied
  galera-stop-member --host H           (Galera lab) a member stopped cleanly; heal starts it
  galera-crash                          (Galera lab) every member's mariadbd SIGKILLed at once
  (a DROP DATABASE that replicates to every member: drop-database)`;

const ALIASES: Record<string, Fault['kind']> = { 'drop-db': 'drop-database', delete: 'delete-path', corrupt: 'corrupt-file', kill: 'kill-service' };

/** Parses `fault` arguments into a {@link Fault}. */
export function parseFault(args: string[]): Fault {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { host: { type: 'string' } } });
  const [rawKind, a, b] = positionals;
  const kind = ALIASES[rawKind ?? ''] ?? (rawKind as Fault['kind']);
  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined || v === '') throw new Error(`lab: fault ${kind} needs ${what}\n${FAULT_USAGE}`);
    return v;
  };
  switch (kind) {
    case 'drop-database':
      return { kind, database: need(a, 'a database') };
    case 'drop-table': {
      const [database, table] = b === undefined ? (a ?? '').split('.') : [a, b];
      return { kind, database: need(database, 'DB TABLE'), table: need(table, 'DB TABLE') };
    }
    case 'delete-path':
    case 'corrupt-file':
      return { kind, host: need(values.host, '--host'), path: need(a, 'a path') };
    case 'kill-service':
      return { kind, host: need(values.host, '--host'), service: need(a, 'a service') };
    case 'stop-sshd':
    case 'fill-backups':
      return { kind, host: need(values.host, '--host') };
    case 'wipe-datadir':
    case 'galera-crash':
      return { kind };
    case 'galera-wipe-member':
    case 'galera-stop-member':
      return { kind, host: need(values.host, '--host') };
    default:
      throw new Error(`lab: unknown fault ${rawKind ?? '(none)'}; kinds: ${FAULT_KINDS.join(', ')}\n${FAULT_USAGE}`);
  }
}

/** fingerprint, fault and heal commands. */
export async function more(command: string, args: string[]): Promise<number> {
  switch (command) {
    case 'fingerprint': {
      const { values } = parseArgs({ args, options: { host: { type: 'string' }, json: { type: 'boolean' } } });
      const fp = await fingerprint(openLab(), values.host);
      if (values.json) {
        console.log(JSON.stringify(fp, null, 2));
        return 0;
      }
      for (const h of Object.values(fp.hosts)) {
        console.log(`${h.host.padEnd(6)} ${h.sha256}`);
        for (const [p, d] of Object.entries(h.paths)) {
          console.log(`  ${p.padEnd(20)} ${'missing' in d ? 'MISSING' : `${d.sha256.slice(0, 16)}  ${Object.keys(d.entries).length} entries`}`);
        }
        const dbs = h.databases;
        if (dbs && !dbs.ok) console.log(`  databases: ${dbs.error}`);
        if (dbs?.ok) {
          for (const [name, d] of Object.entries(dbs.databases)) {
            const rows = Object.values(d.tables).reduce((n, t) => n + t.rows, 0);
            console.log(`  db ${name.padEnd(17)} ${d.sha256.slice(0, 16)}  ${Object.keys(d.tables).length} tables, ${rows} rows`);
          }
        }
      }
      console.log(`lab    ${fp.sha256}`);
      return 0;
    }
    case 'fault':
    case 'heal': {
      if (args.length === 0 || args[0] === '--help') {
        console.log(FAULT_USAGE);
        return args.length === 0 ? 2 : 0;
      }
      const f = parseFault(args);
      const result = command === 'fault' ? await inject(openLab(), f) : await heal(openLab(), f);
      console.log(`lab: ${result.description}`);
      return 0;
    }
    default:
      console.error(`lab: unknown command ${command} (npm run lab -- help)`);
      return 2;
  }
}
