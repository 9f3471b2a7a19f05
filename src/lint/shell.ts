import { isCommandAction, MODULES } from '../modules/registry.js';
import type { Step } from '../runbook/types.js';

/**
 * Per action, the arguments a shell executes (or, for run's creates/removes, tests as a
 * path): each module's `shellFields` and `lintedAsShell`.
 */
export const SHELL_FIELDS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  MODULES.map((m) => [m.name, [...m.shellFields, ...(m.lintedAsShell ?? [])]]),
);

/** A step's shell texts, each with its field's key path under the step (`run`, `assert.that[1]`). */
export function shellFields(step: Step): { field: string; text: string }[] {
  const { module, args } = step.action;
  const prefix = isCommandAction(module) ? '' : `${module}.`;
  return (SHELL_FIELDS[module] ?? []).flatMap((field) => {
    const value = args[field];
    if (typeof value === 'string') return [{ field: `${prefix}${field}`, text: value }];
    if (!Array.isArray(value)) return [];
    return value.flatMap((text, i) => (typeof text === 'string' ? [{ field: `${prefix}${field}[${i}]`, text }] : []));
  });
}

/**
 * The command with quoted text blanked out, so that `>` or `;` inside quotes (an SQL `a > b`)
 * is not read as shell syntax. Naive about heredocs and nested quoting, which runbooks avoid.
 */
export function unquoted(command: string): string {
  return command.replace(/'[^']*'/g, "''").replace(/"(?:[^"\\]|\\.)*"/g, '""');
}

/** Patterns of commands that destroy data, each with the words a finding uses. */
const DESTRUCTIVE: readonly { label: string; pattern: RegExp; quoted: boolean }[] = [
  // rm with a recursive flag, alone or bundled (-rf, -fr, -R, --recursive).
  { label: 'rm -r (recursive delete)', pattern: /\brm\s+(?:-{1,2}[A-Za-z-]+\s+)*?(?:-[A-Za-z]*[rR][A-Za-z]*|--recursive)\b/, quoted: false },
  { label: 'SQL DROP', pattern: /\bDROP\s+(?:DATABASE|SCHEMA|TABLE|USER|INDEX)\b/i, quoted: true },
  { label: 'SQL TRUNCATE', pattern: /\bTRUNCATE\s+(?:TABLE\s+)?[`\w]/i, quoted: true },
  { label: 'SQL DELETE', pattern: /\bDELETE\s+FROM\b/i, quoted: true },
  { label: 'find -delete', pattern: /\bfind\b[^|;&]*\s-delete\b/, quoted: false },
  { label: 'mkfs (new filesystem)', pattern: /\bmkfs(?:\.\w+)?\b/, quoted: false },
  { label: 'wipefs', pattern: /\bwipefs\b/, quoted: false },
  { label: 'dd of= (raw write)', pattern: /\bdd\b[^|;&]*\bof=/, quoted: false },
  { label: 'truncate', pattern: /\btruncate\s+(?:-\w+\s+)*-s\b/, quoted: false },
];

/** `>` and `N>` and `>|` (not `>>`, `>&`, `<>`), with the target word. */
const REDIRECT = /(?:^|[^<>&|0-9])\d*>\|?(?![>&])\s*([^\s;&|<>()]+)/g;

/** Targets a redirect may truncate without harm. */
const HARMLESS_TARGETS = /^\/dev\/(?:null|stdout|stderr|tty|fd\/\d+)$/;

/** A redirect target that cannot hold anything yet: one named after the run is new to it. */
function freshTarget(target: string, creates: string | undefined): boolean {
  return target === creates || /\{\{\{?\s*run\.id\s*\}\}/.test(target);
}

/**
 * What in a command destroys data, in words (empty when nothing does). `>` truncating a file
 * counts unless its target is `creates` (the step then runs only when the file is absent) or
 * contains `{{run.id}}`.
 */
export function destructiveParts(command: string, creates?: string): string[] {
  const bare = unquoted(command);
  const found = DESTRUCTIVE.filter((d) => d.pattern.test(d.quoted ? command : bare)).map((d) => d.label);
  for (const match of bare.matchAll(REDIRECT)) {
    const target = match[1] ?? '';
    // Quoted text was blanked out above: say so rather than show `""`.
    if (!HARMLESS_TARGETS.test(target) && !freshTarget(target, creates)) found.push(`> truncates ${/^(?:""|'')$/.test(target) ? 'a quoted path' : target}`);
  }
  return found;
}

/** Secret names a template text reads (`{{secrets.x}}`, `{{{secrets.x}}}`, `{{default secrets.x ...}}`). */
export function secretsIn(text: string): string[] {
  return [...text.matchAll(/\{\{\{?[^}]*?\bsecrets\.([A-Za-z0-9_-]+)/g)].map((m) => m[1] ?? '');
}

/** `{{{ ... }}}` raw insertions in a template text. */
export function rawInsertionsIn(text: string): string[] {
  return [...text.matchAll(/\{\{\{\s*([^}]*?)\s*\}\}\}/g)].map((m) => m[1] ?? '');
}

/** Var names a template text reads (`{{vars.dump}}`). */
export function varsIn(text: string): string[] {
  return [...text.matchAll(/\{\{\{?[^}]*?\bvars\.([A-Za-z0-9_-]+)/g)].map((m) => m[1] ?? '');
}

/** Param names a template text reads (`{{params.x}}`, `{{#each params.x}}`, `{{join params.x ","}}`). */
export function paramsIn(text: string): string[] {
  return [...text.matchAll(/\{\{\{?[^}]*?\bparams\.([A-Za-z0-9_-]+)/g)].map((m) => m[1] ?? '');
}
