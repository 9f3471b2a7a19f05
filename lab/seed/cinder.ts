import { instanceUuid, projectId, userId } from './nova.js';
import { timeAt, uuidOf } from './random.js';
import { COMMON, type DatabaseSeed } from './types.js';

export const volumeUuid = (v: number): string => uuidOf('volume', v);
const TYPES = ['__DEFAULT__', 'lvm-fast', 'lvm-bulk'];

/** The cinder database: volumes, attachments, snapshots, backups, types, services. */
export const cinderDb: DatabaseSeed = {
  name: 'cinder',
  tables: [
    {
      name: 'volume_types',
      ddl: `id VARCHAR(36) NOT NULL, ${COMMON}, deleted TINYINT(1), name VARCHAR(255), is_public TINYINT(1),
        description VARCHAR(255), PRIMARY KEY (id)`,
      *rows() {
        for (const [k, name] of TYPES.entries()) yield [uuidOf('vtype', k), timeAt(0), null, null, 0, name, 1, `${name} volumes`];
      },
    },
    {
      name: 'volumes',
      ddl: `id VARCHAR(36) NOT NULL, ${COMMON}, deleted TINYINT(1), ec2_id VARCHAR(255), user_id VARCHAR(255),
        project_id VARCHAR(255), host VARCHAR(255), size INT, availability_zone VARCHAR(255), status VARCHAR(255),
        attach_status VARCHAR(255), display_name VARCHAR(255), display_description VARCHAR(255), provider_location VARCHAR(256),
        volume_type_id VARCHAR(36) NOT NULL, bootable TINYINT(1), multiattach TINYINT(1), service_uuid VARCHAR(36),
        PRIMARY KEY (id), KEY volumes_service_uuid_idx (service_uuid, deleted)`,
      *rows(s) {
        for (let v = 0; v < s.volumes; v++) {
          const attached = v % 2 === 0;
          yield [volumeUuid(v), timeAt(v), timeAt(v + 3), null, 0, null, userId(v % s.users), projectId(v % s.projects),
            'stor1@lvm#lvm', 1 + (v % 10) * 10, 'nova', attached ? 'in-use' : 'available', attached ? 'attached' : 'detached',
            `vol-${v}`, null, `127.0.0.1:3260,iqn.2010-10.org.openstack:volume-${volumeUuid(v)} 1`,
            uuidOf('vtype', v % TYPES.length), v % 5 === 0 ? 1 : 0, 0, uuidOf('cinder-service', 'stor1')];
        }
      },
    },
    {
      name: 'volume_attachment',
      ddl: `id VARCHAR(36) NOT NULL, ${COMMON}, deleted TINYINT(1), volume_id VARCHAR(36) NOT NULL, attached_host VARCHAR(255),
        instance_uuid VARCHAR(36), mountpoint VARCHAR(255), attach_time DATETIME, attach_mode VARCHAR(36), attach_status VARCHAR(255),
        connection_info TEXT, PRIMARY KEY (id)`,
      *rows(s) {
        for (let v = 0; v < s.volumes; v += 2) {
          yield [uuidOf('attachment', v), timeAt(v), null, null, 0, volumeUuid(v), null, instanceUuid(v % s.instances), '/dev/vdb',
            timeAt(v + 4), 'rw', 'attached', JSON.stringify({ driver_volume_type: 'iscsi', data: { target_lun: 1, volume_id: volumeUuid(v) } })];
        }
      },
    },
    {
      name: 'snapshots',
      ddl: `id VARCHAR(36) NOT NULL, ${COMMON}, deleted TINYINT(1), volume_id VARCHAR(36) NOT NULL, user_id VARCHAR(255),
        project_id VARCHAR(255), status VARCHAR(255), progress VARCHAR(255), volume_size INT, display_name VARCHAR(255),
        PRIMARY KEY (id)`,
      *rows(s) {
        for (let v = 0; v < s.volumes; v += 4) {
          yield [uuidOf('snapshot', v), timeAt(v + 10), null, null, 0, volumeUuid(v), userId(v % s.users), projectId(v % s.projects), 'available', '100%', 1 + (v % 10) * 10, `snap-${v}`];
        }
      },
    },
    {
      name: 'backups',
      ddl: `id VARCHAR(36) NOT NULL, ${COMMON}, deleted TINYINT(1), volume_id VARCHAR(36) NOT NULL, user_id VARCHAR(255),
        project_id VARCHAR(255), host VARCHAR(255), status VARCHAR(255), container VARCHAR(255), size INT,
        object_count INT, PRIMARY KEY (id)`,
      *rows(s) {
        for (let v = 1; v < s.volumes; v += 5) {
          yield [uuidOf('backup', v), timeAt(v + 20), null, null, 0, volumeUuid(v), userId(v % s.users), projectId(v % s.projects), 'stor1', 'available', 'volumebackups', 1 + (v % 10) * 10, 3];
        }
      },
    },
    {
      name: 'services',
      ddl: `id INT NOT NULL AUTO_INCREMENT, ${COMMON}, deleted TINYINT(1), host VARCHAR(255), \`binary\` VARCHAR(255),
        topic VARCHAR(255), report_count INT NOT NULL, disabled TINYINT(1), availability_zone VARCHAR(255),
        uuid VARCHAR(36), PRIMARY KEY (id)`,
      *rows() {
        const list: Array<[string, string]> = [['ctl1', 'cinder-scheduler'], ['ctl1', 'cinder-api'], ['stor1@lvm', 'cinder-volume']];
        for (const [k, [host, binary]] of list.entries()) yield [k + 1, timeAt(k), timeAt(9000 + k), null, 0, host, binary, binary.slice(7), 500 + k, 0, 'nova', uuidOf('cinder-service', host.split('@')[0] ?? host)];
      },
    },
  ],
};
