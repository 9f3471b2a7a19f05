import { posix } from 'node:path';
import { plainName, plainView } from '../../catalog/encryption.js';
import type { CatalogEntry } from '../../catalog/manifest.js';
import { allUnder, pathUnder } from '../../catalog/layout.js';
import type { BackupFile } from '../../catalog/manifest.js';
import type { CommandResult } from '../../connection/connection.js';
import { joinCommands, type ShellCommand, sh } from '../../command/command.js';
import type { ActionOutcome, CheckOutcome, ModuleContext } from '../module.js';
import { refused, runCommand } from '../outcome.js';
import { streamFile } from '../stream.js';
import { objectsOf } from '../../offsite/catalog.js';
import { type SwiftTarget, downloadScript, locationOf, swiftStdin } from '../../offsite/swift.js';
import { type CatalogArgs, type CatalogPrior, type CatalogState, factsOf, selected } from './args.js';
import { checkIdentity, decryptFetched, missingIdentity } from './decrypt.js';
import { checkFiles } from './files.js';
import { type FoundEither, copyWords, lookUpEither, missingPlaces, offsiteOf, verifyThere } from './offsite.js';

/**
 * `fetched`: the backup's files (`only` some of them) are in `dest` on this host, verified on
 * the storage host before they leave and on arrival. An encrypted backup's files arrive as
 * ciphertext (verified as stored), are decrypted here with `identity` and checked against their
 * plaintext digests: dest holds the names without `.age`. Rollback puts dest back as it was;
 * commit removes the files it kept aside.
 */
export const fetchedState: CatalogState = {
  takes: ['dest', 'only', 'verify', 'identity', 'offsite', 'from'],
  needs: ['dest'],

  async check(ctx, args) {
    const looked = await lookUpEither(ctx, args);
    if ('status' in looked) return looked;
    return fetchedCheck(ctx, args, looked);
  },

  async apply(ctx, args, prior) {
    if (!prior.entry) return refused(`catalog state ${args.state} has nothing to apply`);
    return fetch(ctx, args, prior.entry, prior);
  },

  rollback: restoreDest,

  async commit(ctx, _args, prior) {
    if (!prior.aside?.length) return { ok: true, commands: [] };
    return runCommand(ctx, sh`rm -f -- ${prior.aside.map((kept) => kept.aside)}`);
  },

  show: (args, { arg: s }, which) =>
    `fetches the ${which} from ${s('root')} on ${s('storage')}${args.offsite ? ' (or from the off-site copy in Swift when the storage node has none)' : ''} into ${s('dest')}, sha256 verified${args.identity === undefined ? '' : `, decrypted here with ${s('identity')} when it is encrypted`}`,
};

async function fetchedCheck(ctx: ModuleContext, args: CatalogArgs, found: FoundEither): Promise<CheckOutcome<CatalogPrior>> {
  const { entry, copy } = found;
  if (!entry) return { status: 'failed', message: `${found.missing} in ${missingPlaces(args, found)}`, commands: [] };
  const files = selected(entry, args);
  if (files.length === 0) return { status: 'failed', message: `backup ${entry.id} has none of ${String(args.only)}`, commands: [] };
  const identity = await identityProblem(ctx, args, entry);
  if (identity.problem) return { status: 'failed', message: identity.problem, commands: identity.commands };
  const there = await verifyThere(ctx, found, entry, files);
  if (there.problem) return { status: 'failed', message: there.problem, commands: [...identity.commands, ...there.commands] };
  // dest holds what a restore reads: an encrypted file decrypted, by its plaintext's name and digest.
  const here = await checkFiles(ctx, ctx.connection, args.dest ?? '', plainView(files));
  const commands = [...identity.commands, ...there.commands, ...here.commands];
  const summary = `backup ${entry.id} ${copyWords(found, args)}`;
  if (here.problems.length === 0) return { status: 'ok', commands, facts: { ...factsOf(entry), copy }, summary };
  return { status: 'change', prior: { entry, copy }, commands, summary };
}

/** Whether an encrypted backup can be decrypted here: an identity is given, and (an age identity) it is one of the recipients. */
async function identityProblem(ctx: ModuleContext, args: CatalogArgs, entry: CatalogEntry): Promise<{ commands: CommandResult[]; problem?: string }> {
  if (!entry.encryption) return { commands: [] };
  const missing = missingIdentity(entry, args.identity);
  if (missing) return { commands: [], problem: missing };
  return checkIdentity(ctx, entry, entry.encryption, args.identity ?? '');
}

/** The hidden name a file of dest is kept under while the run may still roll back. */
function asideName(ctx: ModuleContext, name: string): string {
  return `.${name}.runbook-${ctx.runId}-${ctx.taskKey}`;
}

/** A file to fetch and where it goes: every path built from the manifest's name under its root. */
interface Fetch {
  file: BackupFile;
  /** In the backup's folder on the storage host. */
  src: string;
  /** In dest on this host. */
  target: string;
  /** Where a file already at target is kept until the run ends. */
  aside: string;
  /** An encrypted file: where its ciphertext arrives in dest (hidden) before it is decrypted to target. */
  cipher?: string;
}

/** The backup's selected files with their paths, or why one of them would leave its folder (then nothing is fetched). */
function planFetch(ctx: ModuleContext, args: CatalogArgs, entry: CatalogEntry): { ok: true; plan: Fetch[] } | { ok: false; problem: string } {
  const plan: Fetch[] = [];
  const dest = args.dest ?? '';
  for (const file of selected(entry, args)) {
    const name = file.plain ? plainName(file.name) : file.name;
    const paths = allUnder({ src: pathUnder(entry.dir, file.name), target: pathUnder(dest, name), aside: pathUnder(dest, asideName(ctx, name)) });
    if (!paths.ok) return { ok: false, problem: `backup ${entry.id}: ${paths.problem}` };
    const cipher = file.plain ? pathUnder(dest, `${asideName(ctx, file.name)}.part`) : undefined;
    if (cipher && !cipher.ok) return { ok: false, problem: `backup ${entry.id}: ${cipher.problem}` };
    plan.push({ file, ...paths.paths, ...(cipher?.ok ? { cipher: cipher.path } : {}) });
  }
  return { ok: true, plan };
}

