import { joinCommands, type ShellCommand, sh } from '../command/command.js';
import { asidePath } from './aside.js';
import { defineModule } from './definition.js';
import type { ActionOutcome, CheckOutcome, ModuleContext } from './module.js';
import { runCommand } from './outcome.js';

export type ExtractArgs = {
  /** A tar.gz on the host. */
  src: string;
  /** The directory its members are relative to (`/` for what `archive` made of absolute paths). */
  dest: string;
  /** Done when this path exists; otherwise done when dest holds exactly the archive's content. */
  creates?: string;
};

interface ExtractPrior {
  /** The archive's top-level members, relative to dest. */
  roots: string[];
  /** The roots that existed before, saved in `aside`. */
  existing: string[];
  aside?: string;
}

/** `etc/nova/` and `etc/nova/nova.conf` -> `etc/nova`: the members with no ancestor member. */
export function archiveRoots(listing: string): string[] {
  const names = [...new Set(listing.split('\n').map((n) => n.replace(/\/+$/, '')).filter(Boolean))].sort();
  return names.filter((name) => !names.some((other) => other !== name && (other === '.' || name.startsWith(`${other}/`))));
}

/** Roots that would reach outside dest, or replace all of `/`, are refused. */
function unsafeRoot(roots: readonly string[], dest: string): string | undefined {
  return roots.find((r) => r.startsWith('/') || r.split('/').includes('..') || (r === '.' && dest.replace(/\/+$/, '') === ''));
}

/**
 * Exit 0 when dest holds the archive's files (content, mode, owners, mtime) and nothing else.
 * Owners compare by name, as they were extracted (a name the host does not know, or an archive
 * without names, by number).
 */
export function matchesCommand(args: ExtractArgs, roots: readonly string[]): ShellCommand {
  const src = args.src;
  const compared = sh`tar -dzf ${src} >/dev/null 2>&1`;
  return sh`cd -- ${args.dest} && ${compared} && [ "$(find ${roots} 2>/dev/null | LC_ALL=C sort)" = "$(tar -tzf ${src} | sed 's:/*$::' | LC_ALL=C sort)" ]`;
}

async function listRoots(ctx: ModuleContext, args: ExtractArgs): Promise<{ roots?: string[]; outcome: ActionOutcome }> {
  const listed = await ctx.exec(sh`tar -tzf ${args.src}`.text);
  if (listed.exitCode !== 0) return { outcome: { ok: false, commands: [listed], message: `${args.src} is not a readable tar.gz` } };
  const roots = archiveRoots(listed.stdout);
  const unsafe = unsafeRoot(roots, args.dest);
  if (unsafe !== undefined) return { outcome: { ok: false, commands: [listed], message: `${args.src} has member '${unsafe}', which would not stay inside ${args.dest}` } };
  return { roots, outcome: { ok: true, commands: [listed] } };
}

/** Empties each root that is a directory (kept itself: it may be a mount point), removes the others. */
function clearCommand(roots: readonly string[], removeDirs: boolean): ShellCommand {
  if (roots.length === 0) return sh`true`;
  const clear = (r: string): ShellCommand => (removeDirs ? sh`rm -rf -- ${r}` : sh`find ${r} -mindepth 1 -delete`);
  return joinCommands(roots.map((r) => sh`if [ -d ${r} ] && [ ! -L ${r} ]; then ${clear(r)}; else rm -f -- ${r}; fi`), ';');
}

/**
 * `extract`: unpacks a tar.gz on the host into dest, with permissions and owners by name: a
 * rebuilt host may give keystone another uid than the one the archive was made with (tar falls
 * back to the number for a name the host does not know, and for archives made with
 * --numeric-owner). Each
 * top-level member of the archive (e.g. `etc/nova`) is replaced: its previous contents are
 * first tarred aside beside src, a directory is emptied but never removed or renamed (the
 * lab's and many real state directories are mount points), then the archive is unpacked.
 * Rollback empties the roots again and unpacks the aside tar (then deletes it), so content,
 * modes, owners and mtimes come back exactly; roots that did not exist are removed. Commit
 * deletes the aside tar.
 */
