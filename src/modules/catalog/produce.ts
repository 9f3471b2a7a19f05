import type { BackupFile } from '../../catalog/manifest.js';
import { type ShellCommand, sh } from '../../command/command.js';
import type { ActionOutcome, ModuleContext } from '../module.js';
import type { CatalogArgs } from './args.js';

export type Produced = ActionOutcome & { files: BackupFile[] };

/**
 * Runs `produce` into a fresh private folder on this host, lists what it wrote (size, sha256),
 * hands that to `use`, and removes the folder whatever happened.
 */
export async function produce(ctx: ModuleContext, args: CatalogArgs, use: (dir: string, files: BackupFile[]) => Promise<ActionOutcome>): Promise<Produced> {
  // Named by host too: hosts may share /var/tmp (NFS, the lab).
  const dir = `/var/tmp/runbook-${ctx.runId}-${ctx.taskKey}-${ctx.host.name}`;
  const made = await ctx.exec(sh`rm -rf -- ${dir} && mkdir -m 700 -- ${dir}`.text);
  if (made.exitCode !== 0) return { ok: false, commands: [made], files: [], message: `cannot create ${dir} on ${ctx.host.name}` };
  try {
    // bash with -e -u -o pipefail: a dump that fails half-way must fail the step, never become a
    // short backup (POSIX sh has no pipefail: `mysqldump | gzip` would exit 0). --norc: bash
    // started under sshd reads bashrc otherwise.
    const command = sh`OUT=${dir}; export OUT; exec bash --norc --noprofile -euo pipefail -c ${args.produce ?? 'false'}`;
    const ran = await ctx.exec(command.text, args.stdin === undefined ? undefined : { stdin: args.stdin });
    if (ran.exitCode !== 0) return { ok: false, commands: [made, ran], files: [], message: `produce failed on ${ctx.host.name}: exit ${ran.exitCode ?? 'by a signal'}${ran.stderr.trim() ? `: ${ran.stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}` };
    const listing = await ctx.exec(listFilesCommand(dir).text);
    const files = parseListing(listing.stdout);
    if (listing.exitCode !== 0 || files.length === 0) return { ok: false, commands: [made, ran, listing], files, message: `produce wrote no files into $OUT on ${ctx.host.name}` };
    const used = await use(dir, files);
    return { ...used, commands: [made, ran, listing, ...used.commands], files };
  } finally {
    // Also after an interrupt: a half-written dump must not stay behind on the host.
    await ctx.cleanup(sh`rm -rf -- ${dir}`.text).catch(() => undefined);
  }
}

/** `SIZE SHA256  NAME` per regular file of a folder. */
export function listFilesCommand(dir: string): ShellCommand {
  return sh`cd ${dir} && for f in *; do [ -f "$f" ] && printf '%s %s\\n' "$(stat -c %s -- "$f")" "$(sha256sum -- "$f")"; done; true`;
}

export function parseListing(stdout: string): BackupFile[] {
  return stdout.split('\n').filter(Boolean).map((line) => {
    const [size = '0', sha256 = '', ...name] = line.split(' ');
    return { size: Number(size), sha256, name: name.join(' ').trimStart() };
  });
}
