import { posix } from 'node:path';
import { type ShellCommand, sh } from '../command/command.js';
import { asidePath } from './aside.js';
import { pathFact } from './facts.js';
import { asList, defineModule } from './definition.js';
import type { CheckOutcome } from './module.js';
import { runCommand } from './outcome.js';
import { keepAsideCommand, restoreFileCommand } from './remote.js';

export type ArchiveArgs = {
  /** Paths on the host, always a list; absolute ones are stored without their leading `/`. */
  path: string[];
  /** The archive file to write on the host. */
  dest: string;
  /** tar --exclude patterns, matched against member names (a leading `/` is dropped). */
  exclude: string[];
  format: 'tar.gz';
  /** Write it again even when dest exists. */
  force?: boolean;
};

/** archive as written: one path or a list, excludes optional. */
type ArchiveYaml = Omit<ArchiveArgs, 'path' | 'exclude'> & { path: string | string[]; exclude?: string[] };

interface ArchivePrior {
  existed: boolean;
  aside?: string;
  temp?: string;
}

/**
 * The tar arguments for the paths (argv words, quoted by `sh`): relative ones first (to the step's cwd), then `-C /` and the
 * absolute ones without their `/`, so `extract` with `dest: /` puts them back where they were
 * and tar has nothing to warn about.
 */
export function tarMembers(paths: readonly string[]): string[] {
  // No `--` before them: tar would then take `-C` for a file name. A relative path that looks
  // like an option gets `./` instead.
  const relative = paths.filter((p) => !p.startsWith('/')).map((p) => (p.startsWith('-') ? `./${p}` : p));
  const absolute = paths.filter((p) => p.startsWith('/')).map((p) => p.replace(/^\/+/, '') || '.');
  return [...relative, ...(absolute.length ? ['-C', '/', ...absolute] : [])];
}

/** Writes the archive to `temp` (mode 0600: it holds config with passwords), tests it, renames it. */
export function archiveCommand(args: ArchiveArgs, temp: string): ShellCommand {
  const excludes = args.exclude.map((e) => `--exclude=${e.replace(/^\/+/, '')}`);
  // Owners by name and number (no --numeric-owner): extract restores them by name.
  const tar = sh`tar -czpf ${[temp, ...excludes, ...tarMembers(args.path)]}`;
  return sh`mkdir -p -- ${posix.dirname(args.dest)} && (umask 077 && ${tar}) && gzip -t -- ${temp} && mv -f -- ${temp} ${args.dest}`;
}

/**
 * `archive`: a tar.gz of paths on the host, with permissions and owners (names and numbers), written by tar
 * on the host itself (the bytes never reach the control node). It goes to a temporary name and
 * is renamed once `gzip -t` passed, so an existing dest is always a whole archive: check says
 * `ok` when dest exists, unless `force`. Rollback: the previous archive back (kept as a hard
 * link), or the new one removed.
 */
export const archiveModule = defineModule<ArchiveArgs, ArchivePrior>({
  name: 'archive',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path', 'dest'],
    description: 'A tar.gz of one or more paths on the host.',
    properties: {
      path: {
        type: ['string', 'array'],
        items: {
          type: 'string',
        },
        minItems: 1,
        description: 'Path or list of paths to archive.',
      },
      dest: {
        type: 'string',
        description: 'Archive file to write.',
      },
      exclude: {
        type: 'array',
        items: {
          type: 'string',
        },
        description: 'Patterns to leave out (tar --exclude).',
      },
      format: {
        enum: ['tar.gz'],
      },
      force: {
        type: 'boolean',
        description: 'Write the archive even when dest exists (default: an existing dest means done).',
      },
    },
  },
  load({ value }) {
    const args = value as ArchiveYaml;
    return { ...args, path: asList(args.path), exclude: args.exclude ?? [], format: 'tar.gz' };
  },
  show: (_args, words) => `archives ${words.arg('path')} into ${words.arg('dest')}`,
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
    return prior.aside ? runCommand(ctx, sh`rm -f -- ${prior.aside}`) : { ok: true, commands: [] };
  },
});
