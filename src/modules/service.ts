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
  wasActive: boolean;
  /** Only read when the step asks for `enabled`. */
  wasEnabled?: boolean;
}

interface ServiceFacts {
  manager: ServiceManager;
  active: boolean;
  enabled?: boolean;
  commands: CommandResult[];
}

/** Reads is-active (and is-enabled when asked), through the host's manager. */
async function serviceFacts(ctx: ModuleContext, args: ServiceArgs): Promise<ServiceFacts | { refused: string; commands: CommandResult[] }> {
  const { manager, commands } = await serviceManager(ctx);
  if (args.enabled !== undefined && manager !== 'systemctl') {
    return { refused: `${args.name}: enabled needs systemctl, which this host does not have`, commands };
  }
  const active = await ctx.exec(serviceCommand(manager, 'is-active', args.name).text);
  commands.push(active);
  if (args.enabled === undefined) return { manager, active: active.exitCode === 0, commands };
  const enabled = await ctx.exec(serviceCommand(manager, 'is-enabled', args.name).text);
  commands.push(enabled);
  return { manager, active: active.exitCode === 0, enabled: enabled.exitCode === 0, commands };
}

function activeDone(state: ServiceArgs['state'], active: boolean): boolean {
  return (state === 'started' && active) || (state === 'stopped' && !active);
}

/** The commands that take the service from `prior` to the desired state: only what differs. */
export function applyCommands(args: ServiceArgs, prior: ServicePrior): ShellCommand[] {
  const out: ShellCommand[] = [];
  if (args.state === 'restarted') out.push(serviceCommand(prior.manager, 'restart', args.name));
  else if (!activeDone(args.state, prior.wasActive)) out.push(serviceCommand(prior.manager, args.state === 'started' ? 'start' : 'stop', args.name));
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
    const { manager, active, enabled, commands } = facts;
    const done = activeDone(args.state, active) && (args.enabled === undefined || args.enabled === enabled);
    if (done) return { status: 'ok', commands };
    return { status: 'change', prior: { manager, wasActive: active, ...(enabled === undefined ? {} : { wasEnabled: enabled }) }, commands };
  },

  async apply(ctx, args, prior) {
    return runAll(ctx, applyCommands(args, prior));
  },

  async verify(ctx, args): Promise<ActionOutcome> {
    const facts = await serviceFacts(ctx, args);
    if ('refused' in facts) return { ok: false, commands: facts.commands, message: facts.refused };
    const wantActive = args.state !== 'stopped';
    const problems = [
      ...(facts.active === wantActive ? [] : [`${args.name} is ${facts.active ? 'active' : 'not active'} after ${wantActive ? 'start' : 'stop'}`]),
      ...(args.enabled === undefined || facts.enabled === args.enabled ? [] : [`${args.name} is ${facts.enabled ? 'enabled' : 'not enabled'}`]),
    ];
    return problems.length === 0 ? { ...nothing(), commands: facts.commands } : { ok: false, commands: facts.commands, message: problems.join('; ') };
  },

  async rollback(ctx, args, prior) {
    return runAll(ctx, rollbackCommands(args, prior));
  },
});
