import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  DEFAULT_COMPUTES, DEFAULT_DB_SIZE, DEFAULT_PORT, MAX_COMPUTES, MAX_DB_SIZE, MYSQL_PORT,
  type LabConfig, type LabHost, type LabKind, defaultInventoryPath, kindOf, labDirFromEnv, labHosts, parseSize, preferredNet,
} from './config.js';
import { mapLimit, run } from './exec.js';
import { sudoInventory, writeInventory } from './inventory.js';
import { initDatadir, seedDatabases } from './mariadb.js';
import { isGalera, membersOf } from './galera/config.js';
import { GALERA_DB_USER, ownMemberDirs, restartCluster, startCluster, stopCluster } from './galera/cluster.js';
import { ensureMountPoints, mustHostShell, startHolder, stopHost } from './namespace.js';
import { ensureOpenstackPackages, ensurePackages } from './packages.js';
import { buildGolden, prepareComputeFiles, prepareControllerFiles, stopServices } from './openstack/build.js';
import { cacheKey, cacheRoot, hasGolden, restoreGolden, saveGolden } from './openstack/cache.js';
import { seedHostFiles } from './seed/files.js';
import { seedScale } from './seed/index.js';
import { installScripts, unitsOf, writeHostUnits } from './services.js';
import { ensureClientKey, listening, prepareSshd, sshFiles, startSshd, writeKnownHosts } from './sshd.js';
import { prepareSwiftHost } from './swift/host.js';
import { prepareSudoUser } from './users.js';

/** Options of `lab up`; everything has a default. */
export interface LabOptions {
  /** The lab state folder; default LAB_DIR or <repo>/.lab. */
  dir?: string;
  /** Number of compute hosts, 1..250; default 2. */
  computes?: number;
  /** Seeded database size: bytes or "4M", "1G"; default 4M. */
  dbSize?: number | string;
  /** Second octet of the host addresses; default LAB_NET, else 77 (default lab) or a free one. */
  net?: number;
  /** sshd port of every host; default LAB_PORT or 2222. */
  port?: number;
  /** Where to write the inventory; default inventory/lab.yaml (default lab) or <dir>/inventory/lab.yaml. */
  inventory?: string;
  /** simulated (default) or openstack: the real services from Debian's packages (lab/README.md). */
  kind?: LabKind;
  /** The off-site Swift host site2 (lab/swift); default: as the lab in `dir` was, else none. */
  offsite?: boolean;
  /** Three controllers ctl1..ctl3 as one Galera cluster (lab/galera); default: as the lab in `dir` was, else one controller. */
  galera?: boolean;
  /** Progress lines; default silent. */
  log?: (line: string) => void;
}

/** A running lab: what tests and drills need to reach it. */
export interface Lab {
  config: LabConfig;
  hosts: LabHost[];
  /** Absolute path of the Ansible inventory. */
  inventory: string;
  /** The same hosts, logged into as the operator account with sudo (ansible_become). */
  sudoInventory: string;
  knownHosts: string;
  privateKey: string;
  /** Milliseconds `up` took. */
  upMs: number;
}

interface Saved {
  config: LabConfig;
  /** True once seeding finished: a later up keeps the data (a reboot, not a reinstall). */
  seeded: boolean;
}

const savedPath = (dir: string): string => join(dir, 'lab.json');

export function readSaved(dir: string): Saved | undefined {
  try {
    return JSON.parse(readFileSync(savedPath(dir), 'utf8')) as Saved;
  } catch {
    return undefined;
  }
}

function save(saved: Saved): void {
  writeFileSync(savedPath(saved.config.dir), `${JSON.stringify(saved, null, 2)}\n`);
}

/** The lab in a folder, as last brought up (its hosts may be down). */
export function openLab(dir = labDirFromEnv()): Lab {
  const saved = readSaved(resolve(dir));
  if (!saved) throw new Error(`lab: no lab in ${dir} (run: npm run lab -- up)`);
  const ssh = sshFiles(saved.config);
  return { config: saved.config, hosts: labHosts(saved.config), inventory: saved.config.inventory, sudoInventory: sudoInventory(saved.config.inventory), knownHosts: ssh.knownHosts, privateKey: ssh.privateKey, upMs: 0 };
}

