import { imageUuid, projectId } from './nova.js';
import { hexOf, timeAt } from './random.js';
import { COMMON, type DatabaseSeed } from './types.js';

/** Size in bytes of the image file of image i (deterministic, see files.ts). */
export const imageSize = (i: number, perImage: number): number => perImage + (i % 7) * 1024;
const IMAGE_NAMES = ['cirros-0.6.2', 'debian-12', 'ubuntu-22.04', 'centos-stream-9', 'fedora-39', 'rocky-9', 'alpine-3.19'];

/** The glance database: images, their properties, locations, members and tags. */
export function glanceDb(perImage: number): DatabaseSeed {
  return {
    name: 'glance',
    tables: [
      {
        name: 'images',
        ddl: `id VARCHAR(36) NOT NULL, name VARCHAR(255), size BIGINT, status VARCHAR(30) NOT NULL, ${COMMON},
          deleted TINYINT(1) NOT NULL DEFAULT 0, disk_format VARCHAR(20), container_format VARCHAR(20),
          checksum VARCHAR(32), owner VARCHAR(255), min_disk INT NOT NULL DEFAULT 0, min_ram INT NOT NULL DEFAULT 0,
          protected TINYINT(1) NOT NULL DEFAULT 0, virtual_size BIGINT, visibility ENUM('private','public','shared','community') NOT NULL DEFAULT 'shared',
          os_hidden TINYINT(1) NOT NULL DEFAULT 0, os_hash_algo VARCHAR(64), os_hash_value VARCHAR(128),
          PRIMARY KEY (id), KEY ix_images_deleted (deleted)`,
        *rows(s) {
          for (let i = 0; i < s.images; i++) {
            yield [imageUuid(i), `${IMAGE_NAMES[i % IMAGE_NAMES.length]}-${i}`, imageSize(i, perImage), 'active', timeAt(i), timeAt(i + 1), null, 0,
              'qcow2', 'bare', hexOf(32, 'md5', i), projectId(0), 0, 0, 0, 2147483648, i % 3 ? 'public' : 'private', 0, 'sha512', hexOf(128, 'sha512', i)];
          }
        },
      },
      {
        name: 'image_properties',
        ddl: `id INT NOT NULL AUTO_INCREMENT, image_id VARCHAR(36) NOT NULL, name VARCHAR(255) NOT NULL, value TEXT, ${COMMON},
          deleted TINYINT(1) NOT NULL DEFAULT 0, PRIMARY KEY (id), UNIQUE KEY ix_image_properties_image_id_name (image_id, name)`,
        *rows(s) {
          let id = 1;
          for (let i = 0; i < s.images; i++) {
            for (const [k, v] of [['hw_disk_bus', 'virtio'], ['os_distro', IMAGE_NAMES[i % IMAGE_NAMES.length] ?? 'linux'], ['hw_qemu_guest_agent', 'yes']]) {
              yield [id++, imageUuid(i), k ?? '', v ?? '', timeAt(i), null, null, 0];
            }
          }
        },
      },
      {
        name: 'image_locations',
        ddl: `id INT NOT NULL AUTO_INCREMENT, image_id VARCHAR(36) NOT NULL, value TEXT NOT NULL, ${COMMON},
          deleted TINYINT(1) NOT NULL DEFAULT 0, meta_data TEXT, status VARCHAR(30) NOT NULL DEFAULT 'active', PRIMARY KEY (id)`,
        *rows(s) {
          for (let i = 0; i < s.images; i++) yield [i + 1, imageUuid(i), `file:///var/lib/glance/images/${imageUuid(i)}`, timeAt(i), null, null, 0, '{}', 'active'];
        },
      },
      {
        name: 'image_members',
        ddl: `id INT NOT NULL AUTO_INCREMENT, image_id VARCHAR(36) NOT NULL, member VARCHAR(255) NOT NULL, can_share TINYINT(1) NOT NULL DEFAULT 0,
          ${COMMON}, deleted TINYINT(1) NOT NULL DEFAULT 0, status VARCHAR(20) NOT NULL DEFAULT 'pending', PRIMARY KEY (id)`,
        *rows(s) {
          for (let i = 0; i < s.images; i += 3) yield [i / 3 + 1, imageUuid(i), projectId((i + 1) % s.projects), 0, timeAt(i), null, null, 0, 'accepted'];
        },
      },
      {
        name: 'image_tags',
        ddl: `id INT NOT NULL AUTO_INCREMENT, image_id VARCHAR(36) NOT NULL, value VARCHAR(255) NOT NULL, ${COMMON},
          deleted TINYINT(1) NOT NULL DEFAULT 0, PRIMARY KEY (id)`,
        *rows(s) {
          for (let i = 0; i < s.images; i++) yield [i + 1, imageUuid(i), i % 2 ? 'golden' : 'base', timeAt(i), null, null, 0];
        },
      },
    ],
  };
}
