import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { type Result, fail, ok } from '../diagnostics/result.js';
import { type PositionedYaml } from '../diagnostics/yaml.js';
import { parseYamlWithSchema, sortByPosition } from '../diagnostics/yaml-schema.js';
import { parseDuration } from '../runbook/duration.js';
import { drillCommandProblem } from './commands.js';
import type { CleanupSpec, CommandMarker, Drill, FaultSpec, FileMarker, LabFaultSpec, MarkerWrite, RunbookCall, SqlMarker } from './types.js';

/** The drill file as the schema admits it. */
interface RawDrill {
  name: string;
  version: string;
  description: string;
  requires?: string[];
  backup: Array<{ runbook: string; params?: Record<string, unknown> }>;
  writes?: Array<{ id: string; expect?: 'lost'; sql?: Omit<SqlMarker, 'values'> & { values?: SqlMarker['values'] }; file?: FileMarker; command?: CommandMarker }>;
  fault: Array<{ lab?: LabFaultSpec; runbook?: string; params?: Record<string, unknown>; run?: string; hosts?: string; name?: string }>;
  recovery: { runbook: string; params?: Record<string, unknown>; expect?: 'succeeded' | 'rolled-back' };
  verify: { fingerprint?: Drill['verify']['fingerprint']; services?: Drill['verify']['services']; assert?: Drill['verify']['assert']; timeout?: string | number };
  objectives: { rto: string | number; rpo: string | number };
  cleanup?: CleanupSpec[];
}

/** Which arguments each lab fault kind needs (lab/faults.ts). */
const LAB_FAULT_ARGS: Readonly<Record<string, readonly (keyof LabFaultSpec)[]>> = {
  'drop-database': ['database'],
  'drop-table': ['database', 'table'],
  'delete-path': ['host', 'path'],
  'corrupt-file': ['host', 'path'],
  'kill-service': ['host', 'service'],
  'stop-sshd': ['host'],
  'fill-backups': ['host'],
  'wipe-datadir': [],
  'galera-wipe-member': ['host'],
  'galera-stop-member': ['host'],
  'galera-crash': [],
};

const DEFAULT_VERIFY_TIMEOUT_MS = 60_000;

/**
 * YAML text -> validated Drill, or every problem at once with file:line:col: YAML syntax, the
 * schema (unknown keys included), and what a schema cannot say (name = file name, durations,
 * unique marker ids, the arguments of each lab fault kind).
 */
export function parseDrill(file: string, text: string): Result<Drill> {
  const path = resolve(file);
  const parsed = parseYamlWithSchema<RawDrill>(path, text, 'drill', { subject: 'the drill' });
  if (!parsed.ok) return parsed;
  const { value: raw, yaml } = parsed.value;
  const diagnostics = semanticProblems(raw, yaml, path);
  if (diagnostics.length > 0) return fail(sortByPosition(diagnostics));
  return ok(normalize(raw, { file: path, sha256: createHash('sha256').update(text).digest('hex') }));
}

/** Reads (unless `text` is given) and parses a drill: the drill, or every problem (an unreadable file is one). */
export function loadDrill(file: string, text?: string): Result<Drill> {
  if (text !== undefined) return parseDrill(file, text);
  try {
    return parseDrill(file, readFileSync(file, 'utf8'));
  } catch (error) {
    return fail([{ severity: 'error', file: resolve(file), message: `cannot read drill: ${(error as NodeJS.ErrnoException).code ?? String(error)}` }]);
  }
}

