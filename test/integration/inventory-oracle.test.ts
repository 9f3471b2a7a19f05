import { execFile } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { expandLimitFiles } from '../../src/inventory/limit-file.js';
import { type LoadOptions, loadInventory } from '../../src/inventory/load.js';
import { evaluatePattern, limitHosts, selectHosts } from '../../src/inventory/pattern.js';
import { inventoryJson } from '../../src/inventory/render.js';
import type { Inventory } from '../../src/inventory/types.js';
import { MASK } from '../../src/secrets/redactor.js';
import { runCli } from '../support/cli.js';

/*
 * Ansible as the oracle: every inventory of the corpus (public projects' inventories and one
 * case per feature, test/fixtures/inventories/ansible-corpus/README.md) is read by
 * `ansible-inventory --list` and by runbook, and compared group by group and host by host,
 * variable by variable; host patterns and --limit are compared with Ansible's InventoryManager.
 *
 * Deliberate differences, which the cases below do not exercise (docs/inventory.md lists them):
 * - A pattern term that matches nothing is an error in runbook; Ansible warns and goes on. The
 *   oracle runs with ANSIBLE_HOST_PATTERN_MISMATCH=error so that both refuse.
 * - A file that is neither YAML nor INI is an error; Ansible warns and skips it. The oracle runs
 *   with ANSIBLE_INVENTORY_UNPARSED_FAILED=true for the error cases.
 * - `-i a.yml,b.ini` is two sources in runbook; Ansible reads that text as a list of two hosts
 *   (it takes several sources as several `-i`), so that case passes them to Ansible that way.
 * - Ansible's implicit `localhost` (a pattern `localhost` without such a host) is not created.
 * - Floats print as 1000 where Ansible prints 1000.0 (equal once parsed, as compared here).
 * - The values of a vault-encrypted vars file are masked (`********`) in `--list`, where Ansible
 *   prints them decrypted: they are secrets. Ansible's listing is masked the same way before the
 *   comparison.
 * - Hosts of a pattern are compared as sets: Ansible orders grandchild groups by a Python set's
 *   iteration order, which changes from run to run. Subscripts are taken on flat groups only.
 */

const CORPUS = join(import.meta.dirname, '../fixtures/inventories/ansible-corpus');
const ORACLE_SCRIPT = join(import.meta.dirname, '../support/ansible-patterns.py');
const run = promisify(execFile);
const ANSIBLE_ENV = { ...process.env, ANSIBLE_CONFIG: '/nonexistent/ansible.cfg', ANSIBLE_NOCOLOR: '1', ANSIBLE_HOST_PATTERN_MISMATCH: 'error', ANSIBLE_INVENTORY_UNPARSED_FAILED: 'true', ANSIBLE_LOCALHOST_WARNING: 'false' };

interface OracleCase {
  id: string;
  /** Sources relative to the corpus folder; runbook gets them as one comma list. */
  sources: string[];
  vaultIds?: string[];
  patterns?: string[];
  /** [--limit, step pattern] */
  limits?: [string, string][];
}