async function fetch(ctx: ModuleContext, args: CatalogArgs, entry: CatalogEntry, prior: CatalogPrior): Promise<ActionOutcome> {
  const planned = planFetch(ctx, args, entry);
  if (!planned.ok) return refused(planned.problem);
  const made = await ctx.exec(makeDestCommand(args.dest ?? '').text);
  if (made.exitCode !== 0) return { ok: false, commands: [made], message: `cannot create ${args.dest ?? ''} on ${ctx.host.name}` };
  prior.madeDirs = madeDirs(args.dest ?? '', made.stdout);
  prior.aside = [];
  prior.written = [];
  const target = prior.copy === 'offsite' ? offsiteOf(args) : undefined;
  if (prior.copy === 'offsite' && !target) return refused('the off-site copy is not declared any more');
  const storage = target ? undefined : await ctx.connectionTo(args.storage);
  const commands = [made];
  for (const { file, src, target, aside, cipher } of planned.plan) {
    // -L too: a dangling symlink is not -e, and `cat >` would write where it points.
    const kept = await ctx.exec(sh`if [ -e ${target} ] || [ -L ${target} ]; then mv -f -- ${target} ${aside} && echo kept; fi`.text);
    commands.push(kept);
    if (kept.exitCode !== 0) return { ok: false, commands, message: `cannot keep the previous ${target} aside` };
    if (kept.stdout.trim() === 'kept') prior.aside.push({ path: target, aside });
    prior.written.push(target);
    if (cipher) prior.written.push(cipher);
    const arrival = cipher ?? target;
    const sent = storage ? await streamFile(ctx, { from: storage, src }, { to: ctx.connection, temp: arrival, dest: arrival }) : await download(ctx, offsiteOf(args) as SwiftTarget, entry, file, arrival);
    commands.push(...sent.commands);
    if (!sent.ok) return { ok: false, commands, message: sent.message ?? `fetching ${file.name} from ${storage ? args.storage : 'the off-site copy'} failed` };
    if (sent.bytes !== file.size) return { ok: false, commands, message: `${file.name} arrived with ${sent.bytes ?? 0} bytes, the manifest says ${file.size}` };
    if (sent.sha256 !== file.sha256) return { ok: false, commands, message: `${file.name} arrived with sha256 ${sent.sha256}, the manifest says ${file.sha256}` };
    if (!cipher) continue;
    const decrypted = await decryptFetched(ctx, file, { cipher, target }, args.identity ?? '');
    commands.push(...decrypted.commands);
    if (!decrypted.ok) return { ok: false, commands, message: decrypted.message };
  }
  return { ok: true, commands, facts: { ...factsOf(entry), copy: prior.copy ?? 'storage' } };
}

/** One file of the off-site copy to `path` on this host, with what arrived: bytes and sha256, as streamFile says them. */
async function download(ctx: ModuleContext, target: SwiftTarget, entry: CatalogEntry, file: BackupFile, path: string): Promise<ActionOutcome & { bytes?: number; sha256?: string }> {
  const [object = ''] = objectsOf(entry, [file]);
  const result = await ctx.exec(downloadScript(target, object, path).text, { stdin: swiftStdin(target) });
  if (result.exitCode !== 0) return { ok: false, commands: [result], message: `fetching ${file.name} from ${locationOf(target)} failed: ${result.stderr.trim() || `exit ${result.exitCode ?? 'by a signal'}`}` };
  const [size = '', sha256 = ''] = result.stdout.trim().split(' ');
  return { ok: true, commands: [result], bytes: Number(size), sha256 };
}

/**
 * Makes dest with its missing parents, and says how many folders it made (`made N`), so that a
 * rollback removes the parents it made too (a run's work folder), not only dest.
 */
export function makeDestCommand(dest: string): ShellCommand {
  return sh`if [ -d ${dest} ]; then echo existed; else n=0; p=${dest}; while [ ! -d "$p" ]; do n=$((n+1)); p=$(dirname -- "$p"); done; mkdir -p -m 700 -- ${dest} && echo "made $n"; fi`;
}

/** The folders makeDestCommand made, deepest first: dest and as many parents as it says, never `/`. */
function madeDirs(dest: string, stdout: string): string[] {
  const count = Number(/^made (\d+)$/.exec(stdout.trim())?.[1] ?? 0);
  const dirs: string[] = [];
  for (let dir = dest; dirs.length < count && dir !== posix.dirname(dir); dir = posix.dirname(dir)) dirs.push(dir);
  return dirs;
}

/** fetched rollback: the files it wrote removed, the ones it replaced back, the folders it made removed. */
async function restoreDest(ctx: ModuleContext, args: CatalogArgs, prior: CatalogPrior): Promise<ActionOutcome> {
  const steps = (prior.written ?? []).map((path) => sh`rm -f -- ${path}`);
  for (const kept of prior.aside ?? []) steps.push(sh`mv -f -- ${kept.aside} ${kept.path}`);
  if (prior.madeDirs?.length) steps.push(sh`rmdir -- ${prior.madeDirs}`);
  if (steps.length === 0) return { ok: true, commands: [] };
  return runCommand(ctx, joinCommands(steps, '&&'));
}
