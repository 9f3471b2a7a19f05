import { shellQuote } from '../connection/quote.js';
import type { ActionOutcome, CheckOutcome, ModuleContext, StepModule } from './module.js';

export interface ServiceArgs {
  name: string;
  state: 'started' | 'stopped' | 'restarted';
}

interface ServicePrior {
  wasActive: boolean;
}

/** `systemctl VERB NAME`; the hosts without systemd in the lab ship a compatible command. */
const systemctl = (verb: string, name: string): string => `systemctl ${verb} ${shellQuote(name)}`;

async function isActive(ctx: ModuleContext, name: string): Promise<{ active: boolean; result: Awaited<ReturnType<ModuleContext['exec']>> }> {
  const result = await ctx.exec(systemctl('is-active', name));
  return { active: result.exitCode === 0, result };
}

async function run(ctx: ModuleContext, verb: string, name: string): Promise<ActionOutcome> {
  const result = await ctx.exec(systemctl(verb, name));
  return { ok: result.exitCode === 0, commands: [result] };
}

/**
 * `service`: a service started, stopped or restarted through the host's service manager.
 * The fact is `is-active`; rollback returns the service to whether it was running before.
 */
export const serviceModule: StepModule<ServiceArgs, ServicePrior> = {
  name: 'service',
  shellFields: [],
  mutating: true,

  async check(ctx, args): Promise<CheckOutcome<ServicePrior>> {
    const { active, result } = await isActive(ctx, args.name);
    const done = (args.state === 'started' && active) || (args.state === 'stopped' && !active);
    return done ? { status: 'ok', commands: [result] } : { status: 'change', prior: { wasActive: active }, commands: [result] };
  },

  async apply(ctx, args) {
    const verb = { started: 'start', stopped: 'stop', restarted: 'restart' }[args.state];
    return run(ctx, verb, args.name);
  },

  async verify(ctx, args) {
    const { active, result } = await isActive(ctx, args.name);
    const wanted = args.state !== 'stopped';
    return active === wanted
      ? { ok: true, commands: [result] }
      : { ok: false, commands: [result], message: `${args.name} is ${active ? 'active' : 'not active'} after ${args.state === 'stopped' ? 'stop' : 'start'}` };
  },

  async rollback(ctx, args, prior) {
    return run(ctx, prior.wasActive ? 'start' : 'stop', args.name);
  },
};