const KOLLA_PATTERNS = ['all', 'control', 'baremetal:!control', 'nova:&network', 'chrony:&compute', 'control[0]', 'control[-1]', 'control[1:]', 'control[0:1]', '~control0[12]', '~(compute|storage)', 'contr*', 'compute0?', '[cn]*01', 'control,network', 'control:network', '!control', '&control', 'iscsid', 'ironic-conductor', 'localhost', 'deployment', 'nope', 'control,nope', 'control[7]'];
const CASES: OracleCase[] = [
  { id: 'kolla multinode (INI, pending children)', sources: ['kolla-multinode'], patterns: KOLLA_PATTERNS, limits: [['control[0]', 'all'], ['@limit-file', 'baremetal'], ['!control', 'chrony'], ['network,compute', 'control']] },
  { id: 'kayobe (directory, ranges, group_vars folder of files without extension)', sources: ['kayobe'], patterns: ['controllers', 'overcloud:!controllers', 'compute-vgpu[1]', 'ctl*', 'cmp-gpu-?', 'ntp:&seed', 'iommu', '~^ctl[01]$'] },
  { id: 'ceph-ansible all_daemons (INI values, group_vars/all without extension)', sources: ['ceph-all-daemons'], patterns: ['mons', 'osds:mons', 'all:!clients', 'mon[12]', 'mons[-1]', 'rbd-mirror0'] },
  { id: 'kubespray inventory.ini (hosts under [all], empty groups)', sources: ['kubespray-inventory.ini'], patterns: ['k8s-cluster', 'etcd:&kube-node', 'calico-rr', 'all:!k8s-cluster', 'node[1:2]'] },
  { id: 'kubespray inventory.yml (hosts as one multi-line scalar)', sources: ['kubespray-inventory.yml'], patterns: ['k8s-cluster', 'kube-node:!etcd', 'node[1:3]', 'etcd'] },
  { id: 'kubespray hosts.yaml (groups with no hosts)', sources: ['kubespray-hosts.yaml'], patterns: ['etcd'] },
  { id: 'INI values (literal_eval), ports, ranges', sources: ['features/ini-values.ini'], patterns: ['db', 'db-?.example.com', 'db0[1-2]-node1', '10.0.0.2', 'stepped*', 'web:db', 'web[0]', 'web[1:]', 'ungrouped', '~^web\\d'] },
  { id: 'IPv6 and host:port', sources: ['features/ipv6-ports.ini'], patterns: ['2001:db8::1', 'fe80::1%eth0', '::1', 'v6', 'v4:v6', 'v4,!192.0.2.1', 'host.example.com', '192.0.2.*'] },
  { id: 'INI [g:children] declared before the child', sources: ['features/pending-children.ini'], patterns: ['parent', 'child_declared_later', 'parent:!grandchild'] },
  { id: 'YAML host ranges and ports in keys', sources: ['features/ranges.yaml'], patterns: ['web', 'db', 'www0[13].example.com', 'api-*', 'web[2:3]', 'db[-1]', '10.1.0.*'] },
  { id: 'YAML 1.1 scalars as PyYAML reads them', sources: ['features/yaml11.yaml'] },
  { id: 'YAML anchors, aliases, << merges and duplicate keys in the structure', sources: ['features/yaml-anchors.yml'], patterns: ['web', 'x-base', 'all'] },
  { id: 'ansible_group_priority orders merges', sources: ['features/group-priority.yaml'] },
  { id: 'ansible_ssh_* aliases', sources: ['features/ssh-aliases.ini'] },
  { id: 'directory: sorted, recursive, ignored files', sources: ['features/dir-inventory'], patterns: ['app', 'db', 'app:&db', 'app[-1]', 'ignored*'] },
  { id: 'group_vars/host_vars precedence (folders, first extension wins)', sources: ['features/gv-precedence'], patterns: ['web', 'web_child', 'web:!web_child'] },
  { id: 'two directories, each with its group_vars (the later source wins)', sources: ['features/gv-precedence', 'features/dir-inventory'], patterns: ['web:app', 'all:!db'] },
  { id: 'comma list of sources', sources: ['features/ranges.yaml', 'features/pending-children.ini', 'kolla-multinode'], patterns: ['web:parent', 'control:&baremetal'] },
  { id: 'vault: !vault values and an encrypted group_vars file', sources: ['features/vault/hosts.yml'], vaultIds: ['default@features/vault/vault-password', 'prod@features/vault/prod-password'] },
];
const ERROR_CASES = ['bad-range.ini', 'broken.yaml', 'host-without-equals.ini', 'prose', 'undefined-child.ini', 'unknown-section.ini', 'vars-without-group.ini'];

type ListJson = Record<string, { hosts?: string[]; children?: string[] }> & { _meta: { hostvars: Record<string, Record<string, unknown>> } };
type PatternAnswer = string[] | { error: string };
const theirs = new Map<string, ListJson | { failed: string }>();
let patternAnswers: Record<string, { patterns: Record<string, PatternAnswer>; limits: PatternAnswer[] }> = {};

async function ansibleInventory(sources: string[], vaultIds: string[] = []): Promise<ListJson | { failed: string }> {
  const args = [...sources.flatMap((s) => ['-i', s]), ...vaultIds.flatMap((v) => ['--vault-id', v]), '--list'];
  try {
    const { stdout } = await run('ansible-inventory', args, { cwd: CORPUS, env: ANSIBLE_ENV, maxBuffer: 1 << 24 });
    return JSON.parse(stdout) as ListJson;
  } catch (error) {
    return { failed: String((error as { stderr?: string }).stderr ?? error) };
  }
}

