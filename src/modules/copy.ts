import { createHash } from 'node:crypto';
import { dirname, posix, resolve } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { joinCommands, type ShellCommand, sh } from '../command/command.js';
import type { Findings } from '../runbook/findings.js';
import { isRecord } from '../runbook/raw.js';
import { defineModule } from './definition.js';
import { asidePath } from './aside.js';
import { attributeCommands, attributesMatch, createdPaths, type FileAttributes, pathFact, restoreAttributeCommands, type PathFact, FILE_ATTRIBUTES_SCHEMA } from './facts.js';
import type { CheckOutcome, ModuleContext } from './module.js';
import { runAll } from './outcome.js';

/**
 * Exactly one of `content` (inline, templated) or `fileContent` (`src:` in the YAML, a
 * control-node file read by the loader, copied verbatim).
 */
export type CopyArgs = FileAttributes & {
  dest: string;
  content?: string;
  fileContent?: string;
  backup?: boolean;
};

/** copy as written: `src` names the control-node file the loader reads into `fileContent`. */
type CopyYaml = Omit<CopyArgs, 'fileContent'> & { src?: string };

/**
 * copy's and template's `src`, a file on the control node relative to the runbook: read when
 * the runbook loads (its rules made sure it exists), so a missing file fails validation, not a
 * recovery half-way through.
 */
export function readControlNodeFile(runbookDir: string, src: string): string {
  return readFileSync(resolve(runbookDir, src), 'utf8');
}

/** The rule behind {@link readControlNodeFile}: the file exists. */
export function controlNodeFileRule(src: unknown, path: string, module: string, findings: Findings): void {
  if (typeof src !== 'string') return;
  const full = resolve(dirname(findings.yaml.file), src);
  if (!existsSync(full)) findings.add(path, `${module} src '${src}' does not exist (relative to the runbook: ${full})`);
}

/** What rollback needs, all decided by the read-only check so that a retried apply repeats it. */
export interface CopyPrior {
  before: PathFact;
  contentChanged: boolean;
  /** The previous file, kept on the host beside dest until the run ends (never on the control node). */
  backup?: string;
  /** Parent directories apply creates, deepest first: removed on rollback. */
  created?: string[];
}

/** The text to write: inline (rendered) content, or a control-node file's (verbatim). */
export function contentOf(args: CopyArgs): string {
  return args.content ?? args.fileContent ?? '';
}

/** sha256 of the content as it will be written (UTF-8), comparable with `sha256sum`. */
export const digest = (content: string): string => createHash('sha256').update(content).digest('hex');

/** Where `backup: true` keeps the previous file after a successful run: `DEST.<run id>~`. */
export const keptBackupPath = (ctx: Pick<ModuleContext, 'runId'>, dest: string): string => `${dest}.${ctx.runId}~`;

/** The prior for a change, or the reason dest cannot be written. */
function priorFor(ctx: ModuleContext, args: CopyArgs, fact: PathFact, contentChanged: boolean): CopyPrior {
  const prior: CopyPrior = { before: fact, contentChanged };
  if (fact.type === 'file' && contentChanged) prior.backup = asidePath(ctx, args.dest);
  if (fact.type === 'missing') {
    const parents = createdPaths(args.dest, fact).slice(1);
    if (parents.length > 0) prior.created = parents;
  }
  return prior;
}

/**
 * The commands that write dest. The new content goes through stdin into a temporary sibling,
 * gets its mode and owner, and is renamed over dest: a reader never sees half a file, and a
 * failure leaves dest as it was (and no temporary behind). The previous file is kept as a
 * hard link (the rename gives dest a new inode, so the old one stays intact; no copy of a big
 * file), or a `cp -p` where the filesystem has no hard links.
 */
export function applyCommands(args: CopyArgs, prior: CopyPrior): ShellCommand[] {
  const dest = args.dest;
  if (!prior.contentChanged) return attributeCommands(sh`${dest}`, args);
  const out: ShellCommand[] = [];
  if (prior.backup !== undefined) {
    const b = prior.backup;
    // Made once: a backup already there is from an earlier attempt of this task, and is either
    // still dest itself or the original that attempt replaced; either way it is the one to keep.
    out.push(sh`if [ ! -e ${b} ]; then ln -- ${dest} ${b} 2>/dev/null || cp -p -- ${dest} ${b}; fi`);
  }
  if (prior.created) out.push(sh`mkdir -p -- ${posix.dirname(dest)}`);
  // A new file gets 0644 unless asked otherwise; an existing one keeps its mode and owner.
  const keep = prior.before.type === 'file' ? [sh`chmod --reference=${dest} "$t"`, sh`chown --reference=${dest} "$t"`] : [sh`chmod 644 "$t"`];
  const write = joinCommands([sh`cat > "$t"`, ...keep, ...attributeCommands(sh`"$t"`, args), sh`mv -f -- "$t" ${dest}`], '&&');
  const temp = posix.join(posix.dirname(dest), `.${posix.basename(dest)}.runbook-XXXXXX`);
  out.push(sh`t=$(mktemp -- ${temp})`, sh`if ${write}; then :; else rm -f -- "$t"; exit 1; fi`);
  return out;
}

