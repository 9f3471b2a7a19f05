import { posix } from 'node:path';
import { type Encryption, plainView, sameEncryption } from '../../catalog/encryption.js';
import { allUnder, backupDir, MANIFEST_NAME, pathUnder } from '../../catalog/layout.js';
import { type BackupFile, type BackupManifest, MANIFEST_FORMAT, parseManifest } from '../../catalog/manifest.js';
import { readCatalog, selectBackup } from '../../catalog/read.js';
import type { Connection } from '../../connection/connection.js';
import { sh } from '../../command/command.js';
import type { ActionOutcome, ModuleContext } from '../module.js';
import { shOn } from '../remote.js';
import { streamFile } from '../stream.js';
import { type CatalogArgs, type CatalogPrior, type CatalogState, factsOf, idOf, lookUp, sourceOf } from './args.js';
import { encryptionOf, encryptProduced } from './encrypt.js';
import { checkFiles, sameFiles } from './files.js';
import { produce } from './produce.js';
import { writeOnStorage } from './storage.js';

/**
 * `stored`: what `produce` writes is a backup in the catalog, unless it equals the newest
 * verified backup of the kind and host (then nothing changes). Streamed to
 * `<root>/<kind>/<host>/<id>/`, each file's sha256 checked on the storage host against the one
 * taken here, then the manifest is written, last, with `verified: true`. Rollback removes the
 * folder it made.
 */
export const storedState: CatalogState = {
  takes: ['produce', 'stdin', 'source_digest', 'contents', 'depends_on', 'recipients'],
  needs: ['produce'],

  async check(ctx, args) {
    const encryption = encryptionOf(args);
    if (!encryption.ok) return { status: 'failed', message: `${ctx.host.name}: ${encryption.problem}`, commands: [] };
    const looked = await lookUp(ctx, args, false);
    if ('status' in looked) return looked;
    // Whether the source changed is only known by producing it, which is apply's work.
    return looked.entry ? { status: 'ok', commands: [], facts: factsOf(looked.entry) } : { status: 'unknown', prior: {}, commands: [] };
  },

  apply: store,

  async rollback(ctx, args, prior) {
    if (!prior.made) return { ok: true, commands: [] };
    return shOn(ctx, await ctx.connectionTo(args.storage), sh`rm -rf -- ${prior.made}`);
  },

  show: (args, { arg: s }, which) =>
    `stores what \`produce\` writes as the ${which} in ${s('root')} on ${s('storage')}${args.recipients === undefined ? '' : `, encrypted with age to ${s('recipients')} before it leaves this host`}, sha256 verified there, with its manifest (nothing when it equals the newest)`,
};

async function store(ctx: ModuleContext, args: CatalogArgs, prior: CatalogPrior): Promise<ActionOutcome> {
  const wanted = encryptionOf(args);
  if (!wanted.ok) return { ok: false, commands: [], message: `${ctx.host.name}: ${wanted.problem}` };
  const { encryption } = wanted;
  const storage = await ctx.connectionTo(args.storage);
  const newest = selectBackup(await readCatalog(storage, args.root, ctx.options), { kind: args.kind, host: sourceOf(ctx, args), id: 'latest' });
  return produce(ctx, args, async (src, files) => {
    // On the plaintext (age is randomised), and encrypted alike: new recipients make a new backup.
    if (newest && sameEncryption(newest.encryption, encryption) && sameFiles(files, plainView(newest.files), 'all')) return { ok: true, commands: [], changed: false, facts: factsOf(newest, true) };
    if (!encryption) return ship(ctx, args, storage, src, files, prior, null);
    const encrypted = await encryptProduced(ctx, src, files, encryption);
    if (!encrypted.ok) return { ok: false, commands: encrypted.commands, message: encrypted.message };
    const shipped = await ship(ctx, args, storage, src, encrypted.files, prior, encryption);
    return { ...shipped, commands: [...encrypted.commands, ...shipped.commands] };
  });
}

