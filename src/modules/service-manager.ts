import type { CommandResult, Connection } from '../connection/connection.js';
import { type ShellCommand, sh } from '../command/command.js';
import type { ModuleContext } from './module.js';

/** How a host's services are driven: systemd's systemctl, or the sysvinit `service` wrapper. */
export type ServiceManager = 'systemctl' | 'service';

export type ServiceVerb = 'start' | 'stop' | 'restart' | 'is-active' | 'is-enabled' | 'enable' | 'disable';

/**
 * The manager found on each connection, detected once per host per run. Keyed by the
 * connection object (one per host for the whole run), so it dies with the run and two runs in
 * one process never share an answer.
 */
const detected = new WeakMap<Connection, Promise<{ manager: ServiceManager; result: CommandResult }>>();

/**
 * The host's service manager: systemctl when `command -v systemctl` succeeds, else `service`.
 * `commands` holds the detection command the first time only, so it is journaled once.
 */
export async function serviceManager(ctx: ModuleContext): Promise<{ manager: ServiceManager; commands: CommandResult[] }> {
  let pending = detected.get(ctx.connection);
  const first = pending === undefined;
  if (pending === undefined) {
    pending = ctx.exec(sh`command -v systemctl`.text).then((result) => ({ manager: result.exitCode === 0 ? 'systemctl' : 'service', result }) as const);
    detected.set(ctx.connection, pending);
    // A transport error is not an answer: the next step asks again.
    pending.catch(() => detected.delete(ctx.connection));
  }
  const { manager, result } = await pending;
  return { manager, commands: first ? [result] : [] };
}

/**
 * The command for one verb. `service` knows only start/stop/restart/status: is-active maps to
 * `status` (LSB: exit 0 means running); enabling at boot has no portable sysvinit command and
 * is refused by the module before it gets here.
 */
export function serviceCommand(manager: ServiceManager, verb: ServiceVerb, name: string): ShellCommand {
  if (manager === 'systemctl') return sh`systemctl ${verb} ${name}`;
  switch (verb) {
    case 'is-active':
      return sh`service ${name} status`;
    case 'start':
    case 'stop':
    case 'restart':
      return sh`service ${name} ${verb}`;
    case 'is-enabled':
    case 'enable':
    case 'disable':
      throw new Error(`service ${verb} is not supported without systemctl`);
    default: {
      const unreachable: never = verb;
      throw new Error(`unknown verb ${String(unreachable)}`);
    }
  }
}
