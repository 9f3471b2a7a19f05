import { type Result, fail, ok } from '../diagnostics/result.js';
import { memberPosition, mostAdvanced } from '../galera/position.js';

/**
 * The template side of src/galera/position.ts: each member's registered probe output, read
 * through `hostvars` (what a host registered is seen by the others' templates, as in Ansible).
 */
export function galeraMostAdvanced(hostvars: unknown, hosts: unknown, name: unknown): Result<string, string> {
  const outputs = registeredStdout('galera_most_advanced', hostvars, hosts, name);
  if (!outputs.ok) return outputs;
  const choice = mostAdvanced(outputs.value);
  return choice.ok ? ok(choice.value.host) : fail(`no Galera member to bootstrap from: ${choice.error}`);
}

/** The committed seqno of one member's probe output. */
export function galeraSeqno(text: unknown): Result<number, string> {
  if (typeof text !== 'string') return fail('galera_seqno expects a probe\'s stdout');
  const position = memberPosition(text);
  return position.ok ? ok(position.value.seqno) : fail(`galera_seqno: ${position.error}`);
}

/** The stdout each host registered as `name`, in the hosts' order. */
export function stdoutOf(hostvars: unknown, hosts: unknown, name: unknown): Result<string[], string> {
  const outputs = registeredStdout('stdout_of', hostvars, hosts, name);
  return outputs.ok ? ok(outputs.value.map((o) => o.text)) : outputs;
}

function registeredStdout(helper: string, hostvars: unknown, hosts: unknown, name: unknown): Result<Array<{ host: string; text: string }>, string> {
  if (typeof hostvars !== 'object' || hostvars === null) return fail(`${helper} expects hostvars`);
  if (!Array.isArray(hosts) || !hosts.every((h) => typeof h === 'string')) return fail(`${helper} expects a list of hosts (a group)`);
  if (typeof name !== 'string') return fail(`${helper} expects the name of a registered result`);
  const out = [];
  for (const host of hosts as string[]) {
    const registered = (hostvars as Record<string, Record<string, unknown> | undefined>)[host]?.[name] as { stdout?: unknown } | undefined;
    if (typeof registered?.stdout !== 'string') return fail(`${helper}: ${host} registered no '${name}' (its step did not run there)`);
    out.push({ host, text: registered.stdout });
  }
  return ok(out);
}
