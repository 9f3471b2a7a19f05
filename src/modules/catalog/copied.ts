import { MANIFEST_NAME, pathUnder } from '../../catalog/layout.js';
import type { CatalogEntry } from '../../catalog/manifest.js';
import { readCatalog, selectBackup } from '../../catalog/read.js';
import { sh } from '../../command/command.js';
import type { Connection } from '../../connection/connection.js';
import { checkOffsiteFiles, objectsOf } from '../../offsite/catalog.js';
import { type SwiftTarget, type Upload, deleteScript, locationOf, parseHeads, headScript, swiftStdin, targetProblem, uploadScript } from '../../offsite/swift.js';
import type { ActionOutcome, CheckOutcome, ModuleContext } from '../module.js';
import { refused } from '../outcome.js';
import { type CatalogArgs, type CatalogPrior, type CatalogState, argsProblem, factsOf, idOf, missingWords, refusedOn, sourceOf } from './args.js';
import { verifyOnStorage } from './files.js';
import { offsiteOf } from './offsite.js';

/**
 * `copied`: the backup (default the newest verified one) has a verified off-site copy in Swift,
 * `<container>/<kind>/<host>/<id>/<file>`, made from the storage node: each file sent with its
 * md5 as the ETag (Swift refuses a mismatch) and its sha256 as metadata, each checked there by
 * size and sha256, then the manifest, byte for byte, last: its presence means the copy is
 * complete. Files are copied as they are (an encrypted backup stays encrypted). A copy already
 * complete changes nothing. Rollback deletes what the step uploaded, the manifest first.
 */
export const copiedState: CatalogState = {
  takes: ['offsite', 'required'],
  needs: ['offsite'],

  async check(ctx, args) {
    const ready = await backupAndTarget(ctx, args);
    if ('status' in ready) return ready;
    const { storage, entry, target } = ready;
    const there = await copyProblems(ctx, storage, target, entry);
    const facts = { ...factsOf(entry), copied: true, location: locationOf(target) };
    if (there.problems.length === 0) return { status: 'ok', commands: there.commands, facts, summary: `backup ${entry.id} is in ${locationOf(target)}` };
    return { status: 'change', prior: { entry }, commands: there.commands, summary: `copies backup ${entry.id} to ${locationOf(target)}: ${there.problems[0] ?? ''}` };
  },

  async apply(ctx, args, prior) {
    const target = offsiteOf(args);
    if (!prior.entry || !target) return refused(`catalog state ${args.state} has nothing to apply`);
    return copy(ctx, args, await ctx.connectionTo(args.storage), target, prior.entry, prior);
  },

  async rollback(ctx, args, prior) {
    const target = offsiteOf(args);
    if (!prior.uploaded?.length || !target) return { ok: true, commands: [] };
    const result = await (await ctx.connectionTo(args.storage)).exec(deleteScript(target, [...prior.uploaded].reverse()).text, { ...ctx.options, stdin: swiftStdin(target) });
    return { ok: result.exitCode === 0, commands: [result], ...(result.exitCode === 0 ? {} : { message: `cannot delete the partial copy in ${locationOf(target)}: ${result.stderr.trim()}` }) };
  },

  show: (_args, { arg: s }, which) => `copies the ${which} from ${s('root')} on ${s('storage')} to the off-site Swift container, verified there (nothing when the copy is complete)`,
};

/** The backup to copy (on the storage node) and the Swift to copy it to; or why the step fails. */
async function backupAndTarget(ctx: ModuleContext, args: CatalogArgs): Promise<{ storage: Connection; entry: CatalogEntry; target: SwiftTarget } | CheckOutcome<never>> {
  const failed = (message: string): CheckOutcome<never> => ({ status: 'failed', message, commands: [] });
  const problem = argsProblem(ctx, args);
  if (problem) return failed(problem);
  const target = offsiteOf(args);
  if (!target) return failed('catalog state copied needs offsite with an auth_url (the inventory declares no offsite_swift_auth_url)');
  const bad = targetProblem(target);
  if (bad) return failed(bad);
  const storage = await ctx.connectionTo(args.storage);
  const catalog = await readCatalog(storage, args.root, ctx.options);
  const query = { kind: args.kind, host: sourceOf(ctx, args), id: idOf(ctx, args) };
  const refusedWhy = refusedOn(catalog, query, args.storage);
  if (refusedWhy) return failed(refusedWhy);
  const entry = selectBackup(catalog, query);
  if (!entry && args.required === false) return { status: 'ok', commands: [], facts: { ...factsOf(undefined), copied: false, location: locationOf(target) }, summary: `${missingWords(query)}: nothing to copy` };
  if (!entry) return failed(`${missingWords(query)} in ${args.root} on ${args.storage}`);
  return { storage, entry, target };
}

/** The manifest as it is on the storage node: size, sha256, md5 (`SIZE SHA256 MD5`). */
async function manifestSums(ctx: ModuleContext, storage: Connection, entry: CatalogEntry) {
  const path = pathUnder(entry.dir, MANIFEST_NAME);
  if (!path.ok) return { ok: false as const, problem: path.problem, commands: [] };
  const result = await storage.exec(sh`f=${path.path}; s=$(stat -c %s -- "$f") && h=$(sha256sum < "$f") && m=$(md5sum < "$f") && printf '%s %s %s\\n' "$s" "\${h%% *}" "\${m%% *}"`.text, ctx.options);
  const [size = '', sha256 = '', md5 = ''] = result.stdout.trim().split(' ');
  if (result.exitCode !== 0 || !/^[0-9a-f]{64}$/.test(sha256)) return { ok: false as const, problem: `cannot read ${path.path} on ${storage.host}`, commands: [result] };
  return { ok: true as const, path: path.path, size: Number(size), sha256, md5, commands: [result] };
}

