// The plain-OpenSSH twin of runbooks/converge-30.yaml: one shell command per step, each
// `check || apply`, so a converged host runs only the checks, as runbook and Ansible do.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUNBOOKS } from './paths.mjs';

const BASE = '/var/lib/nova/bench';
const ETC = '/etc/nova/bench.d';

/** POSIX single-quoting. */
export const q = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

/** A directory with a mode. */
const dir = (path, mode) =>
  `[ -d ${path} ] && [ "$(stat -c %a ${path})" = ${Number.parseInt(mode, 8).toString(8)} ] || { mkdir -p ${path} && chmod ${mode} ${path}; }`;

/** A file with exact content and mode; the content travels on stdin, as runbook's copy does. */
const file = (dest, content, mode) => ({
  command: `t=${dest}.bench-new; cat > $t && if cmp -s $t ${dest} && [ "$(stat -c %a ${dest})" = ${Number.parseInt(mode, 8).toString(8)} ]; then rm -f $t; else chmod ${mode} $t && mv -f $t ${dest}; fi`,
  input: content,
});

const line = (path, text) => `grep -qxF ${q(text)} ${path} 2>/dev/null || echo ${q(text)} >> ${path}`;

const sum = (of, to) => `sha256sum --status -c ${to} 2>/dev/null || sha256sum ${of} > ${to}`;

/** Renders the Jinja twin of a template for one host (only the two variables they use). */
function render(name, host) {
  return readFileSync(join(RUNBOOKS, 'templates', `${name}.j2`), 'utf8')
    .replaceAll('{{ inventory_hostname }}', host.name)
    .replaceAll('{{ ansible_host }}', host.address);
}

const source = (name) => readFileSync(join(RUNBOOKS, 'files', name), 'utf8');

/**
 * The 30 steps for one host: `{ command, input? }`.
 * @param {{ name: string, address: string }} host
 */
export function plainSteps(host) {
  const steps = [
    dir(BASE, '0755'),
    dir(`${BASE}/conf.d`, '0750'),
    dir(`${BASE}/state`, '0755'),
    dir(`${BASE}/cache`, '0700'),
    dir(ETC, '0750'),
    dir('/var/log/nova/bench', '0750'),
    file(`${BASE}/conf.d/10-logging.conf`, source('10-logging.conf'), '0640'),
    file(`${BASE}/conf.d/20-quota.conf`, source('20-quota.conf'), '0640'),
    file(`${BASE}/conf.d/30-scheduler.conf`, source('30-scheduler.conf'), '0640'),
    file(`${BASE}/conf.d/40-libvirt.conf`, source('40-libvirt.conf'), '0640'),
    file(`${BASE}/conf.d/50-vnc.conf`, source('50-vnc.conf'), '0640'),
    file(`${ETC}/policy.yaml`, source('policy.yaml'), '0640'),
    file(`${ETC}/host.conf`, render('host.conf', host), '0640'),
    file(`${ETC}/compute.conf`, render('compute.conf', host), '0640'),
    file(`${BASE}/conf.d/60-metadata.conf`, render('metadata.conf', host), '0640'),
    line(`${ETC}/extra.conf`, 'debug = false'),
    line(`${ETC}/extra.conf`, 'heal_instance_info_cache_interval = 60'),
    line(`${ETC}/extra.conf`, 'reserved_host_memory_mb = 2048'),
    line(`${ETC}/extra.conf`, 'resume_guests_state_on_host_boot = true'),
    sum('/etc/nova/nova.conf', `${BASE}/state/nova.conf.sha256`),
    sum(`${BASE}/conf.d/10-logging.conf`, `${BASE}/state/logging.sha256`),
    sum(`${BASE}/conf.d/20-quota.conf`, `${BASE}/state/quota.sha256`),
    sum(`${ETC}/host.conf`, `${BASE}/state/host.sha256`),
    sum(`${ETC}/policy.yaml`, `${BASE}/state/policy.sha256`),
    'systemctl is-active -q nova-compute || systemctl start nova-compute',
    `[ "$(readlink ${BASE}/current)" = ${BASE}/conf.d ] || ln -sfn ${BASE}/conf.d ${BASE}/current`,
    '[ "$(stat -c %a /etc/nova/nova.conf)" = 640 ] || chmod 0640 /etc/nova/nova.conf',
    `[ -e ${BASE}/state/initialized ] || date -u +%FT%TZ > ${BASE}/state/initialized`,
    `grep -q '^\\[DEFAULT\\]' /etc/nova/nova.conf`,
    'test -e /var/lib/nova/instances',
  ];
  return steps.map((s) => (typeof s === 'string' ? { command: s } : s));
}

/** Puts a host back to before the first run: what the three contenders create is gone. */
export const CLEAN_COMMAND = `rm -rf ${BASE} ${ETC} /var/log/nova/bench && systemctl stop nova-compute >/dev/null; true`;

/** Every file the converged state consists of, for comparing contenders' results. */
export const STATE_COMMAND = `cd / && find ${BASE} ${ETC} /var/log/nova/bench -printf '%p %y %m\\n' | sort && cat ${BASE}/conf.d/* ${ETC}/* | sha256sum && systemctl is-active nova-compute`;