const sameShape = (a: LabConfig, b: LabConfig): boolean =>
  kindOf(a) === kindOf(b) && isGalera(a) === isGalera(b) && a.computes === b.computes && a.dbSize === b.dbSize && a.net === b.net && a.port === b.port;

async function chooseNet(dir: string, port: number, explicit: number | undefined, previous: number | undefined): Promise<number> {
  const free = async (net: number): Promise<boolean> =>
    !(await listening(`127.${net}.1.1`, port)) && !(await listening(`127.${net}.1.1`, MYSQL_PORT));
  if (explicit !== undefined) {
    if (!(explicit >= 1 && explicit <= 254)) throw new Error(`lab: net must be 1..254, not ${explicit}`);
    if (!(await free(explicit))) throw new Error(`lab: 127.${explicit}.1.1:${port} is in use (another lab?); choose another LAB_NET`);
    return explicit;
  }
  const start = previous ?? preferredNet(dir);
  for (let i = 0; i < 150; i++) {
    const net = 100 + ((start - 100 + i + 150) % 150);
    const candidate = i === 0 ? start : net;
    if (await free(candidate)) return candidate;
  }
  throw new Error('lab: no free address range 127.100-249.x.x');
}

function resolveOptions(options: LabOptions): Omit<LabConfig, 'net'> & { net?: number; kind: LabKind } {
  const dir = resolve(options.dir ?? labDirFromEnv());
  const computes = options.computes ?? DEFAULT_COMPUTES;
  if (!Number.isInteger(computes) || computes < 1 || computes > MAX_COMPUTES) {
    throw new Error(`lab: --computes must be 1..${MAX_COMPUTES}, not ${computes}`);
  }
  const dbSize = typeof options.dbSize === 'string' ? parseSize(options.dbSize) : options.dbSize ?? DEFAULT_DB_SIZE;
  if (dbSize < 64 * 1024 || dbSize > MAX_DB_SIZE) throw new Error('lab: --db-size must be between 64K and 1G');
  const envPort = process.env['LAB_PORT'];
  const port = options.port ?? (envPort ? Number(envPort) : DEFAULT_PORT);
  const envNet = process.env['LAB_NET'];
  const net = options.net ?? (envNet ? Number(envNet) : undefined);
  return { dir, kind: options.kind ?? 'simulated', ...(options.galera ? { galera: true } : {}), computes, dbSize, port, inventory: resolve(options.inventory ?? defaultInventoryPath(dir)), ...(net === undefined ? {} : { net }) };
}

/** Every host folder of the lab, including hosts of an earlier, larger lab. */
function hostDirs(config: LabConfig): LabHost[] {
  const hosts = labHosts(config);
  const known = new Set(hosts.map((h) => h.name));
  const root = join(config.dir, 'hosts');
  const extra = existsSync(root) ? readdirSync(root).filter((n) => !known.has(n)) : [];
  return [...hosts, ...extra.map((name): LabHost => ({ ...hosts[1]!, name, dir: join(root, name) }))];
}

function writeEtcHosts(config: LabConfig, hosts: readonly LabHost[]): void {
  const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', ...hosts.map((h) => `${h.address}\t${h.name}.lab ${h.name}`)];
  writeFileSync(join(config.dir, 'etc-hosts'), `${lines.join('\n')}\n`);
}

/**
 * Brings the lab up: stops what a crashed earlier run left, keeps the data of a completed
 * earlier lab of the same shape (or seeds a new one), starts every host's namespace, sshd and
 * services, and writes known_hosts and the inventory.
 */
