import { MYSQL_PORT } from '../config.js';

/** Owner ids of the OpenStack service accounts (numeric: the lab adds no users to the machine). */
export const IDS = { root: 0, nova: 64060, glance: 64061, keystone: 64062, cinder: 64063, swift: 64064 } as const;

const db = (user: string, name: string): string =>
  `mysql+pymysql://${user}:${user}-lab-pass@ctl1:${MYSQL_PORT}/${name}?charset=utf8`;

const authtoken = (user: string): string => `[keystone_authtoken]
www_authenticate_uri = http://ctl1:5000/
auth_url = http://ctl1:5000/
memcached_servers = ctl1:11211
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = ${user}
password = ${user}-keystone-pass
`;

export function novaConf(role: 'controller' | 'compute', address: string): string {
  const common = `[DEFAULT]
my_ip = ${address}
transport_url = rabbit://openstack:rabbit-lab-pass@ctl1:5672/
state_path = /var/lib/nova
log_dir = /var/log/nova
enabled_apis = osapi_compute,metadata
`;
  const dbs = role === 'controller'
    ? `\n[api_database]\nconnection = ${db('nova', 'nova_api')}\n\n[database]\nconnection = ${db('nova', 'nova')}\n`
    : '';
  return `${common}${dbs}
[api]
auth_strategy = keystone

${authtoken('nova')}
[vnc]
enabled = true
server_listen = ${role === 'controller' ? '$my_ip' : '0.0.0.0'}
server_proxyclient_address = $my_ip
novncproxy_base_url = http://ctl1:6080/vnc_auto.html

[glance]
api_servers = http://ctl1:9292

[oslo_concurrency]
lock_path = /var/lib/nova/tmp

[placement]
region_name = RegionOne
project_domain_name = Default
project_name = service
auth_type = password
user_domain_name = Default
auth_url = http://ctl1:5000/v3
username = placement
password = placement-keystone-pass
${role === 'compute' ? '\n[libvirt]\nvirt_type = qemu\nimages_type = qcow2\n' : ''}`;
}

export const glanceConf = (): string => `[DEFAULT]
bind_host = 0.0.0.0
bind_port = 9292
log_dir = /var/log/glance
enabled_backends = fs:file

[database]
connection = ${db('glance', 'glance')}

${authtoken('glance')}
[paste_deploy]
flavor = keystone

[glance_store]
default_backend = fs

[fs]
filesystem_store_datadir = /var/lib/glance/images/
`;

export const keystoneConf = (): string => `[DEFAULT]
log_dir = /var/log/keystone

[database]
connection = ${db('keystone', 'keystone')}

[token]
provider = fernet

[fernet_tokens]
key_repository = /etc/keystone/fernet-keys/

[credential]
key_repository = /etc/keystone/credential-keys/
`;

export function cinderConf(role: 'controller' | 'storage', address: string): string {
  const backend = role === 'storage'
    ? `enabled_backends = lvm\n\n[lvm]\nvolume_driver = cinder.volume.drivers.lvm.LVMVolumeDriver\nvolume_group = cinder-volumes\ntarget_protocol = iscsi\ntarget_helper = tgtadm\nvolumes_dir = /var/lib/cinder/volumes\n`
    : '';
  return `[DEFAULT]
my_ip = ${address}
transport_url = rabbit://openstack:rabbit-lab-pass@ctl1:5672/
auth_strategy = keystone
state_path = /var/lib/cinder
log_dir = /var/log/cinder
glance_api_servers = http://ctl1:9292
${backend}
[database]
connection = ${db('cinder', 'cinder')}

${authtoken('cinder')}
[oslo_concurrency]
lock_path = /var/lib/cinder/tmp
`;
}

export const swiftConf = (): string => `[swift-hash]
swift_hash_path_suffix = lab-suffix-7f3a
swift_hash_path_prefix = lab-prefix-91c2

[storage-policy:0]
name = Policy-0
default = yes
`;

export const swiftProxyConf = (): string => `[DEFAULT]
bind_port = 8080
user = swift
swift_dir = /etc/swift

[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache authtoken keystoneauth proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = True
`;

export const pasteIni = (service: string): string => `# ${service} paste deployment (lab)
[composite:${service}]
use = egg:Paste#urlmap
/ = ${service}versions

[pipeline:${service}versions]
pipeline = cors http_proxy_to_wsgi ${service}versionsapp
`;
