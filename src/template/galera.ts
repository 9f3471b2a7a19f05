import { type Result, fail, ok } from '../diagnostics/result.js';
import { memberPosition, mostAdvanced } from '../galera/position.js';

/**
 * The template side of src/galera/position.ts: each member's registered probe output, read
 * through `hostvars` (what a host registered is seen by the others' templates, as in Ansible).
 */
export function galeraMostAdvanced(hostvars: unknown, hosts: unknown, name: unknown): Result<string, string> {
  if (typeof hostvars !== 'object' || hostvars === null) return fail('galera_most_advanced expects hostvars');
  if (!Array.isArray(hosts) || !hosts.every((h) => typeof h === 'string')) return fail('galera_most_advanced expects a list of hosts (a group)');
  if (typeof name !== 'string') return fail('galera_most_advanced expects the name of a registered probe');
  const reports = [];
  for (const host of hosts as string[]) {
    const registered = (hostvars as Record<string, Record<string, unknown> | undefined>)[host]?.[name] as { stdout?: unknown } | undefined;
    if (typeof registered?.stdout !== 'string') return fail(`galera_most_advanced: ${host} registered no '${name}' (its probe did not run)`);
    reports.push({ host, text: registered.stdout });
  }
  const choice = mostAdvanced(reports);
  return choice.ok ? ok(choice.value.host) : fail(`no Galera member to bootstrap from: ${choice.error}`);
}

/** The committed seqno of one member's probe output. */
export function galeraSeqno(text: unknown): Result<number, string> {
  if (typeof text !== 'string') return fail('galera_seqno expects a probe\'s stdout');
  const position = memberPosition(text);
  return position.ok ? ok(position.value.seqno) : fail(`galera_seqno: ${position.error}`);
}