function semanticProblems(raw: RawDrill, yaml: PositionedYaml, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const add = (path: string, message: string): void => {
    out.push({ severity: 'error', ...yaml.valuePositionOf(path), message, path });
  };
  const base = basename(file, extname(file));
  if (raw.name !== base) add('name', `name '${raw.name}' must equal the file's base name '${base}'`);
  for (const key of ['rto', 'rpo'] as const) {
    if (parseDuration(raw.objectives[key]) === undefined) add(`objectives.${key}`, `${key} '${raw.objectives[key]}' is not a duration (a number of seconds, or 30s, 10m, 1h, 1d)`);
  }
  if (raw.verify.timeout !== undefined && parseDuration(raw.verify.timeout) === undefined) add('verify.timeout', `timeout '${raw.verify.timeout}' is not a duration`);
  const seen = new Set<string>();
  (raw.writes ?? []).forEach((w, i) => {
    if (seen.has(w.id)) add(`writes[${i}].id`, `marker id '${w.id}' is used twice`);
    seen.add(w.id);
  });
  const commands = [
    ...raw.fault.flatMap((f, i) => (f.run === undefined ? [] : [{ path: `fault[${i}].run`, run: f.run }])),
    ...(raw.verify.assert ?? []).map((a, i) => ({ path: `verify.assert[${i}].run`, run: a.run })),
    ...(raw.cleanup ?? []).map((c, i) => ({ path: `cleanup[${i}].run`, run: c.run })),
    ...(raw.writes ?? []).flatMap((w, i) => (w.command ? (['write', 'probe', 'remove'] as const).flatMap((k) => {
      const run = w.command?.[k];
      return run === undefined ? [] : [{ path: `writes[${i}].command.${k}`, run }];
    }) : [])),
  ];
  for (const { path, run } of commands) {
    const problem = drillCommandProblem(run);
    if (problem) add(path, problem);
  }
  raw.fault.forEach((f, i) => {
    if (!f.lab) return;
    const needed = LAB_FAULT_ARGS[f.lab.kind] ?? [];
    for (const arg of needed) if (f.lab[arg] === undefined) add(`fault[${i}].lab`, `lab fault ${f.lab.kind} needs '${arg}'`);
    for (const arg of Object.keys(f.lab)) {
      if (arg !== 'kind' && !needed.includes(arg as keyof LabFaultSpec)) add(`fault[${i}].lab.${arg}`, `lab fault ${f.lab.kind} takes no '${arg}' (it takes: ${needed.join(', ')})`);
    }
  });
  return out;
}

const call = (c: { runbook: string; params?: Record<string, unknown> }): RunbookCall => ({ runbook: c.runbook, params: c.params ?? {} });

function faultOf(f: RawDrill['fault'][number]): FaultSpec {
  const named = f.name === undefined ? {} : { name: f.name };
  if (f.lab) return { kind: 'lab', ...named, lab: f.lab };
  if (f.runbook) return { kind: 'runbook', ...named, call: call({ runbook: f.runbook, ...(f.params ? { params: f.params } : {}) }) };
  return { kind: 'run', ...named, hosts: f.hosts ?? '', run: f.run ?? '' };
}

function normalize(raw: RawDrill, source: Drill['source']): Drill {
  const writes = (raw.writes ?? []).map((w): MarkerWrite => {
    const head = { id: w.id, ...(w.expect ? { expect: w.expect } : {}) };
    if (w.sql) return { ...head, kind: 'sql', sql: { ...w.sql, values: w.sql.values ?? {} } };
    if (w.command) return { ...head, kind: 'command', command: w.command };
    // The schema's oneOf admits exactly one of sql, file and command.
    return { ...head, kind: 'file', file: w.file as FileMarker };
  });
  return {
    name: raw.name,
    version: raw.version,
    description: raw.description,
    requires: raw.requires ?? [],
    backup: raw.backup.map(call),
    writes,
    fault: raw.fault.map(faultOf),
    recovery: { ...call(raw.recovery), expect: raw.recovery.expect ?? 'succeeded' },
    verify: {
      fingerprint: raw.verify.fingerprint ?? 'pre-fault',
      services: raw.verify.services ?? [],
      assert: raw.verify.assert ?? [],
      timeoutMs: raw.verify.timeout === undefined ? DEFAULT_VERIFY_TIMEOUT_MS : (parseDuration(raw.verify.timeout) ?? DEFAULT_VERIFY_TIMEOUT_MS),
    },
    objectives: { rtoMs: parseDuration(raw.objectives.rto) ?? 0, rpoMs: parseDuration(raw.objectives.rpo) ?? 0, rto: String(raw.objectives.rto), rpo: String(raw.objectives.rpo) },
    cleanup: raw.cleanup ?? [],
    source,
  };
}
