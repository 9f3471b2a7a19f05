import { posix } from 'node:path';
import type { Connection } from '../connection/connection.js';
import { shellQuote } from '../connection/quote.js';
import { backupDir, manifestPath, segmentProblem } from '../catalog/layout.js';
import { type BackupFile, type BackupManifest, type CatalogEntry, MANIFEST_FORMAT } from '../catalog/manifest.js';
import { readCatalog, selectBackup } from '../catalog/read.js';
import { RESTORE_TEST_FORMAT, RESTORE_TEST_NAME, type RestoreTest } from '../catalog/restore-test.js';
import type { CatalogArgs } from '../runbook/module-args.js';
import type { ActionOutcome, CheckOutcome, ModuleContext, StepModule } from './module.js';
import { refused, runCommand } from './outcome.js';
import { shOn } from './remote.js';
import { streamFile } from './stream.js';

export type { CatalogArgs };

interface CatalogPrior {
  /** fetched: the backup to bring to this host. */
  entry?: CatalogEntry;
  /** stored: the folder made on the storage host, removed by rollback. */
  made?: string;
  /** fetched: files of dest that existed before, kept aside for rollback. */
  aside?: string[];
  /** fetched: files this step put into dest. */
  written?: string[];
  /** fetched: whether dest had to be created. */
  madeDest?: boolean;
  /** tested: the record this step wrote, and the one it replaced (for rollback). */
  recorded?: { path: string; previous: RestoreTest | null };
}

/** The registered facts of a backup: `{{name.backup.id}}`, `{{name.backup.dir}}`, ... */
function factsOf(entry: CatalogEntry | undefined, matches = false): Record<string, unknown> {
  if (!entry) return { found: false, matches, tested: false, stdout: '', backup: { id: '', dir: '', source_digest: '', created: '', files: [], restore_test: null } };
  return { found: true, matches, tested: entry.restore_test !== null, stdout: entry.id, backup: entry };
}

/**
 * `catalog`: the backup catalog on a storage host, seen from the host whose data it keeps
 * (docs/backups.md). Like `transfer` it reaches the storage host itself, so a runbook never needs
 * a step there and every decision stays with the host the data belongs to.
 *
 * `produce` is the bash script (run with -e -u -o pipefail) that writes the backup's files into
 * `$OUT`, an empty private folder on this host (a dump through gzip, a tar); `stdin` feeds it
 * (credentials). Producing
 * is deterministic (`gzip -n`, `tar --sort=name`, `mysqldump --skip-dump-date`), so equal
 * sha256s mean equal data: that is how an unchanged source is recognised.
 *
 * - `stored`: what `produce` writes is a backup in the catalog, unless it equals the newest
 *   verified backup of the kind and host (then nothing changes). Streamed to
 *   `<root>/<kind>/<host>/<id>/`, each file's sha256 checked on the storage host against the one
 *   taken here, then the manifest is written, last, with `verified: true`. Rollback removes the
 *   folder it made.
 * - `found`: read-only; the newest verified backup (or `id`) is registered; `verify` recomputes
 *   its sha256s on the storage host; with `produce`, `matches` says whether the host's data
 *   equals the backup's files of the same names (a restore would change nothing).
 * - `fetched`: the backup's files (`only` some of them) are in `dest` on this host, verified on
 *   the storage host before they leave and on arrival. Rollback puts dest back as it was.
 * - `tested`: the backup has a restore-test record (`restore-test.json` beside its manifest),
 *   written by the last step of a runbook that restored it into scratch space and compared it
 *   (verify-backup); `force` writes a new one. Rollback puts the previous record back.
 */