/** The commands that return dest to `prior`: the kept file back, or the new one removed. */
export function rollbackCommands(args: CopyArgs, prior: CopyPrior): ShellCommand[] {
  const dest = args.dest;
  if (prior.backup !== undefined) {
    const b = prior.backup;
    // Still the same file as dest (apply stopped before the rename), or no backup at all (it
    // stopped before that): dest is as it was, only the link goes.
    return [sh`if [ ${b} -ef ${dest} ]; then rm -f -- ${b}; elif [ -e ${b} ]; then mv -f -- ${b} ${dest}; fi`];
  }
  if (prior.before.type === 'missing') {
    const dirs = prior.created ?? [];
    return [sh`rm -f -- ${dest}`, ...(dirs.length ? [sh`rmdir -- ${dirs}`] : [])];
  }
  return restoreAttributeCommands(sh`${dest}`, prior.before, args);
}

/**
 * `copy`: a file with the given content, mode and owner. Check compares the sha256 of dest
 * (computed on the host) and its attributes; the previous file is kept aside on the host
 * until the run ends; content goes through stdin, never on a command line. `commit` deletes
 * the kept file, or with `backup: true` renames it to `DEST.<run id>~`.
 */
export const copyModule = defineModule<CopyArgs, CopyPrior>({
  name: 'copy',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['dest'],
    description: "A file with the given content (or a control-node file's content); the previous file is kept for rollback.",
    properties: {
      dest: {
        type: 'string',
      },
      content: {
        type: 'string',
        description: "The file's content (or src).",
      },
      src: {
        type: 'string',
        description: 'A file on the control node, relative to the runbook (or content).',
      },
      ...FILE_ATTRIBUTES_SCHEMA,
      backup: {
        type: 'boolean',
        description: 'Also keep the previous file beside dest after the run.',
      },
    },
  },
  load({ value, runbookDir }) {
    const { src, ...rest } = value as CopyYaml;
    return src === undefined ? rest : { ...rest, fileContent: readControlNodeFile(runbookDir, src) };
  },
  rules({ value, at, findings }) {
    if (!isRecord(value)) return;
    if ((value.content === undefined) === (value.src === undefined)) findings.add(at, 'copy needs exactly one of content or src', { at: 'key' });
    else controlNodeFileRule(value.src, `${at}.src`, 'copy', findings);
  },
  show: (args, words) => `writes ${words.arg('dest')}${args.mode ? ` (mode ${args.mode})` : ''}; the previous content is kept for rollback`,
  shellFields: [],
  verbatimFields: ['fileContent'],
  mutating: true,

  async check(ctx, args): Promise<CheckOutcome<CopyPrior>> {
    const { fact, result } = await pathFact(ctx, args.dest, true);
    if (fact.type !== 'missing' && fact.type !== 'file') {
      return { status: 'failed', message: `${args.dest} is ${fact.type === 'other' ? 'not a regular file' : `a ${fact.type}`}: copy only replaces regular files`, commands: [result] };
    }
    const contentChanged = fact.sha256 !== digest(contentOf(args));
    if (!contentChanged && attributesMatch(fact, args)) return { status: 'ok', commands: [result] };
    return { status: 'change', prior: priorFor(ctx, args, fact, contentChanged), commands: [result] };
  },

  async apply(ctx, args, prior) {
    return runAll(ctx, applyCommands(args, prior), prior.contentChanged ? contentOf(args) : undefined);
  },

  async rollback(ctx, args, prior) {
    return runAll(ctx, rollbackCommands(args, prior));
  },

  async commit(ctx, args, prior) {
    if (prior.backup === undefined) return runAll(ctx, []);
    const b = prior.backup;
    return runAll(ctx, [args.backup ? sh`mv -f -- ${b} ${keptBackupPath(ctx, args.dest)}` : sh`rm -f -- ${b}`]);
  },
});
