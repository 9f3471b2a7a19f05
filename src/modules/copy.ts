import { createHash } from 'node:crypto';
import { shellQuote } from '../connection/quote.js';
import { asidePath } from './aside.js';
import { attributeCommands, attributesMatch, pathFact, type PathFact } from './facts.js';
import type { ActionOutcome, CheckOutcome, ModuleContext, StepModule } from './module.js';

export interface CopyArgs {
  dest: string;
  /** The content; the loader reads `src:` (a control-node file) into this. */
  content: string;
  mode?: string;
  owner?: string;
  group?: string;
}

interface CopyPrior {
  before: PathFact;
  contentChanged: boolean;
  /** The previous file, kept on the host beside dest until the run ends. */
  backup?: string;
}

async function sh(ctx: ModuleContext, command: string, stdin?: string): Promise<ActionOutcome> {
  const result = await ctx.exec(command, stdin === undefined ? undefined : { stdin });
  return { ok: result.exitCode === 0, commands: [result] };
}

const digest = (content: string): string => createHash('sha256').update(content).digest('hex');

/**
 * `copy`: a file with the given content, mode and owner. The previous file is copied aside on
 * the host (never held on the control node) and the new content is written to a temporary
 * file and renamed over dest, so a reader never sees half a file. Content goes through stdin,
 * never on a command line.
 */
export const copyModule: StepModule<CopyArgs, CopyPrior> = {
  name: 'copy',
  shellFields: [],
  mutating: true,

  async check(ctx, args): Promise<CheckOutcome<CopyPrior>> {
    const { fact, result } = await pathFact(ctx, args.dest, true);
    if (fact.type !== 'missing' && fact.type !== 'file') {
      return { status: 'change', prior: { before: fact, contentChanged: true }, commands: [result] };
    }
    const contentChanged = fact.sha256 !== digest(args.content);
    if (!contentChanged && attributesMatch(fact, args)) return { status: 'ok', commands: [result] };
    return { status: 'change', prior: { before: fact, contentChanged }, commands: [result] };
  },

  async apply(ctx, args, prior) {
    const { before } = prior;
    if (before.type !== 'missing' && before.type !== 'file') return { ok: false, commands: [], message: `${args.dest} exists and is not a regular file` };
    const dest = shellQuote(args.dest);
    const attrs = attributeCommands(dest, args);
    if (!prior.contentChanged) return sh(ctx, attrs.join(' && '));
    if (before.type === 'file') {
      prior.backup = asidePath(ctx, args.dest);
      const kept = await sh(ctx, `cp -p -- ${dest} ${shellQuote(prior.backup)}`);
      if (!kept.ok) return kept;
    }
    // A new file gets 0644 unless asked otherwise; an existing one keeps its mode and owner.
    const keep = before.type === 'file' ? `chmod --reference=${dest} "$t" && chown --reference=${dest} "$t"` : 'chmod 644 "$t"';
    const write = [
      `mkdir -p -- "$(dirname -- ${dest})"`,
      `t=$(mktemp -- ${shellQuote(`${args.dest}.runbook-XXXXXX`)})`,
      'cat > "$t"',
      keep,
      ...attributeCommands('"$t"', args),
      `mv -f -- "$t" ${dest}`,
    ];
    return sh(ctx, write.join(' && '), args.content);
  },

  async rollback(ctx, args, prior) {
    const dest = shellQuote(args.dest);
    if (prior.backup) return sh(ctx, `mv -f -- ${shellQuote(prior.backup)} ${dest}`);
    if (prior.before.type === 'missing') return sh(ctx, `rm -f -- ${dest}`);
    return sh(ctx, attributeCommands(dest, prior.before).join(' && ') || 'true');
  },

  async commit(ctx, _args, prior) {
    return prior.backup ? sh(ctx, `rm -f -- ${shellQuote(prior.backup)}`) : { ok: true, commands: [] };
  },
};
