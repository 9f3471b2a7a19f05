import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabHost } from '../config.js';
import { hostPath } from '../namespace.js';
import { PASSWORDS } from './configs.js';
import { must, openstackBatch, waitFor } from './shell.js';

/** The seeded image: 1 MiB of deterministic bytes (sha256 chain), the same on every machine. */
export function cirrosLabBytes(): Buffer {
  const chunks: Buffer[] = [];
  let block = createHash('sha256').update('runbook-lab cirros-lab').digest();
  for (let i = 0; i < (1024 * 1024) / 32; i++) {
    chunks.push(block);
    block = createHash('sha256').update(block).digest();
  }
  return Buffer.concat(chunks);
}

/** What the golden build seeds through the APIs (lab/README.md). */
export const OPENSTACK_SEED = {
  project: 'demo',
  user: 'demo',
  image: 'cirros-lab',
  flavor: 'm1.lab',
  server: 'lab-server-1',
  volume: 'lab-volume-1',
} as const;


/** The seed, through the APIs: demo project and user, image, flavor, EC2 credential, a server, a volume. */
export async function seed(ctl: LabHost): Promise<void> {
  const s = OPENSTACK_SEED;
  const image = join(hostPath(ctl, '/var/tmp'), 'cirros-lab.img');
  writeFileSync(image, cirrosLabBytes());
  await openstackBatch(ctl, 'lab', [
    `project create --domain default ${s.project}`,
    `user create --domain default --project ${s.project} --password ${PASSWORDS.demo} ${s.user}`,
    `role add --project ${s.project} --user ${s.user} member`,
    `flavor create --id 1 --ram 64 --disk 1 --vcpus 1 ${s.flavor}`,
    `image create --file /var/tmp/cirros-lab.img --disk-format raw --container-format bare --public --property hw_machine_type=q35 ${s.image}`,
    `ec2 credentials create --project ${s.project} --user ${s.user}`,
  ]);
  await must(ctl, 'rm -f /var/tmp/cirros-lab.img');
  await openstackBatch(ctl, 'demo', [
    `server create --flavor ${s.flavor} --image ${s.image} --nic none --wait ${s.server}`,
    `volume create --size 1 ${s.volume}`,
  ], '--os-compute-api-version 2.37'); // --nic none needs 2.37
  await waitFor(ctl, `volume ${s.volume} available`, `[ "$(openstack --os-cloud demo volume show -f value -c status ${s.volume})" = available ]`, 120);
  const status = (await must(ctl, `openstack --os-cloud demo server show -f value -c status ${s.server}`)).trim();
  if (status !== 'ACTIVE') throw new Error(`lab: seeded server ${s.server} is ${status}, not ACTIVE`);
}
