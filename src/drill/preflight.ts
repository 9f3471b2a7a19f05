import { dirname } from 'node:path';
import { resolveDrillFile, resolveRunbookFile } from '../app/resolve.js';
import { loadInventory } from '../inventory/load.js';
import { HostPatternError, selectHosts } from '../inventory/pattern.js';
import type { Inventory } from '../inventory/types.js';
import { buildPlan } from '../plan/plan.js';
import { loadRunbook } from '../runbook/load.js';
import { readSecrets } from '../secrets/read.js';
import { TemplateError } from '../template/errors.js';
import { TemplateEngine } from '../template/template.js';
import { callsOf } from './calls.js';
import { renderDrillCommand } from './commands.js';
import type { DrillRefusal } from './errors.js';
import { missingIdentityProblem } from './identity.js';
import type { LabAccess, LabLocator } from './lab-access.js';
import { loadDrill } from './load.js';
import { drillableProblem } from './safety.js';
import { type CommandMarker, type Drill, markerHosts } from './types.js';

export interface Ready {
  drill: Drill;
  inventory: Inventory;
  lab: LabAccess | undefined;
  detail: string[];
}

/**
 * Everything checked before any host is touched: the drill and its runbooks are valid, their
 * params and secrets resolve, the inventory is drillable, has the required groups and every
 * host pattern matches, and lab-only features have a lab (`locateLab`, absent where there is
 * none). Reads files and the lab's lab.json; connects nowhere.
 */
export async function preflight(drillName: string, inventoryName: string, cwd: string, env: NodeJS.ProcessEnv, locateLab?: LabLocator): Promise<Ready | DrillRefusal> {
  const loadedDrill = loadDrill(resolveDrillFile(drillName, cwd));
  if (!loadedDrill.ok) return { kind: 'invalid', diagnostics: loadedDrill.error };
  const loadedInventory = loadInventory(inventoryName, cwd);
  if (!loadedInventory.ok) return { kind: 'invalid', diagnostics: loadedInventory.error };
  const drill = loadedDrill.value;
  const inventory = loadedInventory.value;
  // Safety first: a non-drillable inventory is refused before anything else is looked at.
  const unsafe = drillableProblem(inventory);
  if (unsafe) return { kind: 'unsafe', message: unsafe };
  const problem = groupProblem(drill, inventory) ?? patternProblem(drill, inventory) ?? commandProblem(drill, inventory) ?? (await runbookProblem(drill, inventory, cwd, env));
  if (problem) return problem;
  const lab = await locateLab?.(inventory);
  const labProblem = labNeeded(drill, lab);
  if (labProblem) return { kind: 'unsafe', message: labProblem };
  const detail = [
    `drill ${drill.name} ${drill.version}; inventory ${inventory.file} declares runbook_drillable: true on ${inventory.hosts.length} host(s)`,
    lab ? `lab inventory (lab in ${lab.dir}): lab faults and the fingerprint are available` : 'not a lab inventory: no lab faults, no fingerprint',
  ];
  return { drill, inventory, lab, detail };
}

function groupProblem(drill: Drill, inventory: Inventory): DrillRefusal | undefined {
  const missing = drill.requires.filter((g) => !inventory.groups.has(g) || selectHostsSafe(inventory, g) === 0);
  if (missing.length === 0) return undefined;
  return { kind: 'usage', message: `drill ${drill.name} requires the inventory group(s) ${missing.join(', ')}, which ${inventory.file} lacks (or they have no hosts)` };
}

function selectHostsSafe(inventory: Inventory, pattern: string): number {
  try {
    return selectHosts(inventory, pattern).length;
  } catch {
    return 0;
  }
}

