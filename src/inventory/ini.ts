import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { type RawInventory, UNGROUPED, addChild, addGroup, addHost, setGroupVar, setHostVar } from './data.js';
import { HostRangeError, expandHostPattern } from './host-range.js';
import { iniValue } from './python-literal.js';
import { shlexSplit } from './shlex.js';
import { checkVar } from './vars.js';

/*
 * INI inventories as Ansible's ini plugin reads them: `[group]` sections of host lines
 * (`name[:port] [k=v ...]`, ranges expanded), `[group:children]` of group names and
 * `[group:vars]` of `k=v`. Lines before any section are hosts of `ungrouped`.
 */

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/u;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/u;
const COMMENT_MARKERS = new Set([';', '#']);

type State = 'hosts' | 'children' | 'vars';
type Pending = { line: number; state: State; name: string; parents: string[] };

/**
 * Reads INI text into `raw`; every problem with the format is returned with its file:line:col.
 * With `valueProblems`, the ansible_* values runbook acts on are checked where they are written
 * and their problems go there (they do not make the file less INI).
 */
export function readIniInventory(file: string, text: string, raw: RawInventory, valueProblems?: Diagnostic[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const pending = new Map<string, Pending>();
  let group = UNGROUPED;
  let state: State = 'hosts';
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((original, index) => {
    const lineNo = index + 1;
    const line = original.trim();
    if (line === '' || COMMENT_MARKERS.has(line[0] as string)) return;
    const column = original.indexOf(line[0] as string) + 1;
    const error = (message: string, at = column): void => void diagnostics.push({ severity: 'error', file, line: lineNo, column: at, message });
    const check: Check = (name, value, at) => {
      const problem = valueProblems ? checkVar(name, value) : undefined;
      if (problem) valueProblems?.push({ severity: 'error', file, line: lineNo, column: at ?? column, message: problem });
    };
    const section = SECTION.exec(line);
    if (section) {
      const kind = section[2] ?? 'hosts';
      if (kind !== 'hosts' && kind !== 'children' && kind !== 'vars') return error(`section [${section[1]}:${kind}] has unknown type '${kind}' (expected hosts, children or vars)`);
      [group, state] = [section[1] as string, kind];
      declareGroup(raw, pending, group, state, lineNo);
      return;
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      return error(`invalid section '${line}': a section is [group], [group:children] or [group:vars], with no spaces`);
    }
    if (state === 'hosts') return readHostLine(raw, group, line, column, error, check);
    if (state === 'vars') return readVarLine(raw, group, line, error, check);
    const child = GROUP_NAME.exec(line)?.[1];
    if (child === undefined) return error(`expected a group name in [${group}:children], got '${line}'`);
    if (raw.groups.has(child)) return addChild(raw, group, child);
    const waiting = pending.get(child);
    if (waiting) waiting.parents.push(group);
    else pending.set(child, { line: lineNo, state: 'children', name: child, parents: [group] });
  });
  for (const p of pending.values()) {
    const message = p.state === 'vars' ? `section [${p.name}:vars] is for a group that is never declared ([${p.name}] or [${p.name}:children])` : `section [${p.parents.at(-1)}:children] names the group '${p.name}', which is never declared`;
    diagnostics.push({ severity: 'error', file, line: p.line, column: 1, message });
  }
  return diagnostics;
}

/** A section header: [g:vars] alone does not declare g; [g] or [g:children] does, which settles children waiting for it. */
function declareGroup(raw: RawInventory, pending: Map<string, Pending>, group: string, state: State, line: number): void {
  if (!raw.groups.has(group)) {
    if (state === 'vars' && !pending.has(group)) pending.set(group, { line, state, name: group, parents: [] });
    addGroup(raw, group);
  }
  const waiting = pending.get(group);
  if (!waiting || state === 'vars') return;
  if (waiting.state === 'children') addPendingChildren(raw, pending, group);
  else pending.delete(group);
}

function addPendingChildren(raw: RawInventory, pending: Map<string, Pending>, group: string): void {
  for (const parent of pending.get(group)?.parents ?? []) {
    addChild(raw, parent, group);
    if (pending.get(parent)?.state === 'children') addPendingChildren(raw, pending, parent);
  }
  pending.delete(group);
}

type Check = (name: string, value: unknown, column?: number) => void;

function readHostLine(raw: RawInventory, group: string, line: string, column: number, error: (message: string, at?: number) => void, check: Check): void {
  const split = shlexSplit(line);
  if (!split.ok) return error(`cannot read host line '${line}': ${split.error}`);
  const [entry, ...assignments] = split.value;
  if (entry === undefined) return;
  let expanded: { hosts: string[]; port?: number };
  try {
    expanded = expandHostPattern(entry);
  } catch (e) {
    if (e instanceof HostRangeError) return error(e.message);
    throw e;
  }
  if (entry.trim().endsWith(':') && expanded.port === undefined) return error(`host '${entry}' ends in ':', which is reserved for a port`);
  if (expanded.hosts.some((h) => h.trim() === '---')) return error("host '---' looks like the start of a YAML document: is this file YAML with a syntax error?");
  const vars: [string, unknown][] = [];
  for (const word of assignments) {
    const eq = word.indexOf('=');
    if (eq < 0) return error(`expected key=value after the host name, got '${word}'`, column + Math.max(0, line.indexOf(word)));
    const [key, value] = [word.slice(0, eq), iniValue(word.slice(eq + 1))];
    check(key, value, column + Math.max(0, line.indexOf(word)));
    vars.push([key, value]);
  }
  for (const host of expanded.hosts) {
    addHost(raw, host, group, expanded.port);
    for (const [key, value] of vars) setHostVar(raw, host, key, value);
  }
}

/** `[g:vars]` lines are `key = value` up to the end of the line (no comments), the value read as in host lines. */
function readVarLine(raw: RawInventory, group: string, line: string, error: (message: string) => void, check: Check): void {
  const eq = line.indexOf('=');
  if (eq < 0) return error(`expected key=value in [${group}:vars], got '${line}'`);
  const [key, value] = [line.slice(0, eq).trim(), iniValue(line.slice(eq + 1).trim())];
  check(key, value);
  setGroupVar(raw, group, key, value);
}
