import { posix } from 'node:path';
import { type ShellCommand, sh } from '../command/command.js';
import { isRecord } from '../runbook/raw.js';
import { defineModule } from './definition.js';
import { asidePath } from './aside.js';
import { attributeCommands, attributesMatch, createdPaths, type FileAttributes, pathFact, restoreAttributeCommands, type PathFact, FILE_ATTRIBUTES_SCHEMA } from './facts.js';
import type { ActionOutcome, CheckOutcome, ModuleContext } from './module.js';
import { runAll, runCommand } from './outcome.js';
import { mismatchedEntries, restoreTreeCommands, treeCommand, type TreeEntry } from './tree-attributes.js';

/** `{ path, state: directory | absent | link | file | touch, src?, mode?, owner?, group?, recurse? }`. */
export type FileArgs = FileAttributes & {
  path: string;
  state: 'directory' | 'absent' | 'link' | 'file' | 'touch';
  /** Link target, only with state: link. */
  src?: string;
  recurse?: boolean;
};

/** What rollback needs, all decided by the read-only check so that a retried apply repeats it. */
export interface FilePrior {
  before: PathFact;
  /** What apply creates, deepest first (the touched file, then directories): removed on rollback. */
  created?: string[];
  /** Where apply moves the path that is in the way: moved back on rollback, deleted on commit. */
  aside?: string;
  /** recurse: the entries below the directory whose attributes apply changes, as they were. */
  below?: TreeEntry[];
}

/** The check's verdict before any prior is built: done, forbidden, or to change. */
type Verdict = { done: true } | { done: false; forbidden?: string };

const kind = (fact: PathFact): string => (fact.type === 'other' ? 'not a file, directory or link' : `a ${fact.type}`);

/** Whether the path is as asked (recurse is looked at separately). */
export function verdict(fact: PathFact, args: FileArgs): Verdict {
  const attrs = attributesMatch(fact, args);
  switch (args.state) {
    case 'absent':
      return { done: fact.type === 'missing' };
    case 'link':
      return { done: fact.type === 'link' && fact.target === args.src };
    case 'directory':
      if (fact.type === 'missing') return { done: false };
      return fact.type === 'directory' ? { done: attrs } : { done: false, forbidden: `${args.path} is ${kind(fact)}, not a directory` };
    case 'file':
      if (fact.type === 'missing') return { done: false, forbidden: `${args.path} does not exist (state: file does not create files: use touch or copy)` };
      return fact.type === 'file' ? { done: attrs } : { done: false, forbidden: `${args.path} is ${kind(fact)}, not a regular file` };
    case 'touch':
      if (fact.type === 'missing' || fact.type === 'file' || fact.type === 'directory') return { done: fact.type !== 'missing' && attrs };
      // chmod would follow the link to somewhere else, and the check would never agree.
      return hasAttributes(args) ? { done: false, forbidden: `${args.path} is ${kind(fact)}: mode and owner cannot be set on it` } : { done: true };
    default: {
      const unreachable: never = args.state;
      throw new Error(`unknown file state ${String(unreachable)}`);
    }
  }
}

const hasAttributes = (args: FileArgs): boolean => args.mode !== undefined || args.owner !== undefined || args.group !== undefined;

/** The prior for a change: what will be created, moved aside or re-attributed. */
function priorFor(ctx: ModuleContext, args: FileArgs, fact: PathFact): FilePrior {
  const prior: FilePrior = { before: fact };
  const creates = args.state === 'directory' || args.state === 'touch';
  if (fact.type === 'missing' && creates) prior.created = createdPaths(trimSlashes(args.path), fact);
  const inTheWay = fact.type !== 'missing' && (args.state === 'absent' || (args.state === 'link' && fact.type !== 'link'));
  if (inTheWay) prior.aside = asidePath(ctx, trimSlashes(args.path));
  return prior;
}

/** `/a/b/` and `/a/b` are one path; dirname and the aside name need the second form. */
const trimSlashes = (path: string): string => path.replace(/(?<=.)\/+$/, '');

/** The commands that take the path from `prior` to the desired state: only what differs. */
export function applyCommands(args: FileArgs, prior: FilePrior): ShellCommand[] {
  const p = args.path;
  const path = sh`${p}`;
  // Conditional, so a retried apply (the move done, a later command failed) can go on.
  const aside = prior.aside === undefined ? [] : [sh`if [ -e ${p} ] || [ -L ${p} ]; then mv -T -- ${p} ${prior.aside}; fi`];
  switch (args.state) {
    case 'absent':
      return aside;
    case 'link':
      return [...aside, sh`ln -sfn -- ${args.src ?? ''} ${p}`];
    case 'directory':
      if (prior.created) return [sh`mkdir -p -- ${p}`, ...attributeCommands(path, args)];
      return attributeCommands(path, args, args.recurse === true);
    case 'touch':
    case 'file': {
      if (!prior.created) return attributeCommands(path, args);
      const parents = prior.created.length > 1 ? [sh`mkdir -p -- ${posix.dirname(trimSlashes(p))}`] : [];
      return [...parents, sh`touch -- ${p}`, ...attributeCommands(path, args)];
    }
    default: {
      const unreachable: never = args.state;
      throw new Error(`unknown file state ${String(unreachable)}`);
    }
  }
}

