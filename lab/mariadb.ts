import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LabHost } from './config.js';
import { mustInHost } from './exec.js';
import { hostPath, requireHolder } from './namespace.js';
import { seedSql } from './seed/index.js';
import type { SeedScale } from './seed/types.js';

/**
 * Creates the system tables in ctl1's /var/lib/mysql (root authenticates by unix socket), as
 * the package's postinst leaves them; owned by `user` (the real-OpenStack lab: mysql).
 */
export async function initDatadir(ctl: LabHost, user = 'root'): Promise<void> {
  if (existsSync(join(hostPath(ctl, '/var/lib/mysql'), 'mysql'))) return;
  const holder = requireHolder(ctl);
  const cnf = join(ctl.dir, 'etc', 'mariadb.cnf');
  await mustInHost(holder, `mariadb-install-db --defaults-file='${cnf}' --user=${user} --auth-root-authentication-method=socket --skip-test-db >/var/log/mysql/install.log 2>&1 || { tail -n 20 /var/log/mysql/install.log >&2; exit 1; }`);
}

/** Streams the seed SQL into `mysql` on ctl1 (as root over the socket), with back-pressure. */
export function seedDatabases(ctl: LabHost, scale: SeedScale): Promise<void> {
  const holder = requireHolder(ctl);
  return new Promise((resolvePromise, reject) => {
    const child = spawn('nsenter', ['-t', String(holder), '-m', '-u', '--', 'mysql', '--no-defaults', '-S', '/run/mysqld/mysqld.sock', '-u', 'root'], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolvePromise() : reject(new Error(`lab: seeding MariaDB failed (exit ${code}): ${stderr.trim().slice(-1500)}`))));
    child.stdin.on('error', () => undefined); // mysql exited early; its exit code says why
    const chunks = seedSql(scale)[Symbol.iterator]();
    const pump = (): void => {
      for (;;) {
        const next = chunks.next();
        if (next.done) {
          child.stdin.end();
          return;
        }
        if (!child.stdin.write(next.value)) {
          child.stdin.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
}