/**
 * Streams the produced files to a new folder of the catalog, verifies them there, writes the
 * manifest last. The manifest is read back with the reader's own check first: the writer never
 * writes a manifest that a restore would refuse (a file name `produce` chose that is not plain).
 */
async function ship(ctx: ModuleContext, args: CatalogArgs, storage: Connection, src: string, files: BackupFile[], prior: CatalogPrior, encryption: Encryption | null): Promise<ActionOutcome> {
  const manifest = manifestOf(ctx, args, files, encryption);
  const readable = parseManifest(JSON.stringify(manifest, null, 2));
  if (!readable.ok) return { ok: false, commands: [], message: `produce wrote what the catalog cannot hold on ${ctx.host.name}: ${readable.problem}` };
  const folder = allUnder({ dir: backupDir(args.root, manifest.kind, manifest.host, manifest.id), src: pathUnder(src) });
  if (!folder.ok) return { ok: false, commands: [], message: folder.problem };
  const { dir } = folder.paths;
  // A folder of this id without a manifest is this run's own unfinished backup, left by an
  // earlier attempt of this step (retries): it is never listed, and is replaced.
  const unfinished = sh`[ -d ${dir} ] && [ ! -e ${posix.join(dir, MANIFEST_NAME)} ] && rm -rf -- ${dir}`;
  const made = await shOn(ctx, storage, sh`mkdir -p -- ${posix.dirname(dir)} && { ${unfinished}; mkdir -m 700 -- ${dir}; }`);
  if (!made.ok) return { ...made, message: `cannot create ${dir} on ${args.storage} (a finished backup of this id exists already?)` };
  prior.made = dir;
  const commands = [...made.commands];
  for (const file of files) {
    const sent = await shipFile(ctx, args, storage, folder.paths, file);
    commands.push(...sent.commands);
    if (!sent.ok) return { ok: false, commands, message: sent.message ?? `sending ${file.name} to ${args.storage} failed` };
  }
  const verified = await checkFiles(ctx, storage, dir, files);
  commands.push(...verified.commands);
  if (verified.problems.length > 0) return { ok: false, commands, message: `on ${args.storage}, ${dir} does not match what left ${ctx.host.name}: ${verified.problems.join('; ')}` };
  const written = await writeOnStorage(ctx, args, dir, MANIFEST_NAME, `${JSON.stringify({ ...manifest, verified_at: new Date().toISOString() }, null, 2)}\n`);
  commands.push(...written.commands);
  if (!written.ok) return { ok: false, commands, message: written.message ?? `cannot write the manifest in ${dir} on ${args.storage}` };
  return { ok: true, commands, facts: factsOf({ ...manifest, dir, restore_test: null }, true) };
}

/** One produced file into the backup's folder: a temporary name, then renamed once it all arrived. */
async function shipFile(ctx: ModuleContext, args: CatalogArgs, storage: Connection, folder: { dir: string; src: string }, file: BackupFile): Promise<ActionOutcome> {
  const paths = allUnder({ temp: pathUnder(folder.dir, `.${file.name}.part`), dest: pathUnder(folder.dir, file.name), src: pathUnder(folder.src, file.name) });
  if (!paths.ok) return { ok: false, commands: [], message: paths.problem };
  const { temp, dest, src } = paths.paths;
  const sent = await streamFile(ctx, { from: ctx.connection, src }, { to: storage, temp, dest });
  if (!sent.ok) return { ok: false, commands: sent.commands, message: sent.message ?? `sending ${file.name} to ${args.storage} failed` };
  if (sent.bytes !== file.size) return { ok: false, commands: sent.commands, message: `${file.name} changed while it was sent: ${sent.bytes ?? 0} bytes went, it had ${file.size}` };
  const moved = await shOn(ctx, storage, sh`mv -- ${temp} ${dest}`);
  const commands = [...sent.commands, ...moved.commands];
  return moved.ok ? { ok: true, commands } : { ok: false, commands, message: `cannot rename ${temp} on ${args.storage}` };
}

function manifestOf(ctx: ModuleContext, args: CatalogArgs, files: BackupFile[], encryption: Encryption | null): BackupManifest {
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
    encryption,
  };
}
