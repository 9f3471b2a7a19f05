import type { DrillContext, PhaseOutcome } from './context.js';
import { formatMs } from './measure.js';
import { writeMarkers } from './marker-io.js';
import type { RunRecord } from './report-model.js';
import { runCall } from './run-runbook.js';

const describeRun = (r: RunRecord): string =>
  `${r.runbook} ${r.version} (run ${r.runId || 'refused'}): ${r.outcome}, exit ${r.exitCode}, ${formatMs(r.durationMs)}`;

/** Markers before the backup (they must come back), then the backup runbooks in order. */
export async function backupPhase(ctx: DrillContext): Promise<PhaseOutcome> {
  const detail: string[] = [];
  for (const m of await writeMarkers(ctx, 'before-backup')) detail.push(`marker ${m.write} before the backup: ${m.where} = ${m.value} on ${m.host}`);
  for (const call of ctx.drill.backup) {
    const run = await runCall(ctx.runner, 'backup', call);
    ctx.state.runs.push(run);
    ctx.state.backupAt ??= run.started;
    detail.push(describeRun(run));
    if (run.exitCode !== 0) return { ok: false, detail: [...detail, `backup ${call.runbook} failed: the drill cannot go on without its backup`] };
  }
  return { ok: true, detail };
}

/** Markers after the backup: what a real outage would lose. */
export async function writesPhase(ctx: DrillContext): Promise<PhaseOutcome> {
  const written = await writeMarkers(ctx, 'after-backup');
  return { ok: true, detail: written.length === 0 ? ['no writes declared'] : written.map((m) => `marker ${m.write} after the backup: ${m.where} = ${m.value} on ${m.host}`) };
}

/** The pre-fault state, to compare the recovered state with. */
export async function fingerprintPhase(ctx: DrillContext): Promise<PhaseOutcome> {
  if (!ctx.lab || ctx.drill.verify.fingerprint === 'none') return { ok: true, detail: ['no fingerprint (verify.fingerprint: none)'] };
  ctx.state.preFault = await ctx.lab.fingerprint();
  return { ok: true, detail: [`pre-fault fingerprint ${ctx.state.preFault.sha256.slice(0, 16)} over ${Object.keys(ctx.state.preFault.hosts).length} hosts`] };
}

/** The disaster, part by part; then the state just before recovery and what the fault broke. */
export async function faultPhase(ctx: DrillContext): Promise<PhaseOutcome> {
  ctx.state.faultAt = new Date().toISOString();
  const detail: string[] = [];
  for (const fault of ctx.drill.fault) {
    const said = await injectOne(ctx, fault);
    if (said.failed) return { ok: false, detail: [...detail, said.text] };
    ctx.state.faults.push(said.text);
    detail.push(said.text);
  }
  if (ctx.lab && ctx.drill.verify.fingerprint !== 'none') {
    ctx.state.preRecovery = await ctx.lab.fingerprint();
    if (ctx.state.preFault) ctx.state.faultDiff = ctx.lab.diff(ctx.state.preFault, ctx.state.preRecovery);
    detail.push(`the fault changed ${ctx.state.faultDiff.length} thing(s) of the fingerprint`);
  }
  return { ok: true, detail };
}

async function injectOne(ctx: DrillContext, fault: DrillContext['drill']['fault'][number]): Promise<{ failed: boolean; text: string }> {
  const prefix = fault.name ? `${fault.name}: ` : '';
  switch (fault.kind) {
    case 'lab': {
      // preflight made sure the lab exists when a lab fault is declared
      const text = await ctx.lab!.inject(fault.lab);
      return { failed: false, text: `${prefix}lab fault ${fault.lab.kind}: ${text}` };
    }
    case 'runbook': {
      const run = await runCall(ctx.runner, 'fault', fault.call);
      ctx.state.runs.push(run);
      return { failed: run.exitCode !== 0, text: `${prefix}${describeRun(run)}` };
    }
    case 'run': {
      const host = ctx.hosts.first(fault.hosts);
      const result = await ctx.hosts.runAuthored(host, fault.run);
      const out = (result.exitCode === 0 ? result.stdout : result.stderr).trim().split('\n').pop() ?? '';
      return { failed: result.exitCode !== 0, text: `${prefix}command on ${host.name}: exit ${result.exitCode}${out ? `: ${out}` : ''}` };
    }
    default: {
      const never: never = fault;
      throw new Error(`unknown fault ${JSON.stringify(never)}`);
    }
  }
}

/** The recovery runbook; the clock (RTO) starts here. */
export async function recoveryPhase(ctx: DrillContext): Promise<PhaseOutcome> {
  ctx.state.recoveryStartedAt = new Date().toISOString();
  const run = await runCall(ctx.runner, 'recovery', ctx.drill.recovery);
  ctx.state.runs.push(run);
  ctx.state.recovery = run;
  const expect = ctx.drill.recovery.expect;
  ctx.state.recoveryAsExpected = expect === 'succeeded'
    ? run.exitCode === 0
    : run.exitCode === 1 && run.outcome === 'rolled-back' && run.rollback.started && run.rollback.complete;
  const detail = [describeRun(run)];
  if (run.rollback.started) detail.push(`rollback: ${run.rollback.tasks} change(s) undone, ${run.rollback.complete ? 'complete' : 'INCOMPLETE'}`);
  detail.push(ctx.state.recoveryAsExpected ? `as expected (${expect})` : `expected ${expect === 'succeeded' ? 'success' : 'a failure rolled back completely (exit 1)'}`);
  // Verification still runs: a failed recovery's state is what the report must show.
  return { ok: ctx.state.recoveryAsExpected, detail };
}
