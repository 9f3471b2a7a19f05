import type { DrillContext, PhaseOutcome } from './context.js';
import type { MarkerPlaces } from './lab-access.js';
import { probeMarkers } from './marker-io.js';
import { type MarkerFate, failedFate } from './markers.js';
import { formatMs } from './measure.js';
import type { CheckResult } from './report-model.js';
import { sh } from '../command/command.js';

const POLL_MS = 1000;

/**
 * Health first (its moment ends the recovery time), then the fingerprint, the markers and the
 * drill's own assertions. Every check runs even when one fails: the report lists them all.
 */
export async function verificationPhase(ctx: DrillContext): Promise<PhaseOutcome> {
  const checks: CheckResult[] = [await healthCheck(ctx)];
  const fingerprint = await fingerprintCheck(ctx);
  if (fingerprint) checks.push(fingerprint);
  ctx.state.markerResults = await probeMarkers(ctx);
  checks.push(markerCheck(ctx));
  for (const a of ctx.drill.verify.assert) checks.push(await assertCheck(ctx, a));
  ctx.state.checks = checks;
  return { ok: checks.every((c) => c.ok), detail: checks.map((c) => `${c.ok ? 'ok' : 'FAILED'}: ${c.check}: ${c.detail}`) };
}

/** Polls `systemctl is-active` until every listed service is active on its hosts, or the timeout. */
async function healthCheck(ctx: DrillContext): Promise<CheckResult> {
  const started = Date.now();
  const deadline = started + ctx.drill.verify.timeoutMs;
  const targets = ctx.drill.verify.services.flatMap((s) => ctx.hosts.select(s.hosts).map((h) => ({ host: h.name, names: s.names })));
  let failing: string[] = [];
  for (;;) {
    failing = [];
    for (const t of targets) {
      const r = await ctx.hosts.run(t.host, sh`systemctl is-active ${t.names}`.text).catch(() => ({ exitCode: -1, stdout: 'unreachable' }));
      if (r.exitCode !== 0) failing.push(`${t.host}: ${t.names.map((n, i) => `${n}=${r.stdout.trim().split('\n')[i] ?? '?'}`).filter((s) => !s.endsWith('=active')).join(' ')}`);
    }
    if (failing.length === 0 || Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  const count = targets.reduce((n, t) => n + t.names.length, 0);
  if (failing.length > 0) return { check: 'service health', ok: false, detail: `not healthy after ${formatMs(ctx.drill.verify.timeoutMs)}: ${failing.join('; ')}` };
  ctx.state.healthyAt = new Date().toISOString();
  return { check: 'service health', ok: true, detail: `${count} service(s) active on ${targets.length} host(s) (waited ${formatMs(Date.now() - started)})` };
}

/** The lab fingerprint against the drill's baseline; marker tables and files are accounted as loss. */
async function fingerprintCheck(ctx: DrillContext): Promise<CheckResult | undefined> {
  const mode = ctx.drill.verify.fingerprint;
  if (!ctx.lab || mode === 'none') return undefined;
  const baseline = mode === 'pre-fault' ? ctx.state.preFault : ctx.state.preRecovery;
  if (!baseline) return { check: `fingerprint equals the ${mode} state`, ok: false, detail: 'no baseline was taken' };
  const now = await ctx.lab.fingerprint();
  const diff = mode === 'pre-fault' ? ctx.lab.diff(baseline, now, markerPlaces(ctx)) : ctx.lab.diff(baseline, now);
  ctx.state.fingerprintDiff = diff;
  const scope = mode === 'pre-fault' ? ' (tables and files holding markers accounted as loss instead)' : '';
  return { check: `fingerprint equals the ${mode} state`, ok: diff.length === 0, detail: diff.length === 0 ? `equal${scope}` : `${diff.length} difference(s): ${diff.slice(0, 5).join('; ')}${diff.length > 5 ? '; ...' : ''}` };
}

/** Where this drill's markers are: marker rows written after the backup are meant to be lost. */
function markerPlaces(ctx: DrillContext): MarkerPlaces {
  const places: MarkerPlaces = { tables: [], files: [] };
  for (const m of ctx.state.markers) {
    const write = ctx.drill.writes.find((w) => w.id === m.write);
    if (write?.kind === 'sql') places.tables.push({ host: m.host, database: write.sql.database, table: write.sql.table });
    else places.files.push({ host: m.host, path: m.where });
  }
  return places;
}

/** Markers written before the backup must all be back; those after it are the measured loss. */
function markerCheck(ctx: DrillContext): CheckResult {
  const results = ctx.state.markerResults;
  const count = (fate: MarkerFate): number => results.filter((r) => r.fate === fate).length;
  const unexpected = results.filter((r) => r.fate === 'unexpected').map((r) => r.write);
  const detail = `${count('restored')} written before the backup present, ${count('missing')} missing; ${count('lost')} lost, ${count('survived')} survived`
    + (unexpected.length > 0 ? `; back although the drill expects them lost: ${unexpected.join(', ')}` : '');
  return { check: 'markers written before the backup are back', ok: !results.some((r) => failedFate(r.fate)), detail };
}

async function assertCheck(ctx: DrillContext, a: DrillContext['drill']['verify']['assert'][number]): Promise<CheckResult> {
  const failed: string[] = [];
  for (const host of ctx.hosts.select(a.hosts)) {
    const r = await ctx.hosts.runAuthored(host, a.run);
    if (r.exitCode !== 0) failed.push(`${host.name}: exit ${r.exitCode}${r.stderr.trim() ? ` (${r.stderr.trim().split('\n').pop()})` : ''}`);
  }
  return { check: a.name, ok: failed.length === 0, detail: failed.length === 0 ? `holds on ${a.hosts}` : failed.join('; ') };
}