/** Runs `jobs` two at a time (ansible takes about a second to start; the machine has two cores). */
async function twoAtATime(jobs: (() => Promise<void>)[]): Promise<void> {
  const queue = [...jobs];
  await Promise.all([0, 1].map(async () => {
    for (let job = queue.shift(); job; job = queue.shift()) await job();
  }));
}

beforeAll(async () => {
  const limitFile = join(mkdtempSync(join(tmpdir(), 'limit-')), 'hosts');
  writeFileSync(limitFile, 'control02\n\nnetwork01\n');
  for (const c of CASES) c.limits = c.limits?.map(([limit, pattern]) => [limit.replace('@limit-file', `@${limitFile}`), pattern]);
  const jobs = [
    ...CASES.map((c) => async () => void theirs.set(c.id, await ansibleInventory(c.sources, c.vaultIds))),
    ...ERROR_CASES.map((file) => async () => void theirs.set(file, await ansibleInventory([`features/errors/${file}`]))),
    async () => {
      const input = CASES.filter((c) => c.patterns || c.limits).map((c) => ({ id: c.id, sources: c.sources, patterns: c.patterns ?? [], limits: c.limits ?? [] }));
      const child = execFile('/usr/bin/python3', [ORACLE_SCRIPT], { cwd: CORPUS, env: ANSIBLE_ENV, maxBuffer: 1 << 24 });
      child.stdin?.end(JSON.stringify(input));
      const out = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
        child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`oracle script exited ${code}`))));
      });
      patternAnswers = JSON.parse(out) as typeof patternAnswers;
    },
  ];
  await twoAtATime(jobs);
}, 300_000);

function ours(c: OracleCase): Inventory {
  const options: LoadOptions = { user: 'operator', home: '/home/operator', env: { ANSIBLE_VAULT_IDENTITY_LIST: (c.vaultIds ?? []).join(',') }, checkConnectionVars: false };
  const loaded = loadInventory(c.sources.join(','), CORPUS, options);
  if (!loaded.ok) throw new Error(loaded.error.map((d) => `${d.file}:${d.line}: ${d.message}`).join('\n'));
  return loaded.value;
}

function listOf(id: string): ListJson {
  const answer = theirs.get(id);
  if (!answer || 'failed' in answer) throw new Error(`ansible-inventory failed on ${id}: ${answer ? (answer as { failed: string }).failed : 'no answer'}`);
  return answer;
}

/** Ansible's listing with the values runbook holds as secrets masked (the vault file's). */
function maskedLike(list: ListJson, inventory: Inventory): ListJson {
  const secrets = new Set(inventory.secrets);
  const mask = (value: unknown): unknown => {
    if (typeof value === 'string') return secrets.has(value) ? MASK : value;
    if (Array.isArray(value)) return value.map(mask);
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === '__ansible_vault' ? v : mask(v)]));
    return value;
  };
  return mask(list) as ListJson;
}

