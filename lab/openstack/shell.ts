import type { LabHost } from '../config.js';
import { hostShell, mustHostShell } from '../namespace.js';

/** Progress of the golden build: one line per phase with its time. */
export type Log = (line: string) => void;

/** A command as a service user (setpriv execs it: no session, no PAM). */
export const as = (user: string, command: string): string => `setpriv --reuid=${user} --regid=${user} --init-groups -- ${command}`;
/** One-time setup commands (db syncs under load take minutes). */
export const ONE_TIME = { timeoutMs: 15 * 60_000 };

/** Runs a phase of the build between two progress lines, the second with its time. */
export async function phase<T>(log: Log, name: string, work: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  log(`openstack build: ${name} ...`);
  const out = await work();
  log(`openstack build: ${name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return out;
}

/** Runs a script on the host as root and throws with its output when it fails. */
export const must = (host: LabHost, script: string): Promise<string> => mustHostShell(host, script, ONE_TIME);

/** One `openstack` process fed commands on stdin (each CLI start costs 2-3 s). No quoted spaces (it does not honour quotes). */
export async function openstackBatch(ctl: LabHost, cloud: string, commands: string[], options = ''): Promise<string> {
  const r = await hostShell(ctl, `openstack --os-cloud ${cloud} ${options}`, { ...ONE_TIME, input: `${commands.join('\n')}\n` });
  if (r.code !== 0 || /^(Error|.*Exception|.*HTTP 4\d\d|.*HTTP 5\d\d)/m.test(r.stderr)) {
    throw new Error(`lab: openstack (${cloud}) failed (exit ${r.code}): ${r.stderr.trim().slice(-1500)}`);
  }
  return r.stdout;
}

/** Polls a shell condition on a host (exit 0 = done) until it holds, at most `seconds`. */
export async function waitFor(host: LabHost, what: string, condition: string, seconds: number): Promise<void> {
  const script = `i=0; until ${condition}; do i=$((i+1)); [ $i -le ${seconds / 2} ] || exit 1; sleep 2; done`;
  const r = await hostShell(host, script, ONE_TIME);
  if (r.code !== 0) throw new Error(`lab: ${what} did not happen within ${seconds} s on ${host.name}`);
}
