import { randomUUID } from 'node:crypto';
import type { DrillContext } from './context.js';
import { type Marker, type MarkerStage, fateOf, isAuthored, presentFrom, probeCommand, removeCommand, whereOf, writeCommand } from './markers.js';
import type { MarkerResult } from './report-model.js';
import { type MarkerWrite, markerHosts } from './types.js';
import type { CommandResult } from '../connection/connection.js';

/** Runs a marker's command on its host: the author's templates are rendered for the host first. */
function runMarkerCommand(ctx: DrillContext, write: MarkerWrite, host: string, command: string): Promise<CommandResult> {
  return isAuthored(write) ? ctx.hosts.runAuthored(ctx.hosts.first(host), command) : ctx.hosts.run(host, command);
}

/** Writes one marker of every write, each a fresh UUID; throws when a write fails. */
export async function writeMarkers(ctx: DrillContext, stage: MarkerStage): Promise<Marker[]> {
  const written: Marker[] = [];
  for (const write of ctx.drill.writes) {
    const host = ctx.hosts.first(markerHosts(write)).name;
    const value = randomUUID();
    const result = await runMarkerCommand(ctx, write, host, writeCommand(write, value));
    if (result.exitCode !== 0) throw new Error(`marker ${write.id} (${stage}) on ${host} failed (exit ${result.exitCode}): ${result.stderr.trim().split('\n').pop() ?? ''}`);
    const marker = { write: write.id, stage, host, value, where: whereOf(write, value), writtenAt: new Date().toISOString() };
    ctx.state.markers.push(marker);
    written.push(marker);
  }
  return written;
}

/** Looks for every written marker: which came back, which are gone. */
export async function probeMarkers(ctx: DrillContext): Promise<MarkerResult[]> {
  const results: MarkerResult[] = [];
  for (const marker of ctx.state.markers) {
    const write = writeOf(ctx, marker);
    const probe = await runMarkerCommand(ctx, write, marker.host, probeCommand(write, marker.value));
    const present = probe.exitCode === 0 && presentFrom(probe.stdout);
    results.push({ ...marker, present, fate: fateOf(marker.stage, present, write.expect) });
  }
  return results;
}

/** Removes the markers that are still there, so a drill leaves no fake rows or files behind. */
export async function removeMarkers(ctx: DrillContext): Promise<string[]> {
  const problems: string[] = [];
  for (const marker of ctx.state.markers) {
    const write = writeOf(ctx, marker);
    const result = await runMarkerCommand(ctx, write, marker.host, removeCommand(write, marker.value)).catch((e: unknown) => ({ exitCode: -1, stderr: String(e) }));
    if (result.exitCode !== 0) problems.push(`marker ${marker.write} (${marker.stage}) on ${marker.host} not removed: ${result.stderr.trim()}`);
  }
  return problems;
}

function writeOf(ctx: DrillContext, marker: Marker): MarkerWrite {
  const write = ctx.drill.writes.find((w) => w.id === marker.write);
  if (!write) throw new Error(`internal: no write ${marker.write}`);
  return write;
}
