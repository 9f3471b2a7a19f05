import type { CommandResult } from '../connection/connection.js';
import { defineModule } from './definition.js';
import type { ActionOutcome, CheckOutcome, ModuleContext } from './module.js';
import type { ShellCommand } from '../command/command.js';
import { nothing, runAll } from './outcome.js';
import { serviceCommand, serviceManager, type ServiceManager } from './service-manager.js';

export type ServiceArgs = {
  name: string;
  state: 'started' | 'stopped' | 'restarted';
  enabled?: boolean;
};

/** The service as the check found it: what rollback returns to. */
export interface ServicePrior {
  manager: ServiceManager;
  /** It had processes (active, or still starting or stopping): rollback starts it again. */
  wasActive: boolean;
  /** It was active, healthy (absent in priors journaled before: then as wasActive). */
  wasHealthy?: boolean;
  /** Only read when the step asks for `enabled`. */
  wasEnabled?: boolean;
}

/**
 * systemctl's is-active states in which the unit still has processes. A service that cannot
 * reach its database stays `activating` and keeps its connections: it is not stopped, and a
 * restore must stop it before dropping what it holds.
 */
const RUNNING_STATES = new Set(['active', 'activating', 'deactivating', 'reloading', 'refreshing']);

interface ServiceFacts {
  manager: ServiceManager;
  /** Up and healthy: is-active exits 0. */
  active: boolean;
  /** Has processes, healthy or not (only `service` hosts: the same as active). */
  running: boolean;
  enabled?: boolean;
  commands: CommandResult[];
}

/** Reads is-active (and is-enabled when asked), through the host's manager. */
async function serviceFacts(ctx: ModuleContext, args: ServiceArgs): Promise<ServiceFacts | { refused: string; commands: CommandResult[] }> {
  const { manager, commands } = await serviceManager(ctx);
  if (args.enabled !== undefined && manager !== 'systemctl') {
    return { refused: `${args.name}: enabled needs systemctl, which this host does not have`, commands };
  }
  const probed = await ctx.exec(serviceCommand(manager, 'is-active', args.name).text);
  commands.push(probed);
  const active = probed.exitCode === 0;
  const running = active || (manager === 'systemctl' && RUNNING_STATES.has(probed.stdout.trim()));
  if (args.enabled === undefined) return { manager, active, running, commands };
  const enabled = await ctx.exec(serviceCommand(manager, 'is-enabled', args.name).text);
  commands.push(enabled);
  return { manager, active, running, enabled: enabled.exitCode === 0, commands };
}

/** Started means active; stopped means no process left, not merely unhealthy. */
function activeDone(state: ServiceArgs['state'], facts: Pick<ServiceFacts, 'active' | 'running'>): boolean {
  return (state === 'started' && facts.active) || (state === 'stopped' && !facts.running);
}

/** The commands that take the service from `prior` to the desired state: only what differs. */
export function applyCommands(args: ServiceArgs, prior: ServicePrior): ShellCommand[] {
  const out: ShellCommand[] = [];
  if (args.state === 'restarted') out.push(serviceCommand(prior.manager, 'restart', args.name));
  else if (!activeDone(args.state, { active: prior.wasHealthy ?? prior.wasActive, running: prior.wasActive })) out.push(serviceCommand(prior.manager, args.state === 'started' ? 'start' : 'stop', args.name));
  if (args.enabled !== undefined && args.enabled !== prior.wasEnabled) out.push(serviceCommand(prior.manager, args.enabled ? 'enable' : 'disable', args.name));
  return out;
}

/** The commands that return the service to `prior`: running or not, enabled or not as found. */
export function rollbackCommands(args: ServiceArgs, prior: ServicePrior): ShellCommand[] {
  const out = [serviceCommand(prior.manager, prior.wasActive ? 'start' : 'stop', args.name)];
  if (args.enabled !== undefined && prior.wasEnabled !== undefined && args.enabled !== prior.wasEnabled) {
    out.push(serviceCommand(prior.manager, prior.wasEnabled ? 'enable' : 'disable', args.name));
  }
  return out;
}

/**
 * `service`: a service started, stopped or restarted (and optionally enabled or disabled at
 * boot) through the host's service manager: systemctl when the host has it, else `service`
 * (detected once per host per run). The fact is is-active (and is-enabled); `restarted` always
 * changes. Rollback returns the service to whether it was running (and enabled) before.
 */
export const serviceModule = defineModule<ServiceArgs, ServicePrior>({
  name: 'service',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'state'],
    description: "A service through the host's service manager; rollback restores the state found.",
    properties: {
      name: {
        type: 'string',
        description: 'Unit name, e.g. nova-api.',
      },
      state: {
        enum: ['started', 'stopped', 'restarted'],
      },
      enabled: {
        type: 'boolean',
        description: 'Also enable (true) or disable (false) at boot.',
      },
    },
  },
  load: ({ value }) => value as ServiceArgs,
  show: (args, words) => `service ${words.arg('name')} ${args.state}`,
  shellFields: [],
  mutating: true,

  async check(ctx, args): Promise<CheckOutcome<ServicePrior>> {
    const facts = await serviceFacts(ctx, args);
    if ('refused' in facts) return { status: 'failed', message: facts.refused, commands: facts.commands };
    const { manager, active, running, enabled, commands } = facts;
    const done = activeDone(args.state, facts) && (args.enabled === undefined || args.enabled === enabled);
    if (done) return { status: 'ok', commands };
    return { status: 'change', prior: { manager, wasActive: running, wasHealthy: active, ...(enabled === undefined ? {} : { wasEnabled: enabled }) }, commands };
  },

  async apply(ctx, args, prior) {
    return runAll(ctx, applyCommands(args, prior));
  },

  async verify(ctx, args): Promise<ActionOutcome> {
    const facts = await serviceFacts(ctx, args);
    if ('refused' in facts) return { ok: false, commands: facts.commands, message: facts.refused };
    const wantActive = args.state !== 'stopped';
    const asWanted = wantActive ? facts.active : !facts.running;
    const problems = [
      ...(asWanted ? [] : [`${args.name} is ${facts.active ? 'active' : facts.running ? 'still running' : 'not active'} after ${wantActive ? 'start' : 'stop'}`]),
      ...(args.enabled === undefined || facts.enabled === args.enabled ? [] : [`${args.name} is ${facts.enabled ? 'enabled' : 'not enabled'}`]),
    ];
    return problems.length === 0 ? { ...nothing(), commands: facts.commands } : { ok: false, commands: facts.commands, message: problems.join('; ') };
  },

  async rollback(ctx, args, prior) {
    return runAll(ctx, rollbackCommands(args, prior));
  },
});