/** Every host pattern of the drill selects at least one host. */
function patternProblem(drill: Drill, inventory: Inventory): DrillRefusal | undefined {
  const patterns = [
    ...drill.writes.map(markerHosts),
    ...drill.fault.flatMap((f) => (f.kind === 'run' ? [f.hosts] : [])),
    ...drill.verify.services.map((s) => s.hosts),
    ...drill.verify.assert.map((a) => a.hosts),
    ...drill.cleanup.map((c) => c.hosts),
  ];
  for (const pattern of patterns) {
    try {
      if (selectHosts(inventory, pattern).length === 0) return { kind: 'usage', message: `host pattern '${pattern}' of drill ${drill.name} matches no host of ${inventory.file}` };
    } catch (error) {
      if (error instanceof HostPatternError) return { kind: 'usage', message: `drill ${drill.name}: ${error.message}` };
      throw error;
    }
  }
  return undefined;
}

/** The drill's own commands render for every host they will run on (a host var may be missing). */
function commandProblem(drill: Drill, inventory: Inventory): DrillRefusal | undefined {
  const templates = new TemplateEngine();
  const commands = [
    ...drill.fault.flatMap((f) => (f.kind === 'run' ? [{ what: `fault${f.name ? ` '${f.name}'` : ''}`, hosts: selectHosts(inventory, f.hosts).slice(0, 1), run: f.run }] : [])),
    ...drill.verify.assert.map((a) => ({ what: `assert '${a.name}'`, hosts: selectHosts(inventory, a.hosts), run: a.run })),
    ...drill.cleanup.map((c) => ({ what: `cleanup '${c.name}'`, hosts: selectHosts(inventory, c.hosts).slice(0, 1), run: c.run })),
    ...drill.writes.flatMap((w) => (w.kind === 'command' ? markerCommands(w.command).map((run) => ({ what: `marker ${w.id}`, hosts: selectHosts(inventory, w.command.hosts).slice(0, 1), run })) : [])),
  ];
  for (const { what, hosts, run } of commands) {
    for (const host of hosts) {
      try {
        renderDrillCommand(templates, run, host, inventory);
      } catch (error) {
        if (error instanceof TemplateError) return { kind: 'usage', message: `drill ${drill.name}, ${what} on ${host.name}: ${error.message}` };
        throw error;
      }
    }
  }
  return undefined;
}

const markerCommands = (c: CommandMarker): string[] => [c.write, c.probe, ...(c.remove === undefined ? [] : [c.remove])];

/** Each runbook loads, plans with the drill's params, and has its secrets: no run stops half-way for a typo. */
async function runbookProblem(drill: Drill, inventory: Inventory, cwd: string, env: NodeJS.ProcessEnv): Promise<DrillRefusal | undefined> {
  for (const call of callsOf(drill)) {
    const loaded = loadRunbook(resolveRunbookFile(call.runbook, cwd));
    if (!loaded.ok) return { kind: 'invalid', diagnostics: loaded.error };
    const runbook = loaded.value;
    const planned = buildPlan(runbook, inventory, { params: { values: call.params } });
    if (!planned.ok) return { kind: 'invalid', diagnostics: planned.error.map((d) => (d.file === '--param' ? { ...d, file: drill.source.file, message: `${call.runbook}: ${d.message}` } : d)) };
    const secrets = await readSecrets(runbook.secrets, dirname(runbook.source.file), env);
    if (!secrets.ok) return { kind: 'usage', message: `${call.runbook}: ${secrets.error.join('; ')}` };
    const undecryptable = missingIdentityProblem(runbook, secrets.value, inventory);
    if (undecryptable) return { kind: 'usage', message: `${call.runbook}: ${undecryptable}` };
  }
  return undefined;
}

function labNeeded(drill: Drill, lab: LabAccess | undefined): string | undefined {
  if (lab) return undefined;
  if (drill.fault.some((f) => f.kind === 'lab')) {
    return `drill ${drill.name} injects lab faults, and the inventory is not one a lab wrote: on a real cloud, cause the fault with a runbook or a run command (docs/drills.md). Nothing was touched.`;
  }
  if (drill.verify.fingerprint !== 'none') {
    return `drill ${drill.name} compares the lab fingerprint (verify.fingerprint: ${drill.verify.fingerprint}), and the inventory is not one a lab wrote: set verify.fingerprint: none and verify with services and assert. Nothing was touched.`;
  }
  return undefined;
}