export async function up(options: LabOptions = {}): Promise<Lab> {
  const t0 = Date.now();
  const log = options.log ?? ((): void => undefined);
  const wanted = resolveOptions(options);
  mkdirSync(wanted.dir, { recursive: true });
  const previous = readSaved(wanted.dir);
  // Without a kind, a lab stays what it was (a reboot); a new one is simulated.
  if (options.kind === undefined && previous) wanted.kind = kindOf(previous.config);
  // So does its off-site host; adding or removing it keeps the other hosts' data.
  const offsite = options.offsite ?? previous?.config.offsite ?? false;
  if (options.galera === undefined && previous && isGalera(previous.config)) wanted.galera = true;
  if (wanted.galera && wanted.kind === 'openstack') throw new Error('lab: --galera runs the simulated services only (the real ones on three controllers need more CPU than a lab machine has)');
  if (previous) await down(wanted.dir);
  await ensurePackages(log);
  const openstack = wanted.kind === 'openstack';
  if (openstack) await ensureOpenstackPackages(log);
  ensureMountPoints();
  const net = await chooseNet(wanted.dir, wanted.port, wanted.net, previous?.config.net);
  const config: LabConfig = { ...wanted, net, ...(offsite ? { offsite } : {}) };
  const fresh = !previous?.seeded || !sameShape(previous.config, config);
  if (fresh) rmSync(join(config.dir, 'hosts'), { recursive: true, force: true });
  save({ config, seeded: !fresh });
  const hosts = labHosts(config);
  const [ctl, ...others] = hosts;
  if (!ctl) throw new Error('lab: no hosts');
  // The OpenStack hosts: the golden state is theirs; the off-site host is lab/swift's.
  const cloud = hosts.filter((h) => h.role !== 'offsite');
  // The real-OpenStack lab's data is a copy of the golden state (cached), or built now.
  const golden = fresh && openstack ? await cacheKey(config.computes) : undefined;
  const build = golden !== undefined && !hasGolden(golden);
  if (golden !== undefined && !build) {
    log(`copying the cached OpenStack state ${golden} (${cacheRoot()})`);
    await restoreGolden(golden, cloud);
  }
  log(`${fresh ? (build ? 'building' : 'seeding') : 'starting'} ${hosts.length} hosts in ${config.dir} (127.${net}.x.x port ${config.port})`);
  installScripts(config);
  if (openstack) await letServicesRead(config);
  writeEtcHosts(config, hosts);
  const ssh = await ensureClientKey(config);
  const scale = seedScale(config.dbSize, config.computes);

  const bringUp = async (h: LabHost): Promise<void> => {
    if (fresh && !openstack) seedHostFiles(h, scale);
    if (build) await prepareOpenstackFiles(h);
    await prepareSshd(h, ssh);
    // The real services run as the packages' users (the machine's ids); the simulated lab's
    // files belong to the seed's ids, named in the hosts' account files.
    prepareSudoUser(h, readFileSync(ssh.publicKey), { serviceAccounts: !openstack });
    writeHostUnits(h, config, ctl);
    await startHolder(h);
    if (h.role === 'offsite') await prepareSwiftHost(h, config);
    await startSshd(h);
  };
  const database = async (): Promise<void> => {
    await bringUp(ctl);
    await initDatadir(ctl, openstack ? 'mysql' : 'root');
    await mustHostShell(ctl, 'systemctl start mariadb');
    if (fresh && !openstack) await seedDatabases(ctl, scale);
    log(`ctl1: mariadb ${fresh && !openstack ? 'seeded' : 'started'}`);
  };
  const cluster = async (): Promise<void> => {
    const members = membersOf(hosts);
    await mapLimit(members, 3, async (m) => {
      await bringUp(m);
      await ownMemberDirs(m);
    });
    if (!fresh) return restartCluster(members, log);
    await initDatadir(ctl, GALERA_DB_USER);
    await startCluster(ctl, [], log);
    await seedDatabases(ctl, scale);
    log('ctl1: mariadb seeded');
    await startCluster(undefined, members.slice(1), log);
  };
  if (isGalera(config)) await Promise.all([cluster(), mapLimit(others.filter((h) => h.role !== 'controller'), 6, bringUp)]);
  else await Promise.all([database(), mapLimit(others, 6, bringUp)]);
  writeKnownHosts(hosts, ssh);
  writeInventory(config, hosts, ssh);
  if (build && golden !== undefined) await buildAndCacheGolden(config, cloud, golden, log);
  await startServices(config, hosts, log);
  save({ config, seeded: true });
  const upMs = Date.now() - t0;
  log(`lab up in ${(upMs / 1000).toFixed(1)} s; inventory ${config.inventory}`);
  return { config, hosts, inventory: config.inventory, sudoInventory: sudoInventory(config.inventory), knownHosts: ssh.knownHosts, privateKey: ssh.privateKey, upMs };
}

