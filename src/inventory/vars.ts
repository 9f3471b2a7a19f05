/** Connection variables runbook understands (Ansible's names) and the checks on their values. */
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
};

/** A problem with one variable's value, or undefined when it is fine (or not one of ours). */
export function checkVar(name: string, value: unknown): string | undefined {
  return CHECKS[name]?.(value);
}

/** A port from a number or a numeric string (Ansible accepts both), else undefined. */
export function toPort(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535 ? n : undefined;
}
