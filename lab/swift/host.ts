import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabConfig, LabHost } from '../config.js';
import { mustRun } from '../exec.js';
import { hostPath, mustHostShell } from '../namespace.js';
import type { Unit } from '../services.js';
import {
  MEMCACHED_PORT, SWIFT_DEVICE, SWIFT_DEVICES, SWIFT_PORTS, SWIFT_PROXY_PORT, proxyServerConf, storageServerConf, swiftConf,
} from './configs.js';

/** The Debian packages the off-site host runs, and a file each one installs. */
const SWIFT_PACKAGES: ReadonlyArray<{ pkg: string; file: string }> = [
  { pkg: 'swift-proxy', file: '/usr/bin/swift-proxy-server' },
  { pkg: 'swift-account', file: '/usr/bin/swift-account-server' },
  { pkg: 'swift-container', file: '/usr/bin/swift-container-server' },
  { pkg: 'swift-object', file: '/usr/bin/swift-object-server' },
  { pkg: 'swift', file: '/usr/bin/swift-ring-builder' },
  { pkg: 'memcached', file: '/usr/bin/memcached' },
];

/** The off-site host of a lab started with `offsite` (its own namespace, address 127.NET.4.1). */
export const OFFSITE_HOST = 'site2';

/**
 * Where the lab keeps its Swift key: `<lab dir>/swift/key` (0600), made once and kept across
 * `up`, `down` and `reset` like the ssh keys. Tests and drills pass it as RUNBOOK_SWIFT_KEY.
 */
export function swiftKeyPath(config: Pick<LabConfig, 'dir'>): string {
  return join(config.dir, 'swift', 'key');
}

export function ensureSwiftKey(config: Pick<LabConfig, 'dir'>): string {
  const path = swiftKeyPath(config);
  if (!existsSync(path)) {
    mkdirSync(join(config.dir, 'swift'), { recursive: true, mode: 0o700 });
    writeFileSync(path, `${randomBytes(24).toString('hex')}\n`, { mode: 0o600 });
  }
  return readFileSync(path, 'utf8').trim();
}

/** The services of the off-site host, in start order: memcached (tempauth's tokens), the storage servers, the proxy. */
export function swiftUnits(host: LabHost): Unit[] {
  const daemon = (name: string, description: string, config: string, user: string, command: string, check: string): Unit => ({
    name, description, config, checks: [check], log: `/var/log/swift/${name}.log`, user, command,
  });
  const server = (kind: keyof typeof SWIFT_PORTS): Unit =>
    daemon(`swift-${kind}`, `OpenStack Object Storage ${kind} server (swift-${kind})`, `/etc/swift/${kind}-server.conf`, 'swift:swift',
      `/usr/bin/swift-${kind}-server /etc/swift/${kind}-server.conf`, `tcp:${host.address}:${SWIFT_PORTS[kind]}`);
  return [
    daemon('memcached', 'memcached (Swift tempauth tokens)', '-', 'nobody:nogroup', `/usr/bin/memcached -l ${host.address} -p ${MEMCACHED_PORT} -U 0 -m 16`, `tcp:${host.address}:${MEMCACHED_PORT}`),
    server('account'),
    server('container'),
    server('object'),
    daemon('swift-proxy', 'OpenStack Object Storage proxy (swift-proxy)', '/etc/swift/proxy-server.conf', 'swift:swift',
      '/usr/bin/swift-proxy-server /etc/swift/proxy-server.conf', `http:http://${host.address}:${SWIFT_PROXY_PORT}/healthcheck`),
  ];
}

/**
 * Writes the off-site host's Swift configs and, when its address changed (a fresh lab, another
 * address range), builds its rings: one replica, one device on the host's own /srv/node/d1.
 * Owners are set inside the host, by name (the simulated lab's swift is 64064, the machine's
 * package user otherwise). Runs once the host's namespace is up, before its services start.
 */
export async function prepareSwiftHost(host: LabHost, config: LabConfig): Promise<void> {
  const missing = SWIFT_PACKAGES.filter((p) => !existsSync(p.file)).map((p) => p.pkg);
  if (missing.length > 0) throw new Error(`lab: --offsite needs the Debian packages ${missing.join(' ')} (scripts/install-system-packages.sh installs them)`);
  const etc = hostPath(host, '/etc/swift');
  mkdirSync(etc, { recursive: true });
  mkdirSync(join(hostPath(host, SWIFT_DEVICES), SWIFT_DEVICE), { recursive: true });
  writeFileSync(join(etc, 'swift.conf'), swiftConf());
  writeFileSync(join(etc, 'proxy-server.conf'), proxyServerConf(host, ensureSwiftKey(config)), { mode: 0o640 });
  for (const kind of Object.keys(SWIFT_PORTS) as Array<keyof typeof SWIFT_PORTS>) writeFileSync(join(etc, `${kind}-server.conf`), storageServerConf(host, kind));
  const stamp = join(host.dir, 'state', 'swift-rings');
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== host.address) {
    await Promise.all((Object.keys(SWIFT_PORTS) as Array<keyof typeof SWIFT_PORTS>).map((kind) => buildRing(etc, kind, host.address)));
    writeFileSync(stamp, host.address);
  }
  await mustHostShell(host, `chown root:swift /etc/swift/*.conf && chmod 0640 /etc/swift/proxy-server.conf && chown -R swift:swift ${SWIFT_DEVICES} /var/log/swift`);
}

/** `<kind>.builder` and `<kind>.ring.gz`: partition power 8 (a lab), one replica, one device. */
async function buildRing(etc: string, kind: keyof typeof SWIFT_PORTS, address: string): Promise<void> {
  const builder = join(etc, `${kind}.builder`);
  for (const old of [builder, join(etc, `${kind}.ring.gz`)]) rmSync(old, { force: true });
  await mustRun('swift-ring-builder', [builder, 'create', '8', '1', '1']);
  await mustRun('swift-ring-builder', [builder, 'add', `r1z1-${address}:${SWIFT_PORTS[kind]}/${SWIFT_DEVICE}`, '100']);
  // rebalance exits 1 with a warning on a one-device ring that is balanced all the same.
  await mustRun('sh', ['-c', 'swift-ring-builder "$1" rebalance; [ $? -le 1 ]', 'sh', builder]);
}
