import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Findings } from './findings.js';
import { isRecord, type ModuleKey } from './raw.js';
import { durationFinding } from './duration.js';

/** Cross-field rules of a module's arguments (their types are the schema's). */
export function moduleFindings(module: ModuleKey, args: unknown, at: string, findings: Findings): void {
  if (!isRecord(args)) return;
  switch (module) {
    case 'copy':
      if ((args.content === undefined) === (args.src === undefined)) findings.add(at, 'copy needs exactly one of content or src', { at: 'key' });
      else controlNodeFile(args.src, `${at}.src`, 'copy', findings);
      return;
    case 'template':
      controlNodeFile(args.src, `${at}.src`, 'template', findings);
      return;
    case 'file':
      if (args.state === 'link' && args.src === undefined) findings.add(at, "file with state: link needs src (the link's target)", { at: 'key' });
      if (args.state !== 'link' && args.src !== undefined) findings.add(`${at}.src`, 'file src (a link target) only goes with state: link', { at: 'key' });
      return;
    case 'wait_for':
      waitForFindings(args, at, findings);
      return;
    case 'catalog':
      catalogFindings(args, at, findings);
      return;
    case 'retention':
      // A template is checked by the module once rendered: params reach it that way.
      if (!(typeof args.max_age === 'string' && args.max_age.includes('{{'))) durationFinding(args.max_age, `${at}.max_age`, 'max_age', findings);
      return;
    case 'service':
    case 'archive':
    case 'extract':
    case 'transfer':
    case 'assert':
      return;
    default: {
      const unreachable: never = module;
      throw new Error(`no rules for module ${String(unreachable)}`);
    }
  }
}

/**
 * copy and template read their src on the control node when the runbook loads, so a missing
 * file is a validation error, not a failure half-way through a recovery.
 */
function controlNodeFile(src: unknown, path: string, module: string, findings: Findings): void {
  if (typeof src !== 'string') return;
  const full = resolve(dirname(findings.yaml.file), src);
  if (!existsSync(full)) findings.add(path, `${module} src '${src}' does not exist (relative to the runbook: ${full})`);
}

const PORT_STATES = ['started', 'stopped'];
const PATH_STATES = ['present', 'absent'];

function waitForFindings(args: Record<string, unknown>, at: string, findings: Findings): void {
  const targets = (['port', 'path', 'command'] as const).filter((k) => args[k] !== undefined);
  if (targets.length !== 1) {
    findings.add(at, `wait_for needs exactly one of port, path, command${targets.length > 1 ? ` (has ${targets.join(' and ')})` : ''}`, { at: 'key' });
  }
  if (args.host !== undefined && args.port === undefined) findings.add(`${at}.host`, 'wait_for host only goes with port', { at: 'key' });
  const state = args.state;
  if (typeof state === 'string' && targets.length === 1) {
    const allowed = targets[0] === 'path' ? PATH_STATES : PORT_STATES;
    if (!allowed.includes(state)) findings.add(`${at}.state`, `wait_for state '${state}' does not go with ${targets[0]} (use ${allowed.join(' or ')})`);
  }
  durationFinding(args.timeout, `${at}.timeout`, 'timeout', findings);
  durationFinding(args.delay, `${at}.delay`, 'delay', findings);
}

/** Which catalog arguments each state needs, and which it cannot use. */
const CATALOG_NEEDS: Record<string, { needs: string[]; refuses: string[] }> = {
  stored: { needs: ['produce'], refuses: ['dest', 'only', 'required', 'verify', 'must_match', 'force'] },
  found: { needs: [], refuses: ['dest', 'only', 'source_digest', 'contents', 'depends_on', 'force'] },
  fetched: { needs: ['dest'], refuses: ['produce', 'stdin', 'source_digest', 'contents', 'depends_on', 'required', 'must_match', 'force'] },
  tested: { needs: ['id'], refuses: ['produce', 'stdin', 'dest', 'only', 'source_digest', 'contents', 'depends_on', 'required', 'verify', 'must_match'] },
};

function catalogFindings(args: Record<string, unknown>, at: string, findings: Findings): void {
  const rule = typeof args.state === 'string' ? CATALOG_NEEDS[args.state] : undefined;
  if (!rule) return;
  for (const key of rule.needs) if (args[key] === undefined) findings.add(at, `catalog with state: ${String(args.state)} needs ${key}`, { at: 'key' });
  for (const key of rule.refuses) if (args[key] !== undefined) findings.add(`${at}.${key}`, `catalog ${key} does not go with state: ${String(args.state)}`, { at: 'key' });
}
