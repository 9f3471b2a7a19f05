import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Once per `npm test`: the Debian packages integration tests need (sshd, MariaDB, rsync). */
export default function setup(): void {
  const script = fileURLToPath(new URL('../../scripts/install-system-packages.sh', import.meta.url));
  execFileSync('bash', [script], { stdio: 'inherit' });
}