export const catalogModule: StepModule<CatalogArgs, CatalogPrior> = {
  name: 'catalog',
  shellFields: ['produce'],
  reaches: ['storage'],
  mutating: true,

  async check(ctx, args): Promise<CheckOutcome<CatalogPrior>> {
    const problem = argsProblem(ctx, args);
    if (problem) return { status: 'failed', message: problem, commands: [] };
    const storage = await ctx.connectionTo(args.storage);
    const catalog = await readCatalog(storage, args.root, ctx.options);
    const query = { kind: args.kind, host: sourceOf(ctx, args), id: idOf(ctx, args) };
    const entry = selectBackup(catalog, query);
    switch (args.state) {
      case 'stored':
        // Whether the source changed is only known by producing it, which is apply's work.
        return entry ? { status: 'ok', commands: [], facts: factsOf(entry) } : { status: 'unknown', prior: {}, commands: [] };
      case 'found':
        return found(ctx, storage, args, entry, describe(query));
      case 'fetched':
        return fetchedCheck(ctx, storage, args, entry, describe(query));
      case 'tested':
        return testedCheck(args, entry, describe(query));
    }
  },

  async apply(ctx, args, prior) {
    if (args.state === 'stored') return store(ctx, args, prior);
    if (args.state === 'fetched' && prior.entry) return fetch(ctx, args, prior.entry, prior);
    if (args.state === 'tested' && prior.entry) return recordTest(ctx, args, prior.entry, prior);
    return refused(`catalog state ${args.state} has nothing to apply`);
  },

  async rollback(ctx, args, prior) {
    if (args.state === 'stored') {
      if (!prior.made) return { ok: true, commands: [] };
      return shOn(ctx, await ctx.connectionTo(args.storage), `rm -rf -- ${shellQuote(prior.made)}`);
    }
    if (args.state === 'tested') return unrecordTest(ctx, args, prior);
    return restoreDest(ctx, args, prior);
  },

  async commit(ctx, args, prior) {
    if (args.state !== 'fetched' || !prior.aside?.length) return { ok: true, commands: [] };
    return runCommand(ctx, `rm -f -- ${prior.aside.map((name) => shellQuote(asideName(ctx, args, name))).join(' ')}`);
  },
};

function sourceOf(ctx: ModuleContext, args: CatalogArgs): string {
  return args.host ?? ctx.host.name;
}

/** stored: the new backup is this run's; otherwise `latest` unless an id is given. */
function idOf(ctx: ModuleContext, args: CatalogArgs): string {
  if (args.id !== undefined && args.id !== '') return args.id;
  return args.state === 'stored' ? ctx.runId : 'latest';
}

function describe(query: { kind: string; host: string; id: string }): string {
  return query.id === 'latest' ? `no verified ${query.kind} backup of ${query.host}` : `no verified ${query.kind} backup ${query.id} of ${query.host}`;
}

function argsProblem(ctx: ModuleContext, args: CatalogArgs): string | undefined {
  const id = idOf(ctx, args);
  return segmentProblem('kind', args.kind) ?? segmentProblem('host', sourceOf(ctx, args)) ?? (id === 'latest' ? undefined : segmentProblem('backup id', id));
}

/** The files of a backup this step is about: all, or those whose name before the first dot is in `only`. */
function selected(entry: CatalogEntry, args: CatalogArgs): BackupFile[] {
  if (!args.only) return entry.files;
  const wanted = new Set(typeof args.only === 'string' ? args.only.split(',') : args.only);
  return entry.files.filter((f) => wanted.has(f.name.split('.')[0] ?? f.name));
}

/** In `dir` on a host, whether `files` have their sha256 (`sha256sum -c`); the ones that do not are printed. */
function checkSums(ctx: ModuleContext, connection: Connection, dir: string, files: readonly BackupFile[]) {
  const sums = files.map((f) => `${f.sha256}  ${f.name}\n`).join('');
  return connection.exec(`cd ${shellQuote(dir)} && sha256sum --quiet -c -`, { ...ctx.options, stdin: sums });
}

/** On the storage host: the files still have the sha256 the manifest recorded. */
async function verifyOnStorage(ctx: ModuleContext, storage: Connection, entry: CatalogEntry, files: readonly BackupFile[]) {
  const result = await checkSums(ctx, storage, entry.dir, files);
  const bad = result.stdout.trim().split('\n').filter(Boolean).join('; ');
  return { result, problem: result.exitCode === 0 ? undefined : `backup ${entry.id} in ${entry.dir} on ${storage.host} fails its checksums: ${bad || result.stderr.trim()}` };
}

async function found(ctx: ModuleContext, storage: Connection, args: CatalogArgs, entry: CatalogEntry | undefined, missing: string): Promise<CheckOutcome<CatalogPrior>> {
  if (!entry) {
    if (args.required === false) return { status: 'ok', commands: [], facts: factsOf(undefined) };
    return { status: 'failed', message: `${missing} in ${args.root} on ${args.storage}`, commands: [] };
  }
  const commands = [];
  if (args.verify) {
    const { result, problem } = await verifyOnStorage(ctx, storage, entry, entry.files);
    if (problem) return { status: 'failed', message: problem, commands: [result] };
    commands.push(result);
  }
  if (args.produce === undefined) return { status: 'ok', commands, facts: factsOf(entry) };
  const produced = await produce(ctx, args, async () => ({ ok: true, commands: [] }));
  commands.push(...produced.commands);
  if (!produced.ok) return { status: 'failed', message: produced.message ?? 'produce failed', commands };
  const matches = sameFiles(produced.files, entry.files, 'subset');
  if (args.must_match && !matches) return { status: 'failed', message: `the data on ${ctx.host.name} does not equal ${args.kind} backup ${entry.id}: ${mismatchOf(produced.files, entry.files)}`, commands };
  return { status: 'ok', commands, facts: factsOf(entry, matches) };
}

