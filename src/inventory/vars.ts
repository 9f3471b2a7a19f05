import { RECIPIENTS_VAR, recipientsVarProblem } from '../catalog/encryption.js';

/** Connection variables runbook understands (Ansible's names), the backups' recipients, and the checks on their values. */
const CHECKS: Record<string, (value: unknown) => string | undefined> = {
  ansible_host: (v) => (typeof v === 'string' && v !== '' ? undefined : 'ansible_host must be a host name or address'),
  ansible_port: (v) => (toPort(v) === undefined ? 'ansible_port must be a port number (1-65535)' : undefined),
  ansible_user: (v) => (typeof v === 'string' && v !== '' ? undefined : 'ansible_user must be a user name'),
  ansible_ssh_private_key_file: (v) => (typeof v === 'string' && v !== '' ? undefined : 'ansible_ssh_private_key_file must be a file path'),
  ansible_connection: (v) =>
    v === 'ssh' || v === 'local' ? undefined : `ansible_connection ${JSON.stringify(v)} is not supported (use ssh or local)`,
  runbook_known_hosts: (v) => (typeof v === 'string' && v !== '' ? undefined : 'runbook_known_hosts must be a file path'),
  runbook_host_key_policy: (v) =>
    v === 'strict' || v === 'accept-new' ? undefined : `runbook_host_key_policy must be strict or accept-new, not ${JSON.stringify(v)}`,
  ansible_become: (v) => (toBoolean(v) === undefined ? `ansible_become must be true or false, not ${JSON.stringify(v)}` : undefined),
  // Ansible's other become settings would be silently ignored; refusing them says what runbook does.
  ansible_become_method: (v) => (v === 'sudo' ? undefined : `ansible_become_method ${JSON.stringify(v)} is not supported: runbook becomes root with sudo -n`),
  ansible_become_user: (v) => (v === 'root' ? undefined : `ansible_become_user ${JSON.stringify(v)} is not supported: runbook becomes root only`),
  ansible_ssh_host: (v) => (typeof v === 'string' && v !== '' ? undefined : 'ansible_ssh_host must be a host name or address'),
  ansible_ssh_port: (v) => (toPort(v) === undefined ? 'ansible_ssh_port must be a port number (1-65535)' : undefined),
  ansible_ssh_user: (v) => (typeof v === 'string' && v !== '' ? undefined : 'ansible_ssh_user must be a user name'),
  ansible_private_key_file: (v) => (typeof v === 'string' && v !== '' ? undefined : 'ansible_private_key_file must be a file path'),
  ansible_password: () => LOGIN_PASSWORD,
  ansible_ssh_pass: () => LOGIN_PASSWORD,
  ansible_ssh_password: () => LOGIN_PASSWORD,
  ansible_ssh_common_args: sshArgsProblem('ansible_ssh_common_args'),
  ansible_ssh_extra_args: sshArgsProblem('ansible_ssh_extra_args'),
  ansible_ssh_args: sshArgsProblem('ansible_ssh_args'),
  ansible_become_password: () => BECOME_PASSWORD,
  ansible_become_pass: () => BECOME_PASSWORD,
  // Backups are encrypted to these (docs/backups.md): a key that is not one must stop every run
  // before it starts, not the backup half-way, nor make age fail on the host.
  [RECIPIENTS_VAR]: recipientsVarProblem,
};

const BECOME_PASSWORD = 'a become password is not supported: runbook runs sudo -n, which never prompts; give the user NOPASSWD in sudoers';

const LOGIN_PASSWORD =
  'a login password is not supported: runbook logs in with keys (ansible_ssh_private_key_file, ~/.ssh/id_*, ssh-agent); a password here would be ignored';

/*
 * ssh options runbook's own SSH client can leave out without changing where it connects or as
 * whom: connection sharing and keepalives (it keeps one connection per host), and host key
 * checking relaxations (runbook always checks host keys, which is stricter). Anything else, a
 * ProxyJump or a ProxyCommand above all, would be silently lost, so it is refused.
 */
const HARMLESS_SSH_OPTIONS = new Set(['stricthostkeychecking', 'userknownhostsfile', 'controlmaster', 'controlpersist', 'controlpath', 'serveraliveinterval', 'serveralivecountmax', 'connecttimeout', 'connectionattempts', 'tcpkeepalive', 'loglevel', 'forwardagent', 'gssapiauthentication', 'preferredauthentications', 'passwordauthentication', 'identitiesonly', 'compression', 'checkhostip', 'hashknownhosts', 'batchmode', 'kbdinteractiveauthentication', 'pubkeyauthentication', 'addkeystoagent', 'visualhostkey', 'updatehostkeys']);

function sshArgsProblem(name: string): (value: unknown) => string | undefined {
  return (value) => {
    if (typeof value !== 'string') return `${name} must be a string of ssh options`;
    const words = value.split(/\s+/).filter((w) => w !== '');
    for (let i = 0; i < words.length; i++) {
      const word = words[i] as string;
      const option = word === '-o' ? words[++i] : word.startsWith('-o') ? word.slice(2) : undefined;
      const key = option?.split(/[=\s]/)[0]?.toLowerCase();
      if (key !== undefined && HARMLESS_SSH_OPTIONS.has(key)) continue;
      if (word === '-C' || word === '-q' || word === '-v') continue;
      return `${name}: '${option === undefined ? word : `-o ${option}`}' is not supported: runbook connects with its own SSH client, which takes only keepalive, connection-sharing and host-key-checking options (and always checks host keys); a jump host or proxy command would be lost`;
    }
    return undefined;
  };
}

/** A problem with one variable's value, or undefined when it is fine (or not one of ours). */
export function checkVar(name: string, value: unknown): string | undefined {
  // hasOwn: a variable named `__proto__` or `constructor` is not one of ours.
  return Object.hasOwn(CHECKS, name) ? CHECKS[name]?.(value) : undefined;
}

/** A port from a number or a numeric string (Ansible accepts both), else undefined. */
export function toPort(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535 ? n : undefined;
}

/**
 * A boolean as Ansible reads one: YAML true/false, or yes/no/true/false/on/off in any case
 * (YAML 1.1 booleans, which this YAML 1.2 parser leaves as strings). Else undefined.
 */
export function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  const word = value.toLowerCase();
  if (word === 'yes' || word === 'true' || word === 'on') return true;
  if (word === 'no' || word === 'false' || word === 'off') return false;
  return undefined;
}
