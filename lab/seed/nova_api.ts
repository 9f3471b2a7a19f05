import { instanceUuid, projectId, userId } from './nova.js';
import { hexOf, timeAt, uuidOf } from './random.js';
import type { DatabaseSeed } from './types.js';

const CELL0 = '00000000-0000-0000-0000-000000000000';
const CELL1 = uuidOf('cell', 1);

/** The nova_api database: cells, host and instance mappings, flavors, request specs, key pairs. */
export const novaApiDb: DatabaseSeed = {
  name: 'nova_api',
  tables: [
    {
      name: 'cell_mappings',
      ddl: `id INT NOT NULL AUTO_INCREMENT, created_at DATETIME, updated_at DATETIME, uuid VARCHAR(36) NOT NULL,
        name VARCHAR(255), transport_url TEXT NOT NULL, database_connection TEXT NOT NULL, disabled TINYINT(1) DEFAULT 0,
        PRIMARY KEY (id), UNIQUE KEY uniq_cell_mappings0uuid (uuid)`,
      *rows() {
        yield [1, timeAt(0), null, CELL0, 'cell0', 'none:///', 'mysql+pymysql://nova:nova-lab-pass@ctl1/nova_cell0', 0];
        yield [2, timeAt(0), null, CELL1, 'cell1', 'rabbit://openstack:rabbit-lab-pass@ctl1:5672/', 'mysql+pymysql://nova:nova-lab-pass@ctl1/nova', 0];
      },
    },
    {
      name: 'host_mappings',
      ddl: `id INT NOT NULL AUTO_INCREMENT, created_at DATETIME, updated_at DATETIME, cell_id INT NOT NULL,
        host VARCHAR(255) NOT NULL, PRIMARY KEY (id), UNIQUE KEY uniq_host0host (host)`,
      *rows(s) {
        for (const [k, host] of s.computes.entries()) yield [k + 1, timeAt(k), null, 2, host];
      },
    },
    {
      name: 'instance_mappings',
      ddl: `id INT NOT NULL AUTO_INCREMENT, created_at DATETIME, updated_at DATETIME, instance_uuid VARCHAR(36) NOT NULL,
        cell_id INT, project_id VARCHAR(255) NOT NULL, user_id VARCHAR(255), queued_for_delete TINYINT(1) DEFAULT 0,
        PRIMARY KEY (id), UNIQUE KEY uniq_instance_mappings0instance_uuid (instance_uuid)`,
      *rows(s) {
        for (let i = 0; i < s.instances; i++) yield [i + 1, timeAt(i), null, instanceUuid(i), 2, projectId(i % s.projects), userId(i % s.users), 0];
      },
    },
    {
      name: 'flavors',
      ddl: `id INT NOT NULL AUTO_INCREMENT, created_at DATETIME, updated_at DATETIME, name VARCHAR(255) NOT NULL,
        memory_mb INT NOT NULL, vcpus INT NOT NULL, root_gb INT, ephemeral_gb INT, flavorid VARCHAR(255) NOT NULL,
        swap INT NOT NULL DEFAULT 0, rxtx_factor FLOAT DEFAULT 1, vcpu_weight INT, disabled TINYINT(1),
        is_public TINYINT(1), description TEXT, PRIMARY KEY (id), UNIQUE KEY uniq_flavors0name (name)`,
      *rows() {
        const list: Array<[string, number, number, number]> = [['m1.tiny', 512, 1, 1], ['m1.small', 2048, 1, 20],
          ['m1.medium', 4096, 2, 40], ['m1.large', 8192, 4, 80], ['m1.xlarge', 16384, 8, 160]];
        for (const [k, [name, mem, vcpus, root]] of list.entries()) {
          yield [k + 1, timeAt(0), null, name, mem, vcpus, root, 0, String(k + 1), 0, 1, 0, 0, 1, null];
        }
      },
    },
    {
      name: 'flavor_extra_specs',
      ddl: `id INT NOT NULL AUTO_INCREMENT, created_at DATETIME, updated_at DATETIME, flavor_id INT NOT NULL,
        \`key\` VARCHAR(255) NOT NULL, value VARCHAR(255), PRIMARY KEY (id),
        UNIQUE KEY uniq_flavor_extra_specs0flavor_id0key (flavor_id, \`key\`)`,
      *rows() {
        for (let f = 1; f <= 5; f++) yield [f, timeAt(0), null, f, 'hw:cpu_policy', 'shared'];
      },
    },
    {
      name: 'request_specs',
      ddl: `id INT NOT NULL AUTO_INCREMENT, created_at DATETIME, updated_at DATETIME, instance_uuid VARCHAR(36) NOT NULL,
        spec MEDIUMTEXT NOT NULL, PRIMARY KEY (id), UNIQUE KEY uniq_request_specs0instance_uuid (instance_uuid)`,
      *rows(s) {
        for (let i = 0; i < s.instances; i++) {
          const spec = { 'nova_object.name': 'RequestSpec', 'nova_object.version': '1.14', 'nova_object.data': {
            instance_uuid: instanceUuid(i), project_id: projectId(i % s.projects), user_id: userId(i % s.users),
            num_instances: 1, availability_zone: 'nova', ignore_hosts: null, force_hosts: null,
            scheduler_hints: { group: [] }, security_groups: [{ name: 'default' }],
            image: { id: uuidOf('image', i % s.images), min_ram: 0, min_disk: 0, container_format: 'bare', disk_format: 'qcow2' },
            flavor: { flavorid: String((i % 5) + 1) }, is_bfv: false, request_level_params: {} } };
          yield [i + 1, timeAt(i), null, instanceUuid(i), JSON.stringify(spec)];
        }
      },
    },
    {
      name: 'key_pairs',
      ddl: `id INT NOT NULL AUTO_INCREMENT, created_at DATETIME, updated_at DATETIME, name VARCHAR(255) NOT NULL,
        user_id VARCHAR(255) NOT NULL, fingerprint VARCHAR(255), public_key TEXT, type ENUM('ssh','x509') NOT NULL DEFAULT 'ssh',
        PRIMARY KEY (id), UNIQUE KEY uniq_key_pairs0user_id0name (user_id, name)`,
      *rows(s) {
        for (let u = 0; u < s.users; u++) {
          const fp = hexOf(32, 'kp', u).match(/../g)?.join(':') ?? '';
          yield [u + 1, timeAt(u), null, `key-${u}`, userId(u), fp, `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${hexOf(43, 'kpk', u)} user${u}@lab`, 'ssh'];
        }
      },
    },
  ],
};