/**
 * The commands that return the path to `prior`. What apply created is removed with `rm -f`
 * (the touched file) and `rmdir` (directories): a directory that something not rolled back
 * has written into stays, and the rollback fails for a person to look at rather than
 * deleting data nobody asked to delete.
 */
export function rollbackCommands(args: FileArgs, prior: FilePrior): ShellCommand[] {
  const p = args.path;
  if (prior.created) {
    const [first, ...rest] = prior.created;
    const dirs = args.state === 'directory' ? prior.created : rest;
    const file = args.state === 'directory' || first === undefined ? [] : [sh`rm -f -- ${first}`];
    return [...file, ...(dirs.length ? [sh`rmdir -- ${dirs}`] : [])];
  }
  const out: ShellCommand[] = [];
  // Only a link this step made is removed: whatever else is there now is not ours.
  if (args.state === 'link') out.push(sh`if [ -L ${p} ]; then rm -f -- ${p}; fi`);
  if (prior.aside !== undefined) {
    const a = prior.aside;
    out.push(sh`if [ -e ${a} ] || [ -L ${a} ]; then mv -T -- ${a} ${p}; fi`);
  }
  if (prior.before.type === 'link' && prior.before.target !== undefined) out.push(sh`ln -sfn -- ${prior.before.target} ${p}`);
  if (prior.before.type === 'directory' || prior.before.type === 'file') out.push(...restoreAttributeCommands(sh`${p}`, prior.before, args));
  return out;
}

/**
 * `file`: a directory, an absent path, a symlink, an existing regular file, or a touched one,
 * with mode and owner (recursively below a directory with `recurse`). Nothing is deleted
 * during the run: a path in the way is moved aside (a hidden sibling, same filesystem) and
 * only removed by `commit` once the whole run succeeded, so rollback is a rename back. Assumes
 * GNU coreutils and findutils on the host.
 */
export const fileModule = defineModule<FileArgs, FilePrior>({
  name: 'file',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path', 'state'],
    description: "A path's kind, mode and owner; rollback restores what was there.",
    properties: {
      path: {
        type: 'string',
      },
      state: {
        enum: ['directory', 'absent', 'link', 'file', 'touch'],
        description: 'file: must exist as a regular file (only mode/owner change); touch: create if missing.',
      },
      src: {
        type: 'string',
        description: 'Link target (state: link).',
      },
      ...FILE_ATTRIBUTES_SCHEMA,
      recurse: {
        type: 'boolean',
        description: 'Apply mode/owner/group to everything below a directory.',
      },
    },
  },
  load: ({ value }) => value as FileArgs,
  rules({ value, at, findings }) {
    if (!isRecord(value)) return;
    if (value.state === 'link' && value.src === undefined) findings.add(at, "file with state: link needs src (the link's target)", { at: 'key' });
    if (value.state !== 'link' && value.src !== undefined) findings.add(`${at}.src`, 'file src (a link target) only goes with state: link', { at: 'key' });
  },
  show: (args, words) => `path ${words.arg('path')} made ${args.state}${args.mode ? ` (mode ${args.mode})` : ''}`,
  shellFields: [],
  mutating: true,

  async check(ctx, args): Promise<CheckOutcome<FilePrior>> {
    const { fact, result } = await pathFact(ctx, args.path);
    const v = verdict(fact, args);
    if (!v.done && v.forbidden !== undefined) return { status: 'failed', message: v.forbidden, commands: [result] };
    const recurse = args.recurse === true && args.state === 'directory' && fact.type === 'directory' && hasAttributes(args);
    if (!recurse) return v.done ? { status: 'ok', commands: [result] } : { status: 'change', prior: priorFor(ctx, args, fact), commands: [result] };
    const tree = await ctx.exec(treeCommand(args.path).text);
    // Without the whole listing, rollback could not put every entry back.
    if (tree.exitCode !== 0) return { status: 'failed', message: `cannot list everything below ${args.path} (find exited ${tree.exitCode}): recurse needs it for rollback`, commands: [result, tree] };
    const below = mismatchedEntries(tree.stdout, args);
    if (v.done && below.length === 0) return { status: 'ok', commands: [result, tree] };
    return { status: 'change', prior: { ...priorFor(ctx, args, fact), below }, commands: [result, tree] };
  },

  async apply(ctx, args, prior) {
    return runAll(ctx, applyCommands(args, prior));
  },

  async rollback(ctx, args, prior) {
    const own = await runAll(ctx, rollbackCommands(args, prior));
    if (!own.ok || !prior.below?.length) return own;
    return runEach(ctx, restoreTreeCommands(prior.below, args), own);
  },

  async commit(ctx, _args, prior) {
    return runAll(ctx, prior.aside === undefined ? [] : [sh`rm -rf -- ${prior.aside}`]);
  },
});

/** Runs every command even after a failure (a rollback does all it can), collecting results. */
async function runEach(ctx: ModuleContext, commands: readonly ShellCommand[], first: ActionOutcome): Promise<ActionOutcome> {
  const outcome: ActionOutcome = { ok: first.ok, commands: [...first.commands] };
  for (const command of commands) {
    const step = await runCommand(ctx, command);
    outcome.commands.push(...step.commands);
    outcome.ok &&= step.ok;
  }
  return outcome;
}
