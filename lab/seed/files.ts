import { chmodSync, chownSync, mkdirSync, openSync, closeSync, ftruncateSync, writeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { LabHost } from '../config.js';
import { HOST_PATHS } from '../namespace.js';
import { IDS, cinderConf, glanceConf, keystoneConf, novaConf, pasteIni, swiftConf, swiftProxyConf } from './configs.js';
import { IMAGE_BYTES } from './index.js';
import { hostOf, imageUuid, instanceUuid } from './nova.js';
import { bytesOf, hexOf } from './random.js';
import type { SeedScale } from './types.js';
import { imageSize } from './glance.js';

/** Instance directories created per compute host (the database may list more). */
export const MAX_INSTANCE_DIRS = 16;
/** Apparent size of each sparse instance disk: large, but it takes no space. */
export const DISK_BYTES = 10 * 1024 ** 3;

type Owner = keyof typeof IDS;

/** Writes files into one host's own tree (<host dir>/fs), with modes and numeric owners. */
class Tree {
  constructor(private readonly root: string) {}
  dir(path: string, mode: number, owner: Owner = 'root', group: Owner = owner): void {
    const p = join(this.root, path);
    mkdirSync(p, { recursive: true });
    chmodSync(p, mode);
    chownSync(p, IDS[owner], IDS[group]);
  }
  file(path: string, content: string | Buffer, mode: number, owner: Owner = 'root', group: Owner = owner): void {
    const p = join(this.root, path);
    writeFileSync(p, content);
    chmodSync(p, mode);
    chownSync(p, IDS[owner], IDS[group]);
  }
  /** A sparse file of `size` bytes starting with `header`. */
  sparse(path: string, size: number, header: Buffer, owner: Owner): void {
    const p = join(this.root, path);
    const fd = openSync(p, 'w', 0o644);
    try {
      writeSync(fd, header);
      ftruncateSync(fd, size);
    } finally {
      closeSync(fd);
    }
    chownSync(p, IDS[owner], IDS[owner]);
  }
}

/** Creates the host's directory tree and seeds the files its role carries. */
export function seedHostFiles(host: LabHost, scale: SeedScale): void {
  const root = join(host.dir, 'fs');
  for (const p of HOST_PATHS) mkdirSync(join(root, p), { recursive: true });
  const t = new Tree(root);
  t.dir('/root', 0o700);
  t.dir('/var/backups', 0o755);
  t.dir('/run/mysqld', 0o755);
  t.dir('/var/lib/mysql', 0o755);
  for (const svc of ['nova', 'glance', 'keystone', 'cinder', 'swift'] as const) t.dir(`/var/log/${svc}`, 0o750, svc, svc);
  t.dir('/var/log/mysql', 0o750);
  // Every host has the directories, as packages would leave them; each role fills its own.
  t.dir('/etc/nova', 0o750, 'root', 'nova');
  t.dir('/var/lib/nova', 0o755, 'nova');
  t.dir('/etc/glance', 0o750, 'root', 'glance');
  t.dir('/var/lib/glance', 0o755, 'glance');
  t.dir('/etc/keystone', 0o750, 'root', 'keystone');
  t.dir('/var/lib/keystone', 0o755, 'keystone');
  t.dir('/etc/cinder', 0o750, 'root', 'cinder');
  t.dir('/var/lib/cinder', 0o755, 'cinder');
  t.dir('/etc/swift', 0o755, 'swift');
  switch (host.role) {
    case 'controller':
      return controller(t, host, scale);
    case 'compute':
      return compute(t, host, scale);
    case 'storage':
      return storage(t, host);
    case 'offsite':
      return; // lab/swift writes its files
    default: {
      const never: never = host.role;
      throw new Error(`lab: unknown role ${String(never)}`);
    }
  }
}

function controller(t: Tree, host: LabHost, scale: SeedScale): void {
  t.file('/etc/nova/nova.conf', novaConf('controller', host.address), 0o640, 'root', 'nova');
  t.file('/etc/nova/api-paste.ini', pasteIni('osapi_compute'), 0o640, 'root', 'nova');
  t.file('/etc/nova/policy.yaml', '# nova policy overrides (lab)\n"os_compute_api:servers:show:host_status": "rule:admin_api"\n', 0o640, 'root', 'nova');
  t.dir('/var/lib/nova/tmp', 0o755, 'nova');
  t.file('/etc/glance/glance-api.conf', glanceConf(), 0o640, 'root', 'glance');
  t.file('/etc/glance/glance-api-paste.ini', pasteIni('glance'), 0o640, 'root', 'glance');
  t.dir('/var/lib/glance/images', 0o750, 'glance');
  t.dir('/var/lib/glance/image-cache', 0o750, 'glance');
  for (let i = 0; i < scale.images; i++) {
    t.file(`/var/lib/glance/images/${imageUuid(i)}`, bytesOf(imageSize(i, IMAGE_BYTES), 'image', i), 0o640, 'glance');
  }
  t.file('/etc/keystone/keystone.conf', keystoneConf(), 0o640, 'root', 'keystone');
  t.dir('/etc/keystone/fernet-keys', 0o700, 'keystone');
  t.dir('/etc/keystone/credential-keys', 0o700, 'keystone');
  for (const k of [0, 1, 2]) t.file(`/etc/keystone/fernet-keys/${k}`, `${bytesOf(32, 'fernet', k).toString('base64url')}=`, 0o600, 'keystone');
  for (const k of [0, 1]) t.file(`/etc/keystone/credential-keys/${k}`, `${bytesOf(32, 'credential', k).toString('base64url')}=`, 0o600, 'keystone');
  t.file('/etc/cinder/cinder.conf', cinderConf('controller', host.address), 0o640, 'root', 'cinder');
  t.file('/etc/cinder/api-paste.ini', pasteIni('osapi_volume'), 0o640, 'root', 'cinder');
  t.dir('/var/lib/cinder/tmp', 0o755, 'cinder');
}

function compute(t: Tree, host: LabHost, scale: SeedScale): void {
  t.file('/etc/nova/nova.conf', novaConf('compute', host.address), 0o640, 'root', 'nova');
  t.file('/etc/nova/nova-compute.conf', '[DEFAULT]\ncompute_driver = libvirt.LibvirtDriver\n\n[libvirt]\nvirt_type = qemu\n', 0o640, 'root', 'nova');
  t.dir('/var/lib/nova/tmp', 0o755, 'nova');
  t.dir('/var/lib/nova/.ssh', 0o700, 'nova');
  t.file('/var/lib/nova/.ssh/config', 'Host *\n  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n', 0o600, 'nova');
  t.file('/var/lib/nova/.ssh/authorized_keys', `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${hexOf(43, 'nova-migration')} nova@lab\n`, 0o600, 'nova');
  t.dir('/var/lib/nova/instances', 0o755, 'nova');
  t.dir('/var/lib/nova/instances/_base', 0o755, 'nova');
  t.dir('/var/lib/nova/instances/locks', 0o755, 'nova');
  const qcow2 = Buffer.from('514649fb00000003', 'hex'); // "QFI\xfb", version 3
  t.sparse(`/var/lib/nova/instances/_base/${hexOf(40, 'base', 0)}`, 2 * 1024 ** 3, Buffer.alloc(512, 0xeb), 'nova');
  let made = 0;
  for (let i = 0; i < scale.instances && made < MAX_INSTANCE_DIRS; i++) {
    if (hostOf(scale, i) !== host.name) continue;
    made++;
    const dir = `/var/lib/nova/instances/${instanceUuid(i)}`;
    t.dir(dir, 0o755, 'nova');
    t.sparse(`${dir}/disk`, DISK_BYTES, qcow2, 'nova');
    t.file(`${dir}/disk.info`, JSON.stringify({ [`/var/lib/nova/instances/${instanceUuid(i)}/disk`]: 'qcow2' }), 0o644, 'nova');
    t.file(`${dir}/console.log`, `[    0.000000] Linux version 6.1.0 (vm-${i})\n`, 0o600, 'root');
  }
}

function storage(t: Tree, host: LabHost): void {
  t.file('/etc/cinder/cinder.conf', cinderConf('storage', host.address), 0o640, 'root', 'cinder');
  t.dir('/var/lib/cinder/volumes', 0o755, 'cinder');
  t.dir('/var/lib/cinder/tmp', 0o755, 'cinder');
  for (let v = 0; v < 4; v++) {
    const id = hexOf(8, 'vol', v);
    t.file(`/var/lib/cinder/volumes/volume-${id}`, `<target iqn.2010-10.org.openstack:volume-${id}>\n  backing-store /dev/cinder-volumes/volume-${id}\n  driver iscsi\n</target>\n`, 0o600, 'cinder');
  }
  t.file('/etc/swift/swift.conf', swiftConf(), 0o640, 'root', 'swift');
  t.file('/etc/swift/proxy-server.conf', swiftProxyConf(), 0o640, 'root', 'swift');
  t.dir('/etc/swift/backups', 0o755, 'swift');
  for (const [k, ring] of ['account', 'container', 'object'].entries()) {
    const builder = bytesOf(48 * 1024 + k * 4096, 'builder', ring);
    t.file(`/etc/swift/${ring}.builder`, builder, 0o644, 'swift');
    t.file(`/etc/swift/${ring}.ring.gz`, gzipSync(bytesOf(16 * 1024, 'ring', ring)), 0o644, 'swift');
    t.file(`/etc/swift/backups/1705305600.${ring}.builder`, builder, 0o644, 'swift');
  }
}
