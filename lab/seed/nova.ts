import { hexOf, prng, timeAt, uuidOf } from './random.js';
import { COMMON, type DatabaseSeed, type SeedScale, type SqlValue } from './types.js';

const FLAVORS = [
  { id: 1, name: 'm1.tiny', mem: 512, vcpus: 1, root: 1 },
  { id: 2, name: 'm1.small', mem: 2048, vcpus: 1, root: 20 },
  { id: 3, name: 'm1.medium', mem: 4096, vcpus: 2, root: 40 },
  { id: 4, name: 'm1.large', mem: 8192, vcpus: 4, root: 80 },
  { id: 5, name: 'm1.xlarge', mem: 16384, vcpus: 8, root: 160 },
];
const STATES = ['active', 'active', 'active', 'stopped', 'error', 'active', 'shelved_offloaded'];

export const instanceUuid = (i: number): string => uuidOf('instance', i);
export const projectId = (p: number): string => hexOf(32, 'project', p);
export const userId = (u: number): string => hexOf(32, 'user', u);
export const imageUuid = (i: number): string => uuidOf('image', i);

/** The compute host an instance runs on. */
export const hostOf = (scale: SeedScale, i: number): string => scale.computes[i % scale.computes.length] ?? 'cmp1';
const flavorOf = (i: number): (typeof FLAVORS)[number] => FLAVORS[i % FLAVORS.length] ?? FLAVORS[0]!;

function flavorJson(i: number): string {
  const f = flavorOf(i);
  return JSON.stringify({
    'nova_object.name': 'Flavor', 'nova_object.namespace': 'nova', 'nova_object.version': '1.2',
    'nova_object.data': { id: f.id, name: f.name, memory_mb: f.mem, vcpus: f.vcpus, root_gb: f.root,
      ephemeral_gb: 0, flavorid: String(f.id), swap: 0, rxtx_factor: 1.0, vcpu_weight: 0,
      disabled: false, is_public: true, extra_specs: { 'hw:cpu_policy': 'shared' }, description: null },
  });
}

function networkInfo(i: number): string {
  const r = prng(i + 7);
  return JSON.stringify([{
    id: uuidOf('port', i), address: `fa:16:3e:${[r(), r(), r()].map((x) => Math.floor(x * 256).toString(16).padStart(2, '0')).join(':')}`,
    type: 'ovs', devname: `tap${uuidOf('port', i).slice(0, 11)}`, ovs_interfaceid: uuidOf('port', i), active: true,
    network: { id: uuidOf('net', i % 4), bridge: 'br-int', label: `net${i % 4}`,
      subnets: [{ cidr: `10.${i % 4}.0.0/16`, gateway: { address: `10.${i % 4}.0.1`, type: 'gateway' },
        ips: [{ address: `10.${i % 4}.${Math.floor(i / 250) % 250}.${(i % 250) + 2}`, type: 'fixed', version: 4, floating_ips: [] }],
        dns: [{ address: '10.0.0.2', type: 'dns' }], routes: [], version: 4 }] },
    details: { port_filter: true, ovs_hybrid_plug: false, datapath_type: 'system', bridge_name: 'br-int' },
    vnic_type: 'normal', profile: {}, preserve_on_delete: false, meta: {},
  }]);
}

function* instances(s: SeedScale): Iterable<SqlValue[]> {
  for (let i = 0; i < s.instances; i++) {
    const f = flavorOf(i);
    const host = hostOf(s, i);
    yield [i + 1, timeAt(i), timeAt(i + 5), null, 0, instanceUuid(i), userId(i % s.users), projectId(i % s.projects),
      imageUuid(i % s.images), `vm-${String(i).padStart(5, '0')}`, host, `${host}.lab`, STATES[i % STATES.length] ?? 'active',
      null, i % 7 === 3 ? 4 : 1, f.mem, f.vcpus, f.root, `vm-${i}`, `instance ${i} of project ${i % s.projects}`, 'nova',
      timeAt(i + 2), null, `/dev/vda`];
  }
}

