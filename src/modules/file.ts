import { shellQuote } from '../connection/quote.js';
import { asidePath } from './aside.js';
import { attributeCommands, attributesMatch, pathFact, type PathFact } from './facts.js';
import type { ActionOutcome, CheckOutcome, ModuleContext, StepModule } from './module.js';

export interface FileArgs {
  path: string;
  state: 'directory' | 'absent' | 'link' | 'touch';
  src?: string;
  mode?: string;
  owner?: string;
  group?: string;
}

/** What rollback needs: the path's fact before, and what apply did to it. */
interface FilePrior {
  before: PathFact;
  /** The topmost directory apply created (mkdir -p), removed on rollback. */
  created?: string;
  /** Where apply moved the previous path, moved back on rollback. */
  aside?: string;
}

async function sh(ctx: ModuleContext, command: string): Promise<ActionOutcome> {
  const result = await ctx.exec(command);
  return { ok: result.exitCode === 0, commands: [result] };
}

function isDone(fact: PathFact, args: FileArgs): boolean {
  switch (args.state) {
    case 'absent':
      return fact.type === 'missing';
    case 'directory':
      return fact.type === 'directory' && attributesMatch(fact, args);
    case 'touch':
      return fact.type !== 'missing' && attributesMatch(fact, args);
    case 'link':
      return fact.type === 'link' && fact.target === args.src;
    default: {
      const unreachable: never = args.state;
      throw new Error(`unknown state ${String(unreachable)}`);
    }
  }
}

/**
 * `file`: a directory, an absent path, a symlink or an existing file, with mode and owner.
 * Nothing is deleted during the run: a path that must go is moved aside and only removed by
 * `commit` once the whole run succeeded, so rollback is a rename back.
 */
export const fileModule: StepModule<FileArgs, FilePrior> = {
  name: 'file',
  shellFields: [],
  mutating: true,

  async check(ctx, args): Promise<CheckOutcome<FilePrior>> {
    const { fact, result } = await pathFact(ctx, args.path);
    return isDone(fact, args) ? { status: 'ok', commands: [result] } : { status: 'change', prior: { before: fact }, commands: [result] };
  },

  async apply(ctx, args, prior) {
    const p = shellQuote(args.path);
    const attrs = attributeCommands(p, args);
    const { before } = prior;
    if (args.state === 'absent' || ((args.state === 'link' || args.state === 'directory') && before.type !== 'missing' && before.type !== args.state)) {
      if (args.state === 'directory') return { ok: false, commands: [], message: `${args.path} exists and is not a directory` };
      prior.aside = asidePath(ctx, args.path);
      const moved = await sh(ctx, `mv -- ${p} ${shellQuote(prior.aside)}`);
      if (!moved.ok || args.state === 'absent') return moved;
    }
    if (args.state === 'link') return sh(ctx, `ln -sfn -- ${shellQuote(args.src ?? '')} ${p}`);
    if (before.type === 'missing') {
      // The topmost missing ancestor is what rollback removes: mkdir -p may create several.
      const created = await ctx.exec(`p=${p}; top=; while [ ! -e "$p" ] && [ ! -L "$p" ]; do top=$p; p=$(dirname -- "$p"); done; printf '%s' "$top"`);
      prior.created = created.stdout || args.path;
      const make = args.state === 'directory' ? `mkdir -p -- ${p}` : `mkdir -p -- "$(dirname -- ${p})" && touch -- ${p}`;
      return sh(ctx, [make, ...attrs].join(' && '));
    }
    return sh(ctx, attrs.join(' && ') || 'true');
  },

  async rollback(ctx, args, prior) {
    const p = shellQuote(args.path);
    const steps: string[] = [];
    if (prior.created) steps.push(`rm -rf -- ${shellQuote(prior.created)}`);
    else if (args.state === 'link' && prior.before.type !== 'link') steps.push(`rm -f -- ${p}`);
    if (prior.aside) steps.push(`if [ -e ${shellQuote(prior.aside)} ] || [ -L ${shellQuote(prior.aside)} ]; then mv -- ${shellQuote(prior.aside)} ${p}; fi`);
    if (prior.before.type === 'link' && prior.before.target !== undefined) steps.push(`ln -sfn -- ${shellQuote(prior.before.target)} ${p}`);
    if (!prior.created && !prior.aside && (prior.before.type === 'directory' || prior.before.type === 'file')) {
      steps.push(...attributeCommands(p, prior.before));
    }
    return sh(ctx, steps.join(' && ') || 'true');
  },

  async commit(ctx, _args, prior) {
    return prior.aside ? sh(ctx, `rm -rf -- ${shellQuote(prior.aside)}`) : { ok: true, commands: [] };
  },
};