/**
 * Builds the real-OpenStack lab's golden state in the running hosts, stops every service to
 * save it in the cache (a consistent copy), and starts MariaDB again for the services' start.
 */
async function buildAndCacheGolden(config: LabConfig, hosts: LabHost[], key: string, log: (line: string) => void): Promise<void> {
  const t0 = Date.now();
  const [ctl] = hosts;
  if (!ctl) throw new Error('lab: no hosts');
  await buildGolden(ctl, hosts.filter((h) => h.role === 'compute'), log);
  log('openstack build: stopping every service to save the golden state');
  await stopServices(hosts, (h) => unitsOf(h, config).map((u) => u.name));
  log(`openstack build: saved as ${await saveGolden(key, hosts)} (build ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  await mustHostShell(ctl, 'systemctl start mariadb');
}

/** Starts every host's services but mariadb (started already). */
async function startServices(config: LabConfig, hosts: LabHost[], log: (line: string) => void): Promise<void> {
  const startAll = async (h: LabHost): Promise<void> => {
    const names = unitsOf(h, config).map((u) => u.name).filter((n) => n !== 'mariadb');
    if (names.length > 0) await mustHostShell(h, `systemctl start ${names.join(' ')}`);
  };
  if (kindOf(config) !== 'openstack') {
    await mapLimit(hosts, 6, startAll);
    return;
  }
  // The computes need ctl1's RabbitMQ and APIs: ctl1 first, in order (each start waits until it answers).
  const t0 = Date.now();
  const [ctl, ...others] = hosts;
  if (ctl) await startAll(ctl);
  await mapLimit(others, 6, startAll);
  log(`openstack services started in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

/**
 * The real daemons run as their users and read files from the lab folder (uwsgi inis, the
 * neutron stub, nova-compute's entry point): the folder (a mkdtemp one is 0700) must let them
 * through. Its secrets stay in 0700 subfolders (ssh/).
 */
async function letServicesRead(config: LabConfig): Promise<void> {
  chmodSync(config.dir, statSync(config.dir).mode | 0o011);
  const probe = join(config.dir, 'bin', 'neutron-stub.py');
  const r = await run('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', '--', 'test', '-r', probe]);
  if (r.code !== 0) throw new Error(`lab: the OpenStack services cannot read ${probe} (a parent folder of LAB_DIR is not searchable by other users); choose another LAB_DIR`);
}

/** The golden build's starting point of a host: the packages' files and the lab's configs. */
async function prepareOpenstackFiles(h: LabHost): Promise<void> {
  if (h.role === 'controller') await prepareControllerFiles(h);
  if (h.role === 'compute') await prepareComputeFiles(h);
}

/** Stops every process of every lab host (and only those); the data stays. */
export async function down(dir = labDirFromEnv()): Promise<void> {
  const saved = readSaved(resolve(dir));
  if (!saved) return;
  // Members stopped one by one, ctl1 last: it is the one safe to bootstrap at the next up.
  if (isGalera(saved.config)) await stopCluster(membersOf(labHosts(saved.config)));
  await mapLimit(hostDirs(saved.config), 8, stopHost);
}

/** Down, forget the seeded data (keys stay), and up again with the same shape. */
export async function reset(options: LabOptions = {}): Promise<Lab> {
  const dir = resolve(options.dir ?? labDirFromEnv());
  const saved = readSaved(dir);
  await down(dir);
  rmSync(join(dir, 'hosts'), { recursive: true, force: true });
  if (saved) save({ config: saved.config, seeded: false });
  return up({
    ...(saved ? { kind: kindOf(saved.config), offsite: saved.config.offsite ?? false, galera: isGalera(saved.config), computes: saved.config.computes, dbSize: saved.config.dbSize, port: saved.config.port, net: saved.config.net, inventory: saved.config.inventory } : {}),
    ...options,
    dir,
  });
}