/** The nova (cell1) database. */
export const novaDb: DatabaseSeed = {
  name: 'nova',
  tables: [
    {
      name: 'instances',
      ddl: `id INT NOT NULL AUTO_INCREMENT, ${COMMON}, deleted INT DEFAULT 0, uuid VARCHAR(36) NOT NULL,
        user_id VARCHAR(255), project_id VARCHAR(255), image_ref VARCHAR(255), hostname VARCHAR(255),
        host VARCHAR(255), node VARCHAR(255), vm_state VARCHAR(255), task_state VARCHAR(255), power_state INT,
        memory_mb INT, vcpus INT, root_gb INT, display_name VARCHAR(255), display_description TEXT,
        availability_zone VARCHAR(255), launched_at DATETIME, terminated_at DATETIME, root_device_name VARCHAR(255),
        PRIMARY KEY (id), UNIQUE KEY uniq_instances0uuid (uuid), KEY instances_host_deleted_idx (host, deleted)`,
      rows: instances,
    },
    {
      name: 'instance_extra',
      ddl: `id INT NOT NULL AUTO_INCREMENT, ${COMMON}, deleted INT DEFAULT 0, instance_uuid VARCHAR(36) NOT NULL,
        numa_topology TEXT, pci_requests TEXT, flavor TEXT, vcpu_model TEXT, PRIMARY KEY (id),
        KEY instance_extra_idx (instance_uuid)`,
      *rows(s) {
        for (let i = 0; i < s.instances; i++) {
          yield [i + 1, timeAt(i), null, null, 0, instanceUuid(i), null, '[]',
            JSON.stringify({ cur: JSON.parse(flavorJson(i)), old: null, new: null }),
            JSON.stringify({ arch: 'x86_64', model: 'Haswell-noTSX', vendor: 'Intel', topology: { cores: 1, threads: 1, sockets: flavorOf(i).vcpus } })];
        }
      },
    },
    {
      name: 'instance_info_caches',
      ddl: `id INT NOT NULL AUTO_INCREMENT, ${COMMON}, deleted INT DEFAULT 0, network_info MEDIUMTEXT,
        instance_uuid VARCHAR(36) NOT NULL, PRIMARY KEY (id), UNIQUE KEY uniq_iic0uuid (instance_uuid)`,
      *rows(s) {
        for (let i = 0; i < s.instances; i++) yield [i + 1, timeAt(i), timeAt(i + 9), null, 0, networkInfo(i), instanceUuid(i)];
      },
    },
    {
      name: 'instance_actions',
      ddl: `id INT NOT NULL AUTO_INCREMENT, ${COMMON}, deleted INT DEFAULT 0, action VARCHAR(255),
        instance_uuid VARCHAR(36), request_id VARCHAR(255), user_id VARCHAR(255), project_id VARCHAR(255),
        start_time DATETIME, finish_time DATETIME, message VARCHAR(255), PRIMARY KEY (id),
        KEY instance_uuid_idx (instance_uuid)`,
      *rows(s) {
        let id = 1;
        for (let i = 0; i < s.instances; i++) {
          for (const [k, action] of ['create', 'stop', 'start'].entries()) {
            if (k > 0 && i % 3 !== 0) continue;
            yield [id++, timeAt(i + k * 60), null, null, 0, action, instanceUuid(i), `req-${uuidOf('req', i, k)}`,
              userId(i % s.users), projectId(i % s.projects), timeAt(i + k * 60), timeAt(i + k * 60 + 1), null];
          }
        }
      },
    },
    {
      name: 'block_device_mapping',
      ddl: `id INT NOT NULL AUTO_INCREMENT, ${COMMON}, deleted INT DEFAULT 0, device_name VARCHAR(255),
        delete_on_termination TINYINT(1), snapshot_id VARCHAR(36), volume_id VARCHAR(36), volume_size INT,
        no_device TINYINT(1), connection_info MEDIUMTEXT, instance_uuid VARCHAR(36), source_type VARCHAR(255),
        destination_type VARCHAR(255), boot_index INT, image_id VARCHAR(36), uuid VARCHAR(36),
        PRIMARY KEY (id), KEY bdm_instance_uuid_idx (instance_uuid)`,
      *rows(s) {
        for (let i = 0; i < s.instances; i++) {
          yield [i + 1, timeAt(i), null, null, 0, '/dev/vda', 1, null, null, flavorOf(i).root, 0, null, instanceUuid(i),
            'image', 'local', 0, imageUuid(i % s.images), uuidOf('bdm', i)];
        }
      },
    },
    {
      name: 'services',
      ddl: `id INT NOT NULL AUTO_INCREMENT, ${COMMON}, deleted INT DEFAULT 0, host VARCHAR(255), \`binary\` VARCHAR(255),
        topic VARCHAR(255), report_count INT NOT NULL DEFAULT 0, disabled TINYINT(1), disabled_reason VARCHAR(255),
        forced_down TINYINT(1), version INT, uuid VARCHAR(36), PRIMARY KEY (id),
        UNIQUE KEY uniq_services0host0binary0deleted (host, \`binary\`, deleted)`,
      *rows(s) {
        const list: Array<[string, string]> = [['ctl1', 'nova-scheduler'], ['ctl1', 'nova-conductor'],
          ...s.computes.map((c): [string, string] => [c, 'nova-compute'])];
        for (const [k, [host, binary]] of list.entries()) {
          yield [k + 1, timeAt(k), timeAt(10_000 + k), null, 0, host, binary, binary.slice(5), 1000 + k, 0, null, 0, 66, uuidOf('service', host, binary)];
        }
      },
    },
    {
      name: 'compute_nodes',
      ddl: `id INT NOT NULL AUTO_INCREMENT, ${COMMON}, deleted INT DEFAULT 0, service_id INT, host VARCHAR(255),
        uuid VARCHAR(36), vcpus INT, memory_mb INT, local_gb INT, vcpus_used INT, memory_mb_used INT,
        local_gb_used INT, hypervisor_type MEDIUMTEXT, hypervisor_version INT, hypervisor_hostname VARCHAR(255),
        cpu_info MEDIUMTEXT, running_vms INT, cpu_allocation_ratio FLOAT, ram_allocation_ratio FLOAT,
        PRIMARY KEY (id), UNIQUE KEY uniq_compute_nodes0host0hypervisor_hostname0deleted (host, hypervisor_hostname, deleted)`,
      *rows(s) {
        for (const [k, host] of s.computes.entries()) {
          const mine = Math.ceil((s.instances - k) / s.computes.length);
          yield [k + 1, timeAt(k), timeAt(20_000 + k), null, 0, k + 3, host, uuidOf('compute_node', host), 64, 262144, 2000,
            mine * 2, mine * 4096, mine * 40, 'QEMU', 7002000, `${host}.lab`,
            JSON.stringify({ arch: 'x86_64', model: 'Haswell-noTSX', vendor: 'Intel', topology: { cells: 2, sockets: 1, cores: 16, threads: 2 } }),
            mine, 4.0, 1.5];
        }
      },
    },
    {
      name: 'migrations',
      ddl: `id INT NOT NULL AUTO_INCREMENT, ${COMMON}, deleted INT DEFAULT 0, source_compute VARCHAR(255),
        dest_compute VARCHAR(255), status VARCHAR(255), instance_uuid VARCHAR(36), migration_type VARCHAR(255),
        PRIMARY KEY (id)`,
      *rows(s) {
        for (let i = 0; i < s.instances; i += 10) {
          yield [i / 10 + 1, timeAt(i + 30), timeAt(i + 40), null, 0, hostOf(s, i + 1), hostOf(s, i), 'completed', instanceUuid(i), 'live-migration'];
        }
      },
    },
  ],
};
