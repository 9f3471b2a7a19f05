import type { DrillContext } from './context.js';

/**
 * The drill's `cleanup` commands, in order, each on the first host of its pattern: what the fault
 * did that the recovery does not undo (a corrupted backup put back as it was). Returns what
 * failed, in words; a failure does not stop the others.
 */
export async function runCleanup(ctx: DrillContext): Promise<string[]> {
  const problems: string[] = [];
  for (const cleanup of ctx.drill.cleanup) {
    const host = ctx.hosts.first(cleanup.hosts);
    const result = await ctx.hosts.runAuthored(host, cleanup.run).catch((e: unknown) => ({ exitCode: -1, stderr: String(e) }));
    if (result.exitCode !== 0) {
      problems.push(`cleanup '${cleanup.name}' on ${host.name} failed (exit ${result.exitCode}): ${result.stderr.trim().split('\n').pop() ?? ''}`);
    }
  }
  return problems;
}