/** The md5 of each file of the backup on the storage node, in order (`-` for one it cannot read). */
async function localMd5s(ctx: ModuleContext, storage: Connection, entry: CatalogEntry) {
  const paths = entry.files.map((f) => pathUnder(entry.dir, f.name));
  const bad = paths.find((p) => !p.ok);
  if (bad && !bad.ok) return { commands: [], sums: [] as string[], problem: bad.problem };
  const result = await storage.exec(sh`while IFS= read -r f; do m=$(md5sum < "$f" 2>/dev/null) && echo "\${m%% *}" || echo -; done`.text, { ...ctx.options, stdin: paths.map((p) => `${p.ok ? p.path : ''}\n`).join('') });
  return { commands: [result], sums: result.stdout.split('\n'), problem: result.exitCode === 0 ? undefined : `cannot read ${entry.dir} on ${storage.host}` };
}

/**
 * What the copy in Swift lacks: each file there with the manifest's size and sha256 metadata
 * and, as its ETag (the md5 Swift computed when it stored it), the md5 of the storage node's
 * file, so an object replaced in Swift is copied again; then the manifest, the same bytes as
 * the storage node's.
 */
async function copyProblems(ctx: ModuleContext, storage: Connection, target: SwiftTarget, entry: CatalogEntry) {
  const files = await checkOffsiteFiles(storage, target, entry, entry.files, ctx.options);
  if (files.problems.length > 0) return files;
  const sums = await manifestSums(ctx, storage, entry);
  const md5s = await localMd5s(ctx, storage, entry);
  const objects = objectsOf(entry, [...entry.files, { name: MANIFEST_NAME }]);
  const head = await storage.exec(headScript(target, objects).text, { ...ctx.options, stdin: swiftStdin(target) });
  const commands = [...files.commands, ...sums.commands, ...md5s.commands, head];
  if (!sums.ok) return { commands, problems: [sums.problem] };
  if (md5s.problem) return { commands, problems: [md5s.problem] };
  const heads = parseHeads(head.stdout, objects.length);
  if (head.exitCode !== 0) return { commands, problems: [`cannot read ${locationOf(target)}`] };
  const replaced = entry.files.find((f, i) => heads[i]?.etag !== md5s.sums[i]);
  if (replaced) return { commands, problems: [`${replaced.name} in ${locationOf(target)} is not the storage node's (its md5 differs)`] };
  const manifest = heads[entry.files.length];
  if (manifest?.status !== 200) return { commands, problems: [`${MANIFEST_NAME} is not in ${locationOf(target)}`] };
  if (manifest.size !== sums.size || manifest.etag !== sums.md5) return { commands, problems: [`${MANIFEST_NAME} in ${locationOf(target)} differs from the storage node's`] };
  return { commands, problems: [] };
}

async function copy(ctx: ModuleContext, args: CatalogArgs, storage: Connection, target: SwiftTarget, entry: CatalogEntry, prior: CatalogPrior): Promise<ActionOutcome> {
  // What leaves the storage node is what its manifest says, or nothing leaves.
  const local = await verifyOnStorage(ctx, storage, entry, entry.files);
  const commands = [...local.commands];
  if (local.problem) return { ok: false, commands, message: local.problem };
  const sums = await manifestSums(ctx, storage, entry);
  commands.push(...sums.commands);
  if (!sums.ok) return { ok: false, commands, message: sums.problem };
  const uploads: Upload[] = [];
  for (const file of entry.files) {
    const path = pathUnder(entry.dir, file.name);
    if (!path.ok) return { ok: false, commands, message: `backup ${entry.id}: ${path.problem}` };
    uploads.push({ path: path.path, object: objectsOf(entry, [file])[0] ?? '', sha256: file.sha256 });
  }
  const manifest: Upload = { path: sums.path, object: objectsOf(entry, [{ name: MANIFEST_NAME }])[0] ?? '', sha256: sums.sha256 };
  prior.uploaded = [...uploads, manifest].map((u) => u.object);
  const run = (upload: readonly Upload[]) => storage.exec(uploadScript(target, upload).text, { ...ctx.options, stdin: swiftStdin(target) });
  const sent = await run(uploads);
  commands.push(sent);
  if (sent.exitCode !== 0) return { ok: false, commands, message: `copying backup ${entry.id} to ${locationOf(target)} failed: ${sent.stderr.trim() || `exit ${sent.exitCode ?? 'by a signal'}`}` };
  const there = await checkOffsiteFiles(storage, target, entry, entry.files, ctx.options);
  commands.push(...there.commands);
  if (there.problems.length > 0) return { ok: false, commands, message: `the copy in ${locationOf(target)} does not match backup ${entry.id}: ${there.problems.join('; ')}` };
  const last = await run([manifest]);
  commands.push(last);
  if (last.exitCode !== 0) return { ok: false, commands, message: `copying the manifest of backup ${entry.id} to ${locationOf(target)} failed: ${last.stderr.trim()}` };
  return { ok: true, commands, facts: { ...factsOf(entry), copied: true, location: locationOf(target) } };
}
