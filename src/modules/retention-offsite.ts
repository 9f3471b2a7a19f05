import { createHash } from 'node:crypto';
import type { CatalogEntry } from '../catalog/manifest.js';
import { MANIFEST_NAME } from '../catalog/layout.js';
import { RESTORE_TEST_NAME } from '../catalog/restore-test.js';
import { readOffsiteCatalog, objectsOf } from '../offsite/catalog.js';
import { type SwiftTarget, deleteScript, hideManifestsScript, locationOf, parseHidden, putTextScript, swiftStdin } from '../offsite/swift.js';
import type { ActionOutcome, ModuleContext } from './module.js';
import type { Read } from './retention.js';

/** An off-site backup retention removes: its manifest's object, its files' objects, and the manifest's text once hidden. */
export interface OffsiteDeletion {
  dir: string;
  manifest: string;
  files: string[];
}

export function offsiteDeletion(entry: CatalogEntry): OffsiteDeletion {
  const [manifest = ''] = objectsOf(entry, [{ name: MANIFEST_NAME }]);
  // Its restore-test record too, if it has one (deleting an absent object is fine).
  return { dir: entry.dir, manifest, files: objectsOf(entry, [...entry.files, { name: RESTORE_TEST_NAME }]) };
}

/** The off-site catalog, read through the step's host. */
export async function readOffsite(ctx: ModuleContext, target: SwiftTarget): Promise<Read> {
  try {
    return { ok: true, catalog: await readOffsiteCatalog(ctx.connection, target, ctx.options), results: [] };
  } catch (error) {
    return { ok: false, message: (error as Error).message, results: [] };
  }
}

/**
 * apply: the manifests deleted (their text kept for rollback): the backups are no longer listed
 * nor restored, and their files stay until commit. Returns the texts, in order.
 */
export async function hideOffsite(ctx: ModuleContext, target: SwiftTarget, deletions: readonly OffsiteDeletion[]): Promise<ActionOutcome & { texts: string[] }> {
  if (deletions.length === 0) return { ok: true, commands: [], texts: [] };
  const result = await ctx.exec(hideManifestsScript(target, deletions.map((d) => d.manifest)).text, { stdin: swiftStdin(target) });
  const texts = parseHidden(result.stdout);
  if (result.exitCode !== 0) return { ok: false, commands: [result], texts, message: `cannot remove manifests from ${locationOf(target)}: ${result.stderr.trim()}` };
  return { ok: true, commands: [result], texts };
}

/** rollback: every hidden manifest put back, byte for byte (its md5 as the ETag). */
export async function unhideOffsite(ctx: ModuleContext, target: SwiftTarget, hidden: ReadonlyArray<{ manifest: string; text: string }>): Promise<ActionOutcome> {
  const commands = [];
  for (const { manifest, text } of hidden) {
    const md5 = createHash('md5').update(text).digest('hex');
    const result = await ctx.exec(putTextScript(target, manifest, md5).text, { stdin: swiftStdin(target, text) });
    commands.push(result);
    if (result.exitCode !== 0) return { ok: false, commands, message: `cannot put ${manifest} back in ${locationOf(target)}: ${result.stderr.trim()}` };
  }
  return { ok: true, commands };
}

/** commit: the files of the deleted backups removed for good. */
export async function purgeOffsite(ctx: ModuleContext, target: SwiftTarget, deletions: readonly OffsiteDeletion[]): Promise<ActionOutcome> {
  const objects = deletions.flatMap((d) => [...d.files, d.manifest]);
  if (objects.length === 0) return { ok: true, commands: [] };
  const result = await ctx.exec(deleteScript(target, objects).text, { stdin: swiftStdin(target) });
  return { ok: result.exitCode === 0, commands: [result], ...(result.exitCode === 0 ? {} : { message: result.stderr.trim() }) };
}
