import { chownSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LabHost } from './config.js';
import { accountPath, hostPath } from './namespace.js';
import { IDS } from './seed/configs.js';

/**
 * The lab's operator account, as on a deployed cloud (devstack's and TripleO's `stack`): a
 * non-root login with passwordless sudo, for runs with `ansible_become` (inventory/lab-sudo.yaml).
 */
export const SUDO_USER = 'stack';

/** The host's one sudoers grant (its own sudoers.d, ACCOUNT_PATHS): NOPASSWD for SUDO_USER. */
export function sudoGrantPath(host: LabHost): string {
  return join(accountPath(host, '/etc/sudoers.d'), 'runbook-lab');
}

/** The lab's service accounts (nova, glance, ...): name and id, the seed's owners (IDS). */
const SERVICE_ACCOUNTS = Object.entries(IDS).filter(([name]) => name !== 'root');

/**
 * An account file (passwd, group, shadow) with the lab's service accounts by the seed's ids:
 * the machine's entries of those names or ids are left out (a machine with OpenStack's packages
 * has its own nova, glance, keystone, under other ids), and one line per account is added, so
 * names and numbers agree with the files the seed wrote. Tests change an id here (a rebuilt
 * controller), and restores must follow the name.
 */
export function withServiceAccounts(text: string, line: (name: string, id: number) => string, idField: number | undefined): string {
  const names = new Set(SERVICE_ACCOUNTS.map(([name]) => name));
  const ids = new Set(SERVICE_ACCOUNTS.map(([, id]) => String(id)));
  const kept = text.split('\n').filter(Boolean).filter((l) => {
    const fields = l.split(':');
    return !names.has(fields[0] ?? '') && (idField === undefined || !ids.has(fields[idField] ?? ''));
  });
  return `${[...kept, ...SERVICE_ACCOUNTS.map(([name, id]) => line(name, id))].join('\n')}\n`;
}

/**
 * Writes the host's account files (the machine's, with the lab's service accounts when asked
 * (the simulated lab), plus
 * SUDO_USER when the machine has none), its sudoers.d and the user's home with the lab's client
 * key authorized. The machine's own /etc is never written: the lab must not leave a user behind
 * on a developer's machine.
 */
export function prepareSudoUser(host: LabHost, publicKey: Buffer, options: { serviceAccounts: boolean }): void {
  const accounts = (text: string, line: (name: string, id: number) => string, idField: number | undefined): string =>
    (options.serviceAccounts ? withServiceAccounts(text, line, idField) : text);
  const passwd = accounts(readFileSync('/etc/passwd', 'utf8'), (name, id) => `${name}:x:${id}:${id}:OpenStack ${name} (lab):/var/lib/${name}:/usr/sbin/nologin`, 2);
  const group = accounts(readFileSync('/etc/group', 'utf8'), (name, id) => `${name}:x:${id}:`, 2);
  const shadow = accounts(readFileSync('/etc/shadow', 'utf8'), (name) => `${name}:*:20000:0:99999:7:::`, undefined);
  const existing = entry(passwd, SUDO_USER);
  const uid = existing ? Number(existing[2]) : freeId(passwd, group);
  const gid = existing ? Number(existing[3]) : uid;
  const home = `/home/${SUDO_USER}`;
  const add = (text: string, line: string): string => (existing ? text : `${text.replace(/\n?$/, '\n')}${line}\n`);
  mkdirSync(accountPath(host, '/etc'), { recursive: true });
  writeCopy(host, '/etc/passwd', add(passwd, `${SUDO_USER}:x:${uid}:${gid}:runbook lab operator:${home}:/bin/bash`));
  writeCopy(host, '/etc/group', add(group, `${SUDO_USER}:x:${gid}:`));
  // `*`: no password, but not locked (sshd without PAM refuses keys of a `!` locked account).
  writeCopy(host, '/etc/shadow', add(shadow, `${SUDO_USER}:*:20000:0:99999:7:::`));
  // The host's sudoers.d replaces the machine's (ACCOUNT_PATHS): only this grant is in it.
  mkdirSync(dirname(sudoGrantPath(host)), { recursive: true, mode: 0o755 });
  writeFileSync(sudoGrantPath(host), `${SUDO_USER} ALL=(ALL:ALL) NOPASSWD: ALL\n`, { mode: 0o440 });

  const dir = hostPath(host, home);
  mkdirSync(join(dir, '.ssh'), { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, '.ssh', 'authorized_keys'), publicKey, { mode: 0o600 });
  writeFileSync(join(dir, '.bashrc'), `# ~/.bashrc of ${SUDO_USER} on lab host ${host.name}\nexport LAB_HOST=${host.name}\n`);
  writeFileSync(join(dir, '.profile'), '# ~/.profile\nif [ -f ~/.bashrc ]; then . ~/.bashrc; fi\n');
  for (const p of [dir, join(dir, '.ssh'), join(dir, '.ssh', 'authorized_keys'), join(dir, '.bashrc'), join(dir, '.profile')]) chownSync(p, uid, gid);
}

/** A copy with the machine file's owner and mode (shadow stays root:shadow 0640). */
function writeCopy(host: LabHost, path: string, text: string): void {
  const original = statSync(path);
  const copy = accountPath(host, path);
  writeFileSync(copy, text, { mode: original.mode & 0o7777 });
  chownSync(copy, original.uid, original.gid);
}

/** The passwd fields of `name`, if the machine has that user. */
function entry(passwd: string, name: string): string[] | undefined {
  return passwd.split('\n').map((line) => line.split(':')).find((fields) => fields[0] === name);
}

/** The first id from 2000 that is neither a uid nor a gid on the machine. */
function freeId(passwd: string, group: string): number {
  const used = new Set([...passwd.split('\n'), ...group.split('\n')].map((line) => Number(line.split(':')[2])));
  let id = 2000;
  while (used.has(id)) id++;
  return id;
}