describe.each(CASES)('$id', (c) => {
  it('has the groups ansible-inventory --list has, with the same hosts and children in the same order', () => {
    const expected = listOf(c.id);
    const actual = JSON.parse(JSON.stringify(inventoryJson(ours(c)))) as ListJson;
    const groups = (json: ListJson) => Object.keys(json).filter((k) => k !== '_meta').sort();
    expect(groups(actual)).toEqual(groups(expected));
    for (const group of groups(expected)) expect({ group, ...actual[group] }).toEqual({ group, ...expected[group] });
  });

  it('gives every host the variables ansible-inventory --list gives it', () => {
    const inventory = ours(c);
    const expected = maskedLike(listOf(c.id), inventory)._meta.hostvars;
    const actual = (JSON.parse(JSON.stringify(inventoryJson(inventory))) as ListJson)._meta.hostvars;
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
    for (const host of Object.keys(expected)) expect({ host, vars: actual[host] }).toEqual({ host, vars: expected[host] });
  });

  const patterns = c.patterns ?? [];
  if (patterns.length > 0) it('selects the hosts Ansible selects for each pattern', () => {
    const inventory = ours(c);
    for (const pattern of patterns) {
      const answer = patternAnswers[c.id]?.patterns[pattern];
      expect(answer, `no oracle answer for ${pattern}`).toBeDefined();
      let mine: PatternAnswer;
      try {
        mine = evaluatePattern(inventory, pattern).map((h) => h.name);
      } catch (error) {
        mine = { error: (error as Error).message };
      }
      if (Array.isArray(answer)) expect({ pattern, hosts: Array.isArray(mine) ? [...mine].sort() : mine }).toEqual({ pattern, hosts: [...answer].sort() });
      else expect({ pattern, refused: !Array.isArray(mine) }).toEqual({ pattern, refused: true });
    }
  });

  if ((c.limits ?? []).length > 0) it('narrows a step the way --limit does in Ansible', () => {
    const inventory = ours(c);
    (c.limits ?? []).forEach(([limit, pattern], i) => {
      const answer = patternAnswers[c.id]?.limits[i];
      const expanded = expandLimitFiles(limit, CORPUS);
      if (!expanded.ok) throw new Error(expanded.error);
      const mine = limitHosts(selectHosts(inventory, pattern), expanded.value, inventory).map((h) => h.name).sort();
      expect({ limit, pattern, hosts: mine }).toEqual({ limit, pattern, hosts: Array.isArray(answer) ? [...answer].sort() : answer });
    });
  });
});

describe('inventories neither reads', () => {
  it.each(ERROR_CASES)('%s: Ansible fails, runbook reports file:line', (file) => {
    expect(theirs.get(file)).toHaveProperty('failed');
    const loaded = loadInventory(`features/errors/${file}`, CORPUS, { user: 'u', home: '/h', env: {} });
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.error[0]).toMatchObject({ file: join(CORPUS, 'features/errors', file), line: expect.any(Number) });
  });
});

describe('the CLI, as a user diffs it against Ansible', () => {
  it('runbook inventory --list with --vault-password-file and --vault-id prints what ansible-inventory --list prints', async () => {
    const vault = ['--vault-id', 'prod@features/vault/prod-password'];
    const [mine, expected] = await Promise.all([
      runCli(['inventory', '-i', 'features/vault/hosts.yml', '--list', '--vault-password-file', 'features/vault/vault-password', ...vault], { cwd: CORPUS }),
      run('ansible-inventory', ['-i', 'features/vault/hosts.yml', '--list', '--vault-id', 'default@features/vault/vault-password', ...vault], { cwd: CORPUS, env: ANSIBLE_ENV }),
    ]);
    expect(mine.stderr).toBe('');
    expect(mine.code).toBe(0);
    const inventory = ours(CASES.find((c) => c.vaultIds) as OracleCase);
    expect(JSON.parse(mine.stdout)).toEqual(maskedLike(JSON.parse(expected.stdout) as ListJson, inventory));
    for (const secret of ['S3cr3t-db-pass!', 'prod-only', 'r4bb1t-s3cret', 'k3y-in-file']) expect(mine.stdout).not.toContain(secret);
    expect(expected.stdout).toContain('r4bb1t-s3cret');
  });

  it('runbook inventory --list-hosts prints what ansible --list-hosts prints', async () => {
    const [mine, expected] = await Promise.all([
      runCli(['inventory', '-i', 'kolla-multinode', '--list-hosts', 'baremetal:!control[1:]'], { cwd: CORPUS }),
      run('ansible', ['-i', 'kolla-multinode', '--list-hosts', 'baremetal:!control[1:]'], { cwd: CORPUS, env: ANSIBLE_ENV }),
    ]);
    expect(mine).toMatchObject({ code: 0, stdout: expected.stdout });
  });

  it('exits 2 with file:line:col for an inventory neither format reads, and for a pattern that matches nothing', async () => {
    const broken = await runCli(['inventory', '-i', 'features/errors/host-without-equals.ini', '--list'], { cwd: CORPUS });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('features/errors/host-without-equals.ini:2:6: error: expected key=value after the host name');
    const unknown = await runCli(['inventory', '-i', 'kolla-multinode', '--list-hosts', 'control:nope'], { cwd: CORPUS });
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining("unknown host or group 'nope'") });
  });
});
