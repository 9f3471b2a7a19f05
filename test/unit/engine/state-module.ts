import type { CommandResult } from '../../../src/connection/connection.js';
import type { StepModule } from '../../../src/modules/module.js';

/**
 * A module over an in-memory key/value "host": check reads, apply writes, rollback restores.
 * Scripted failures make the engine's failure paths testable without a server.
 */
export interface StateWorld {
  /** host -> key -> value */
  hosts: Map<string, Map<string, string>>;
  /** `host:key` whose apply fails. */
  failApply: Set<string>;
  failRollback: Set<string>;
  /** Every call, in order: `apply ctl1 a=1`, `rollback ctl1 a`. */
  log: string[];
  /** Resolves when apply of `host:key` starts, then waits for `release`. */
  hold?: { key: string; started: () => void; release: Promise<void> };
}

export function newWorld(): StateWorld {
  return { hosts: new Map(), failApply: new Set(), failRollback: new Set(), log: [] };
}

const result = (command: string, exitCode: number): CommandResult => ({
  command, exitCode, stdout: `${command} out`, stderr: exitCode === 0 ? '' : 'boom', durationMs: 1, timedOut: false, aborted: false,
});

export function stateModule(world: StateWorld): StepModule<{ key: string; value: string }, { had: string | undefined }> {
  const state = (host: string): Map<string, string> => {
    let m = world.hosts.get(host);
    if (!m) world.hosts.set(host, (m = new Map()));
    return m;
  };
  return {
    name: 'state',
    shellFields: [],
    mutating: true,
    async check(ctx, args) {
      const had = state(ctx.host.name).get(args.key);
      const commands = [result(`get ${args.key}`, 0)];
      return had === args.value ? { status: 'ok', commands } : { status: 'change', prior: { had }, commands };
    },
    async apply(ctx, args) {
      const where = `${ctx.host.name}:${args.key}`;
      world.log.push(`apply ${ctx.host.name} ${args.key}=${args.value}`);
      if (world.hold?.key === where) {
        world.hold.started();
        await world.hold.release;
        if (ctx.signal.aborted) return { ok: false, commands: [{ ...result(`set ${args.key}`, 1), exitCode: null, aborted: true }] };
      }
      if (world.failApply.has(where)) return { ok: false, commands: [result(`set ${args.key} ${args.value}`, 1)] };
      state(ctx.host.name).set(args.key, args.value);
      return { ok: true, commands: [result(`set ${args.key} ${args.value}`, 0)] };
    },
    async rollback(ctx, args, prior) {
      world.log.push(`rollback ${ctx.host.name} ${args.key}`);
      if (world.failRollback.has(`${ctx.host.name}:${args.key}`)) return { ok: false, commands: [result(`restore ${args.key}`, 1)] };
      if (prior.had === undefined) state(ctx.host.name).delete(args.key);
      else state(ctx.host.name).set(args.key, prior.had);
      return { ok: true, commands: [result(`restore ${args.key}`, 0)] };
    },
  };
}