function mismatchOf(produced: readonly BackupFile[], backup: readonly BackupFile[]): string {
  const byName = new Map(backup.map((f) => [f.name, f.sha256]));
  return produced.filter((f) => byName.get(f.name) !== f.sha256).map((f) => (byName.has(f.name) ? `${f.name} differs` : `${f.name} is not in the backup`)).join(', ');
}

/** Whether produced files equal a backup's: all of them (stored), or those of the same names (found). */
function sameFiles(produced: readonly BackupFile[], backup: readonly BackupFile[], how: 'all' | 'subset'): boolean {
  if (produced.length === 0 || (how === 'all' && produced.length !== backup.length)) return false;
  const byName = new Map(backup.map((f) => [f.name, f.sha256]));
  return produced.every((f) => byName.get(f.name) === f.sha256);
}

type Produced = ActionOutcome & { files: BackupFile[] };

/**
 * Runs `produce` into a fresh private folder on this host, lists what it wrote (size, sha256),
 * hands that to `use`, and removes the folder whatever happened.
 */
async function produce(ctx: ModuleContext, args: CatalogArgs, use: (dir: string, files: BackupFile[]) => Promise<ActionOutcome>): Promise<Produced> {
  // Named by host too: hosts may share /var/tmp (NFS, the lab).
  const dir = `/var/tmp/runbook-${ctx.runId}-${ctx.taskKey}-${ctx.host.name}`;
  const out = shellQuote(dir);
  const made = await ctx.exec(`rm -rf -- ${out} && mkdir -m 700 -- ${out}`);
  if (made.exitCode !== 0) return { ok: false, commands: [made], files: [], message: `cannot create ${dir} on ${ctx.host.name}` };
  try {
    // bash with -e -u -o pipefail: a dump that fails half-way must fail the step, never become a
    // short backup (POSIX sh has no pipefail: `mysqldump | gzip` would exit 0). --norc: bash
    // started under sshd reads bashrc otherwise.
    const command = `OUT=${out}; export OUT; exec bash --norc --noprofile -euo pipefail -c ${shellQuote(args.produce ?? 'false')}`;
    const ran = await ctx.exec(command, args.stdin === undefined ? undefined : { stdin: args.stdin });
    if (ran.exitCode !== 0) return { ok: false, commands: [made, ran], files: [], message: `produce failed on ${ctx.host.name}: exit ${ran.exitCode ?? 'by a signal'}${ran.stderr.trim() ? `: ${ran.stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}` };
    const listing = await ctx.exec(listFilesCommand(dir));
    const files = parseListing(listing.stdout);
    if (listing.exitCode !== 0 || files.length === 0) return { ok: false, commands: [made, ran, listing], files, message: `produce wrote no files into $OUT on ${ctx.host.name}` };
    const used = await use(dir, files);
    return { ...used, commands: [made, ran, listing, ...used.commands], files };
  } finally {
    await ctx.exec(`rm -rf -- ${out}`).catch(() => undefined);
  }
}

/** `SIZE SHA256  NAME` per regular file of a folder. */
function listFilesCommand(dir: string): string {
  return `cd ${shellQuote(dir)} && for f in *; do [ -f "$f" ] && printf '%s %s\\n' "$(stat -c %s -- "$f")" "$(sha256sum -- "$f")"; done; true`;
}

async function fetchedCheck(ctx: ModuleContext, storage: Connection, args: CatalogArgs, entry: CatalogEntry | undefined, missing: string): Promise<CheckOutcome<CatalogPrior>> {
  if (!entry) return { status: 'failed', message: `${missing} in ${args.root} on ${args.storage}`, commands: [] };
  const files = selected(entry, args);
  if (files.length === 0) return { status: 'failed', message: `backup ${entry.id} has none of ${String(args.only)}`, commands: [] };
  const onStorage = await verifyOnStorage(ctx, storage, entry, files);
  if (onStorage.problem) return { status: 'failed', message: onStorage.problem, commands: [onStorage.result] };
  const dest = args.dest ?? '';
  const here = await checkSums(ctx, ctx.connection, dest, files);
  const commands = [onStorage.result, here];
  if (here.exitCode === 0) return { status: 'ok', commands, facts: factsOf(entry) };
  return { status: 'change', prior: { entry }, commands };
}

async function store(ctx: ModuleContext, args: CatalogArgs, prior: CatalogPrior): Promise<ActionOutcome> {
  const storage = await ctx.connectionTo(args.storage);
  const newest = selectBackup(await readCatalog(storage, args.root, ctx.options), { kind: args.kind, host: sourceOf(ctx, args), id: 'latest' });
  return produce(ctx, args, async (src, files) => {
    if (newest && sameFiles(files, newest.files, 'all')) return { ok: true, commands: [], changed: false, facts: factsOf(newest, true) };
    return ship(ctx, args, storage, src, files, prior);
  });
}

/** Streams the produced files to a new folder of the catalog, verifies them there, writes the manifest last. */
async function ship(ctx: ModuleContext, args: CatalogArgs, storage: Connection, src: string, files: BackupFile[], prior: CatalogPrior): Promise<ActionOutcome> {
  const dir = backupDir(args.root, args.kind, sourceOf(ctx, args), idOf(ctx, args));
  const made = await shOn(ctx, storage, `mkdir -p -- ${shellQuote(posix.dirname(dir))} && mkdir -m 700 -- ${shellQuote(dir)}`);
  if (!made.ok) return { ...made, message: `cannot create ${dir} on ${args.storage} (does it exist already?)` };
  prior.made = dir;
  const commands = [...made.commands];
  for (const file of files) {
    const temp = posix.join(dir, `.${file.name}.part`);
    const sent = await streamFile(ctx, { from: ctx.connection, src: posix.join(src, file.name) }, { to: storage, temp, dest: posix.join(dir, file.name) });
    commands.push(...sent.commands);
    if (!sent.ok) return { ok: false, commands, message: sent.message ?? `sending ${file.name} to ${args.storage} failed` };
    const moved = await shOn(ctx, storage, `mv -- ${shellQuote(temp)} ${shellQuote(posix.join(dir, file.name))}`);
    commands.push(...moved.commands);
    if (!moved.ok) return { ok: false, commands, message: `cannot rename ${temp} on ${args.storage}` };
  }
  const verified = await checkSums(ctx, storage, dir, files);
  commands.push(verified);
  if (verified.exitCode !== 0) return { ok: false, commands, message: `on ${args.storage}, ${dir} does not match what left ${ctx.host.name}: ${verified.stdout.trim()}` };
  const manifest = manifestOf(ctx, args, files);
  const written = await writeOnStorage(ctx, args, manifestPath(dir), `${JSON.stringify(manifest, null, 2)}\n`);
  commands.push(...written.commands);
  if (!written.ok) return { ok: false, commands, message: `cannot write the manifest in ${dir} on ${args.storage}` };
  return { ok: true, commands, facts: factsOf({ ...manifest, dir, restore_test: null }, true) };
}

function parseListing(stdout: string): BackupFile[] {
  return stdout.split('\n').filter(Boolean).map((line) => {
    const [size = '0', sha256 = '', ...name] = line.split(' ');
    return { size: Number(size), sha256, name: name.join(' ').trimStart() };
  });
}

function manifestOf(ctx: ModuleContext, args: CatalogArgs, files: BackupFile[]): BackupManifest {
  const now = new Date().toISOString();
  return {
    format: MANIFEST_FORMAT,
    id: idOf(ctx, args),
    kind: args.kind,
    host: sourceOf(ctx, args),
    created: now,
    run: { id: ctx.runId, runbook: ctx.runbook?.name ?? '', version: ctx.runbook?.version ?? '' },
    source_digest: args.source_digest ?? '',
    contents: args.contents ?? {},
    depends_on: args.depends_on ?? null,
    files,
    verified: true,
    verified_at: now,
  };
}

function asideName(ctx: ModuleContext, args: CatalogArgs, name: string): string {
  return posix.join(args.dest ?? '', `.${name}.runbook-${ctx.runId}-${ctx.taskKey}`);
}

async function fetch(ctx: ModuleContext, args: CatalogArgs, entry: CatalogEntry, prior: CatalogPrior): Promise<ActionOutcome> {
  const dest = args.dest ?? '';
  const storage = await ctx.connectionTo(args.storage);
  const files = selected(entry, args);
  const made = await ctx.exec(`if [ -d ${shellQuote(dest)} ]; then echo existed; else mkdir -p -m 700 -- ${shellQuote(dest)} && echo made; fi`);
  if (made.exitCode !== 0) return { ok: false, commands: [made], message: `cannot create ${dest} on ${ctx.host.name}` };
  prior.madeDest = made.stdout.trim() === 'made';
  prior.aside = [];
  prior.written = [];
  const commands = [made];
  for (const file of files) {
    const target = posix.join(dest, file.name);
    const kept = await ctx.exec(`if [ -e ${shellQuote(target)} ]; then mv -f -- ${shellQuote(target)} ${shellQuote(asideName(ctx, args, file.name))} && echo kept; fi`);
    commands.push(kept);
    if (kept.exitCode !== 0) return { ok: false, commands, message: `cannot keep the previous ${target} aside` };
    if (kept.stdout.trim() === 'kept') prior.aside.push(file.name);
    prior.written.push(file.name);
    const sent = await streamFile(ctx, { from: storage, src: posix.join(entry.dir, file.name) }, { to: ctx.connection, temp: target, dest: target });
    commands.push(...sent.commands);
    if (!sent.ok) return { ok: false, commands, message: sent.message ?? `fetching ${file.name} from ${args.storage} failed` };
    if (sent.sha256 !== file.sha256) return { ok: false, commands, message: `${file.name} arrived with sha256 ${sent.sha256}, the manifest says ${file.sha256}` };
  }
  return { ok: true, commands, facts: factsOf(entry) };
}

/** fetched rollback: the files it wrote removed, the ones it replaced back, dest removed if it made it. */
async function restoreDest(ctx: ModuleContext, args: CatalogArgs, prior: CatalogPrior): Promise<ActionOutcome> {
  const dest = args.dest ?? '';
  const steps = (prior.written ?? []).map((name) => `rm -f -- ${shellQuote(posix.join(dest, name))}`);
  for (const name of prior.aside ?? []) steps.push(`mv -f -- ${shellQuote(asideName(ctx, args, name))} ${shellQuote(posix.join(dest, name))}`);
  if (prior.madeDest) steps.push(`rmdir -- ${shellQuote(dest)}`);
  if (steps.length === 0) return { ok: true, commands: [] };
  return runCommand(ctx, steps.join(' && '));
}

/** tested: `ok` when the backup already has a restore-test record and no new one is forced. */
function testedCheck(args: CatalogArgs, entry: CatalogEntry | undefined, missing: string): CheckOutcome<CatalogPrior> {
  if (!entry) return { status: 'failed', message: `${missing} in ${args.root} on ${args.storage}`, commands: [] };
  if (entry.restore_test && !isForced(args.force)) return { status: 'ok', commands: [], facts: factsOf(entry) };
  return { status: 'change', prior: { entry }, commands: [] };
}

/** `force` is a boolean, or the text of one once a template (`"{{params.retest}}"`) is rendered. */
function isForced(force: CatalogArgs['force']): boolean {
  return force === true || force === 'true';
}

async function recordTest(ctx: ModuleContext, args: CatalogArgs, entry: CatalogEntry, prior: CatalogPrior): Promise<ActionOutcome> {
  const record: RestoreTest = {
    format: RESTORE_TEST_FORMAT,
    backup: entry.id,
    tested_at: new Date().toISOString(),
    on: ctx.host.name,
    run: { id: ctx.runId, runbook: ctx.runbook?.name ?? '', version: ctx.runbook?.version ?? '' },
  };
  const path = posix.join(entry.dir, RESTORE_TEST_NAME);
  prior.recorded = { path, previous: entry.restore_test };
  const written = await writeOnStorage(ctx, args, path, `${JSON.stringify(record, null, 2)}\n`);
  if (!written.ok) return { ...written, message: `cannot write ${path} on ${args.storage}` };
  return { ...written, facts: factsOf({ ...entry, restore_test: record }) };
}

/** tested rollback: the record this step wrote removed, or the one it replaced written back. */
async function unrecordTest(ctx: ModuleContext, args: CatalogArgs, prior: CatalogPrior): Promise<ActionOutcome> {
  if (!prior.recorded) return { ok: true, commands: [] };
  const { path, previous } = prior.recorded;
  if (previous) return writeOnStorage(ctx, args, path, `${JSON.stringify(previous, null, 2)}\n`);
  return shOn(ctx, await ctx.connectionTo(args.storage), `rm -f -- ${shellQuote(path)}`);
}

/** A small file on the storage host, written whole or not at all (a temporary name, then mv). */
async function writeOnStorage(ctx: ModuleContext, args: CatalogArgs, path: string, text: string): Promise<ActionOutcome> {
  const storage = await ctx.connectionTo(args.storage);
  const temp = shellQuote(posix.join(posix.dirname(path), `.${posix.basename(path)}.part`));
  const result = await storage.exec(`umask 077 && cat > ${temp} && mv -f -- ${temp} ${shellQuote(path)}`, { ...ctx.options, stdin: text });
  return { ok: result.exitCode === 0, commands: [result] };
}
