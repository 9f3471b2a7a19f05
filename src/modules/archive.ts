import { posix } from 'node:path';
import { shellQuote } from '../connection/quote.js';
import { asidePath } from './aside.js';
import { pathFact } from './facts.js';
import type { CheckOutcome, StepModule } from './module.js';
import { runCommand } from './outcome.js';
import { keepAsideCommand, restoreFileCommand } from './remote.js';
import type { ArchiveArgs } from '../runbook/module-args.js';

export type { ArchiveArgs };

interface ArchivePrior {
  existed: boolean;
  aside?: string;
  temp?: string;
}

/**
 * The tar words for the paths: relative ones first (to the step's cwd), then `-C /` and the
 * absolute ones without their `/`, so `extract` with `dest: /` puts them back where they were
 * and tar has nothing to warn about.
 */
export function tarMembers(paths: readonly string[]): string[] {
  // No `--` before them: tar would then take `-C` for a file name. A relative path that looks
  // like an option gets `./` instead.
  const relative = paths.filter((p) => !p.startsWith('/')).map((p) => (p.startsWith('-') ? `./${p}` : p));
  const absolute = paths.filter((p) => p.startsWith('/')).map((p) => p.replace(/^\/+/, '') || '.');
  return [...relative.map(shellQuote), ...(absolute.length ? ['-C', '/', ...absolute.map(shellQuote)] : [])];
}

/** Writes the archive to `temp` (mode 0600: it holds config with passwords), tests it, renames it. */
export function archiveCommand(args: ArchiveArgs, temp: string): string {
  const excludes = args.exclude.map((e) => shellQuote(`--exclude=${e.replace(/^\/+/, '')}`));
  const tar = ['tar', '--numeric-owner', '-czpf', shellQuote(temp), ...excludes, ...tarMembers(args.path)].join(' ');
  return `mkdir -p -- ${shellQuote(posix.dirname(args.dest))} && (umask 077 && ${tar}) && gzip -t -- ${shellQuote(temp)} && mv -f -- ${shellQuote(temp)} ${shellQuote(args.dest)}`;
}

/**
 * `archive`: a tar.gz of paths on the host, with permissions and numeric owners, written by tar
 * on the host itself (the bytes never reach the control node). It goes to a temporary name and
 * is renamed once `gzip -t` passed, so an existing dest is always a whole archive: check says
 * `ok` when dest exists, unless `force`. Rollback: the previous archive back (kept as a hard
 * link), or the new one removed.
 */
export const archiveModule: StepModule<ArchiveArgs, ArchivePrior> = {
  name: 'archive',
  shellFields: [],
  mutating: true,

  async check(ctx, args): Promise<CheckOutcome<ArchivePrior>> {
    const { fact, result } = await pathFact(ctx, args.dest);
    if (fact.type === 'file' && !args.force) return { status: 'ok', commands: [result] };
    return { status: 'change', prior: { existed: fact.type !== 'missing' }, commands: [result] };
  },

  async apply(ctx, args, prior) {
    const aside = asidePath(ctx, args.dest);
    prior.temp = `${aside}.part`;
    if (prior.existed) {
      const kept = await runCommand(ctx, keepAsideCommand(args.dest, aside));
      if (!kept.ok) return { ...kept, message: `${args.dest} exists and could not be kept for rollback` };
      prior.aside = aside;
    }
    return runCommand(ctx, archiveCommand(args, prior.temp));
  },

  async rollback(ctx, args, prior) {
    return runCommand(ctx, restoreFileCommand(args.dest, prior));
  },

  async commit(ctx, _args, prior) {
    return prior.aside ? runCommand(ctx, `rm -f -- ${shellQuote(prior.aside)}`) : { ok: true, commands: [] };
  },
};
