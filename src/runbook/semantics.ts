import { basename } from 'node:path';
// The one function, not the package index: loading all of semver costs ~80 ms at start-up.
import semverValid from 'semver/functions/valid.js';
import type { PositionedYaml } from '../diagnostics/yaml.js';
import { type Finding, Findings } from './findings.js';
import { paramFindings } from './param-rules.js';
import { isRecord } from './raw.js';
import { stepFindings } from './step-rules.js';

/** The one format version this engine reads. */
export const SUPPORTED_API_VERSION = 'runbook/v1';

/**
 * What the schema cannot say: the name against the file, semver, ids against each other,
 * cross-field rules of steps. Runs even when the schema found errors (so every problem shows
 * at once), hence every rule checks the type of what it reads: wrong types are the schema's.
 */
export function semanticFindings(yaml: PositionedYaml): Finding[] {
  const findings = new Findings(yaml);
  const raw = yaml.value;
  if (!isRecord(raw)) return [];
  const { apiVersion, name, version } = raw;
  if (typeof apiVersion === 'string' && apiVersion !== SUPPORTED_API_VERSION) {
    findings.add('apiVersion', `apiVersion '${apiVersion}' is not supported: this version of runbook reads ${SUPPORTED_API_VERSION}`, { supersedesSchema: true });
  }
  const expected = basename(yaml.file).replace(/\.ya?ml$/, '');
  if (typeof name === 'string' && name !== expected) findings.add('name', `name '${name}' must equal the file's base name '${expected}'`);
  if (typeof version === 'string' && !semverValid(version)) {
    findings.add('version', `version '${version}' is not semver (MAJOR.MINOR.PATCH, e.g. 1.2.0)`, { supersedesSchema: true });
  }
  if (typeof version === 'number') findings.add('version', `version ${version} must be a quoted semver string, e.g. "${version}.0"`, { supersedesSchema: true });
  paramFindings(raw.params, findings);
  secretFindings(raw.secrets, findings);
  if (Array.isArray(raw.steps)) {
    duplicateIds(raw.steps, findings);
    raw.steps.forEach((step: unknown, index) => {
      if (isRecord(step)) stepFindings(step, `steps[${index}]`, raw, findings);
    });
  }
  return findings.list;
}

function secretFindings(secrets: unknown, findings: Findings): void {
  if (!isRecord(secrets)) return;
  for (const [name, secret] of Object.entries(secrets)) {
    if (!isRecord(secret)) continue;
    if ((secret.env === undefined) === (secret.file === undefined)) {
      findings.add(`secrets.${name}`, `secret '${name}' needs exactly one of env or file`);
    }
  }
}

/** The second use of an id is the error; the message says where the first one is. */
function duplicateIds(steps: readonly unknown[], findings: Findings): void {
  const seen = new Map<string, number>();
  steps.forEach((step, index) => {
    if (!isRecord(step) || typeof step.id !== 'string') return;
    const first = seen.get(step.id);
    if (first === undefined) {
      seen.set(step.id, index);
      return;
    }
    const line = findings.yaml.valuePositionOf(`steps[${first}].id`).line;
    findings.add(`steps[${index}].id`, `duplicate step id '${step.id}' (first used at line ${line}): ids must be unique, the journal and --start-at use them`);
  });
}