export const extractModule = defineModule<ExtractArgs, ExtractPrior>({
  name: 'extract',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['src', 'dest'],
    description: 'Unpack an archive on the host into a directory.',
    properties: {
      src: {
        type: 'string',
        description: 'Archive on the host.',
      },
      dest: {
        type: 'string',
        description: 'Directory to unpack into.',
      },
      creates: {
        type: 'string',
        description: 'Done when this path exists.',
      },
    },
  },
  load: ({ value }) => value as ExtractArgs,
  show: (_args, words) => `extracts ${words.arg('src')} into ${words.arg('dest')}`,
  shellFields: [],
  mutating: true,

  async check(ctx, args): Promise<CheckOutcome<ExtractPrior>> {
    const prior: ExtractPrior = { roots: [], existing: [] };
    if (args.creates !== undefined) {
      const result = await ctx.exec(sh`test -e ${args.creates}`.text);
      return result.exitCode === 0 ? { status: 'ok', commands: [result] } : { status: 'change', prior, commands: [result] };
    }
    const { roots, outcome } = await listRoots(ctx, args);
    if (!roots) return { status: 'change', prior, commands: outcome.commands };
    // An empty archive (a directory that did not exist when it was made) restores nothing.
    if (roots.length === 0) return { status: 'ok', commands: outcome.commands };
    const result = await ctx.exec(matchesCommand(args, roots).text);
    const commands = [...outcome.commands, result];
    return result.exitCode === 0 ? { status: 'ok', commands } : { status: 'change', prior, commands };
  },

  async apply(ctx, args, prior) {
    const { roots, outcome } = await listRoots(ctx, args);
    if (!roots) return outcome;
    prior.roots = roots;
    const dest = args.dest;
    const present = await ctx.exec(sh`mkdir -p -- ${dest} && cd -- ${dest} && for r in ${roots}; do if [ -e "$r" ] || [ -L "$r" ]; then printf '%s\\n' "$r"; fi; done`.text);
    if (present.exitCode !== 0) return { ok: false, commands: [present] };
    prior.existing = present.stdout.split('\n').filter(Boolean);
    const commands = [...outcome.commands, present];
    if (prior.existing.length > 0) {
      const aside = `${asidePath(ctx, args.src)}.before.tar.gz`;
      const members = prior.existing.map((r) => (r.startsWith('-') ? `./${r}` : r));
      const saved = await ctx.exec(sh`(umask 077 && tar --numeric-owner -czpf ${aside} -C ${dest} ${members})`.text);
      commands.push(saved);
      if (saved.exitCode !== 0) return { ok: false, commands, message: `could not save the current ${prior.existing.join(', ')} for rollback` };
      prior.aside = aside;
    }
    // By name (no --numeric-owner): the aside copy above stays numeric, it never leaves this host.
    const unpacked = await ctx.exec(sh`cd -- ${dest} && { ${clearCommand(roots, false)}; } && tar -xzpf ${args.src} -C ${dest}`.text);
    return { ok: unpacked.exitCode === 0, commands: [...commands, unpacked] };
  },

  async rollback(ctx, args, prior) {
    if (prior.roots.length === 0) return { ok: true, commands: [] };
    const dest = args.dest;
    const created = prior.roots.filter((r) => !prior.existing.includes(r));
    const parts = [sh`cd -- ${dest}`, sh`{ ${clearCommand(created, true)}; ${clearCommand(prior.existing, false)}; }`];
    // The aside tar goes once it is back: it sits beside src, in a folder the run made and its
    // rollback removes (a fetched backup's), which must then be empty.
    if (prior.aside) parts.push(sh`tar --numeric-owner -xzpf ${prior.aside} -C ${dest}`, sh`rm -f -- ${prior.aside}`);
    return runCommand(ctx, joinCommands(parts, '&&'));
  },

  async commit(ctx, _args, prior) {
    return prior.aside ? runCommand(ctx, sh`rm -f -- ${prior.aside}`) : { ok: true, commands: [] };
  },
});
