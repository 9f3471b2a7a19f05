import { projectId, userId } from './nova.js';
import { hexOf, timeAt } from './random.js';
import type { DatabaseSeed } from './types.js';

const SERVICES: Array<[string, string, number]> = [['keystone', 'identity', 5000], ['nova', 'compute', 8774],
  ['glance', 'image', 9292], ['cinderv3', 'volumev3', 8776], ['placement', 'placement', 8778], ['swift', 'object-store', 8080]];
const ROLES = ['admin', 'member', 'reader', 'service'];
const roleId = (r: number): string => hexOf(32, 'role', r);

/** The keystone database: projects, users with passwords, roles, assignments, catalog. */
export const keystoneDb: DatabaseSeed = {
  name: 'keystone',
  tables: [
    {
      name: 'project',
      ddl: `id VARCHAR(64) NOT NULL, name VARCHAR(64) NOT NULL, extra TEXT, description TEXT, enabled TINYINT(1),
        domain_id VARCHAR(64) NOT NULL, parent_id VARCHAR(64), is_domain TINYINT(1) NOT NULL DEFAULT 0,
        PRIMARY KEY (id), UNIQUE KEY ixu_project_name_domain_id (domain_id, name)`,
      *rows(s) {
        yield ['default', 'Default', '{}', 'The default domain', 1, '<<keystone.domain.root>>', null, 1];
        for (let p = 0; p < s.projects; p++) {
          yield [projectId(p), p === 0 ? 'admin' : p === 1 ? 'service' : `project-${p}`, '{}', `project ${p}`, 1, 'default', 'default', 0];
        }
      },
    },
    {
      name: 'user',
      ddl: `id VARCHAR(64) NOT NULL, extra TEXT, enabled TINYINT(1), default_project_id VARCHAR(64), created_at DATETIME,
        last_active_at DATE, domain_id VARCHAR(64) NOT NULL, PRIMARY KEY (id)`,
      *rows(s) {
        for (let u = 0; u < s.users; u++) yield [userId(u), '{}', 1, projectId(u % s.projects), timeAt(u), '2024-02-01', 'default'];
      },
    },
    {
      name: 'local_user',
      ddl: `id INT NOT NULL AUTO_INCREMENT, user_id VARCHAR(64) NOT NULL, domain_id VARCHAR(64) NOT NULL, name VARCHAR(255) NOT NULL,
        failed_auth_count INT, failed_auth_at DATETIME, PRIMARY KEY (id), UNIQUE KEY (domain_id, name), UNIQUE KEY (user_id)`,
      *rows(s) {
        const names = ['admin', 'nova', 'glance', 'cinder', 'placement', 'swift'];
        for (let u = 0; u < s.users; u++) yield [u + 1, userId(u), 'default', names[u] ?? `user-${u}`, 0, null];
      },
    },
    {
      name: 'password',
      ddl: `id INT NOT NULL AUTO_INCREMENT, local_user_id INT NOT NULL, expires_at DATETIME, self_service TINYINT(1) NOT NULL DEFAULT 0,
        password_hash VARCHAR(255), created_at_int BIGINT NOT NULL DEFAULT 0, expires_at_int BIGINT, created_at DATETIME NOT NULL,
        PRIMARY KEY (id)`,
      *rows(s) {
        for (let u = 0; u < s.users; u++) {
          yield [u + 1, u + 1, null, 0, `$2b$12$${hexOf(53, 'pw', u)}`, 1705305600000000 + u, null, timeAt(u)];
        }
      },
    },
    {
      name: 'role',
      ddl: `id VARCHAR(64) NOT NULL, name VARCHAR(255) NOT NULL, extra TEXT, domain_id VARCHAR(64) NOT NULL DEFAULT '<<null>>',
        description TEXT, PRIMARY KEY (id), UNIQUE KEY ixu_role_name_domain_id (name, domain_id)`,
      *rows() {
        for (const [r, name] of ROLES.entries()) yield [roleId(r), name, '{}', '<<null>>', null];
      },
    },
    {
      name: 'assignment',
      ddl: `type ENUM('UserProject','GroupProject','UserDomain','GroupDomain') NOT NULL, actor_id VARCHAR(64) NOT NULL,
        target_id VARCHAR(64) NOT NULL, role_id VARCHAR(64) NOT NULL, inherited TINYINT(1) NOT NULL,
        PRIMARY KEY (type, actor_id, target_id, role_id, inherited)`,
      *rows(s) {
        for (let u = 0; u < s.users; u++) yield ['UserProject', userId(u), projectId(u % s.projects), roleId(u === 0 ? 0 : u < 6 ? 3 : 1), 0];
      },
    },
    {
      name: 'region',
      ddl: `id VARCHAR(255) NOT NULL, description VARCHAR(255) NOT NULL, parent_region_id VARCHAR(255), extra TEXT, PRIMARY KEY (id)`,
      *rows() {
        yield ['RegionOne', 'lab region', null, '{}'];
      },
    },
    {
      name: 'service',
      ddl: `id VARCHAR(64) NOT NULL, type VARCHAR(255), enabled TINYINT(1) NOT NULL DEFAULT 1, extra TEXT, PRIMARY KEY (id)`,
      *rows() {
        for (const [name, type] of SERVICES) yield [hexOf(32, 'service', name), type, 1, JSON.stringify({ name, description: `${name} service` })];
      },
    },
    {
      name: 'endpoint',
      ddl: `id VARCHAR(64) NOT NULL, legacy_endpoint_id VARCHAR(64), interface VARCHAR(8) NOT NULL, service_id VARCHAR(64) NOT NULL,
        url TEXT NOT NULL, extra TEXT, enabled TINYINT(1) NOT NULL DEFAULT 1, region_id VARCHAR(255), PRIMARY KEY (id)`,
      *rows() {
        for (const [name, , port] of SERVICES) {
          for (const iface of ['public', 'internal', 'admin']) {
            yield [hexOf(32, 'endpoint', name, iface), null, iface, hexOf(32, 'service', name), `http://ctl1:${port}/`, '{}', 1, 'RegionOne'];
          }
        }
      },
    },
  ],
};
