import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectHost } from '../../../src/connection/connect.js';
import type { Connection } from '../../../src/connection/connection.js';
import type { ModuleContext, StepModule } from '../../../src/modules/module.js';
import { startSshds, type SshdFixture } from '../../support/sshd.js';

/**
 * Real hosts for module tests: sshds on 127.0.0.1 with one connection each, and the module
 * context the engine would give a task on them. The sshds share this machine's filesystem, so
 * each test works in a fresh directory.
 */
export interface ModuleHosts {
  sshds: SshdFixture[];
  connections: Map<string, Connection>;
  context(host: string, taskKey?: string): ModuleContext;
  stop(): Promise<void>;
}

export async function startModuleHosts(count: number): Promise<ModuleHosts> {
  const sshds = await startSshds(count);
  const connections = new Map<string, Connection>();
  for (const s of sshds) connections.set(s.host.name, await connectHost(s.host));
  const connection = (name: string): Connection => {
    const c = connections.get(name);
    if (!c) throw new Error(`no host ${name}`);
    return c;
  };
  const signal = new AbortController().signal;
  return {
    sshds,
    connections,
    context: (name, taskKey = 'step') => ({
      host: sshds.find((s) => s.host.name === name)!.host,
      connection: connection(name),
      connectionTo: async (other) => connection(other),
      exec: (command, options) => connection(name).exec(command, { signal, ...options }),
      cleanup: (command) => connection(name).exec(command),
      options: { signal },
      signal,
      runId: 'r1',
      taskKey,
    }),
    stop: async () => {
      for (const c of connections.values()) await c.close();
      await Promise.all(sshds.map((s) => s.stop()));
    },
  };
}

/** A fresh directory for one test. */
export const workDir = (): string => mkdtempSync(join(tmpdir(), 'runbook-mod-'));

/** Every path under dir with type, mode, owner and content sha256: what "exactly restored" compares. */
export function tree(dir: string): string {
  return execFileSync('sh', ['-c', `cd "$1" && find . -printf '%p %y %m %U:%G %l\\n' | LC_ALL=C sort && find . -type f -exec sha256sum {} + | LC_ALL=C sort`, 'sh', dir], { encoding: 'utf8' });
}

/** check, then apply with the prior the check captured, as the engine does. */
export async function checkThenApply<A, P>(module: StepModule<A, P>, ctx: ModuleContext, args: A) {
  const checked = await module.check(ctx, args);
  if (checked.status !== 'change' && checked.status !== 'unknown') return { checked, prior: undefined, applied: undefined };
  const prior = checked.prior;
  const applied = await module.apply(ctx, args, prior);
  return { checked, prior, applied };
}
