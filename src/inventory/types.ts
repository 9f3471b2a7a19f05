/** How the control node reaches a host (ansible_connection). */
export type ConnectionKind = 'ssh' | 'local';

/** What to do with a host key that is not in known_hosts. A changed key is always refused. */
export type HostKeyPolicy = 'strict' | 'accept-new';

/** One target host, with its variables already merged (all < group < child group < host). */
export interface Host {
  name: string;
  /** ansible_host, or the name. */
  address: string;
  /** ansible_port, default 22. */
  port: number;
  /** ansible_user, default the operator's user name. */
  user: string;
  /** ansible_ssh_private_key_file, resolved to an absolute path. */
  privateKeyFile?: string;
  /** ansible_become: every command on the host runs through `sudo -n`, whatever the step says. */
  become: boolean;
  connection: ConnectionKind;
  /** Every group the host belongs to, directly or through children, `all` excluded. */
  groups: string[];
  /** Merged variables, including the ansible_* ones. */
  vars: Record<string, unknown>;
  /** known_hosts file for this host (runbook_known_hosts, RUNBOOK_KNOWN_HOSTS, ~/.ssh/known_hosts). */
  knownHostsFile?: string;
  /** runbook_host_key_policy as merged for this host; absent means strict. */
  hostKeyPolicy?: HostKeyPolicy;
}

export interface Group {
  name: string;
  /** Hosts directly in this group. */
  hosts: string[];
  children: string[];
  vars: Record<string, unknown>;
}

/** A loaded inventory: hosts in file order, groups by name. */
export interface Inventory {
  /** Absolute path of the inventory file or directory; several sources are joined with commas. */
  file: string;
  sha256: string;
  hosts: Host[];
  groups: Map<string, Group>;
  /** Absolute path of the known_hosts file to verify host keys against. */
  knownHostsFile: string;
  hostKeyPolicy: HostKeyPolicy;
  /** Every value decrypted from a vault: masked wherever output, journals or errors could show it. */
  secrets?: readonly string[];
  /** Decrypted `!vault` value -> its vault text, so a listing shows the ciphertext as ansible-inventory does. */
  vaultText?: ReadonlyMap<string, string>;
  /** `!unsafe` texts (never templated by Ansible), marked in listings as ansible-inventory marks them. */
  unsafeText?: ReadonlySet<string>;
}
