import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { renderDiagnostics } from '../diagnostics/print.js';
import { type Result, fail, ok } from '../diagnostics/result.js';
import { diffRunbooks } from '../diff/diff.js';
import { changedRunbooks, GitError, readAtRevision } from '../diff/git.js';
import { type DiffSide, loadDiffSide } from '../diff/load.js';
import { diffMarkdown } from '../diff/markdown.js';
import type { RunbookDiff } from '../diff/types.js';
import { type CommandIO, EXIT } from '../app/io.js';

/** `runbook diff` flags. */
export interface DiffOptions {
  /** Compare the files with their text at this git revision. */
  base?: string;
  json: boolean;
}

/** OLD or NEW does not exist: a usage error. */
class UnreadableFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableFileError';
  }
}

/** One file's two texts; undefined where the file does not exist on that side. */
interface TextPair {
  file: string;
  old?: { text: string; label: string };
  new?: { text: string; label: string };
}

async function readIfExists(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
}

async function pairsFromFiles(oldFile: string, newFile: string, cwd: string): Promise<TextPair[]> {
  const [a, b] = [resolve(cwd, oldFile), resolve(cwd, newFile)];
  const [oldText, newText] = await Promise.all([readIfExists(a), readIfExists(b)]);
  if (oldText === undefined || newText === undefined) throw new UnreadableFileError(`cannot read ${oldText === undefined ? oldFile : newFile}: no such file`);
  return [{ file: b, old: { text: oldText, label: a }, new: { text: newText, label: b } }];
}

async function pairsFromBase(base: string, files: readonly string[], cwd: string): Promise<TextPair[]> {
  const targets = files.length > 0 ? files.map((f) => relative(cwd, resolve(cwd, f))) : await changedRunbooks(cwd, base);
  return Promise.all(
    targets.map(async (file): Promise<TextPair> => {
      const [oldText, newText] = await Promise.all([readAtRevision(cwd, base, file), readIfExists(resolve(cwd, file))]);
      return {
        file: resolve(cwd, file),
        ...(oldText === undefined ? {} : { old: { text: oldText, label: `${base}:${file}` } }),
        ...(newText === undefined ? {} : { new: { text: newText, label: resolve(cwd, file) } }),
      };
    }),
  );
}

/** One file's diff, or the diagnostics of the side(s) that do not parse. */
function diffPair(pair: TextPair): Result<RunbookDiff> {
  const side = (s: TextPair['old']): DiffSide | undefined => (s === undefined ? undefined : loadDiffSide(pair.file, s.text, s.label));
  const [a, b] = [side(pair.old), side(pair.new)];
  const bad = [a, b].flatMap((s) => (s !== undefined && !s.ok ? s.error : []));
  if (bad.length > 0) return fail(bad);
  const old = a?.ok ? a.value : undefined;
  const next = b?.ok ? b.value : undefined;
  return ok(diffRunbooks(old, next, pair.old?.text !== pair.new?.text));
}

function print(diffs: RunbookDiff[], options: DiffOptions, io: CommandIO): void {
  const bumped = diffs.every((d) => d.version?.ok ?? true);
  if (options.json) io.out(JSON.stringify({ ok: bumped, runbooks: diffs }, null, 2));
  else if (diffs.length === 0) io.out(`No runbook changed${options.base ? ` since ${options.base}` : ''}.`);
  else io.out(diffs.map(diffMarkdown).join('\n'));
}

/**
 * `runbook diff OLD NEW` or `runbook diff --base REV [FILE...]`: the semantic review of runbook
 * changes, markdown or JSON. Exit 1 when a version was not bumped or bumped wrongly, 2 on a
 * usage error or an unreadable runbook.
 */
export async function diffCommand(files: string[], options: DiffOptions, io: CommandIO): Promise<number> {
  if (options.base === undefined && files.length !== 2) {
    io.err('error: diff needs OLD and NEW files, or --base REV [FILE...]');
    return EXIT.usage;
  }
  let pairs: TextPair[];
  try {
    pairs = options.base === undefined ? await pairsFromFiles(files[0]!, files[1]!, io.cwd) : await pairsFromBase(options.base, files, io.cwd);
  } catch (error) {
    if (!(error instanceof GitError || error instanceof UnreadableFileError)) throw error;
    io.err(`error: ${error.message}`);
    return EXIT.usage;
  }
  const outcomes = pairs.filter((p) => p.old !== undefined || p.new !== undefined).map(diffPair);
  const invalid = outcomes.flatMap((o) => (o.ok ? [] : o.error));
  if (invalid.length > 0) {
    io.err(renderDiagnostics(invalid, { color: io.color, form: 'line' }));
    return EXIT.usage;
  }
  const diffs = outcomes.flatMap((o) => (o.ok ? [o.value] : []));
  print(diffs, options, io);
  return diffs.every((d) => d.version?.ok ?? true) ? EXIT.ok : EXIT.failed;
}
