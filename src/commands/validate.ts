import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { renderDiagnostics } from '../diagnostics/print.js';
import { loadInventory } from '../inventory/load.js';
import { checkTemplateReferences } from '../plan/references.js';
import { loadRunbook } from '../runbook/load.js';
import { missingRunbooks } from '../drill/calls.js';
import { loadDrill } from '../drill/load.js';
import { type CommandIO, EXIT, reportDiagnostics } from '../app/io.js';

/** Files `validate` reads when given none: every YAML file under runbooks/ and drills/, every inventory file under inventory/. */
async function defaultFiles(cwd: string): Promise<string[]> {
  const files: string[] = [];
  for (const dir of ['runbooks', 'drills', 'inventory']) files.push(...((await yamlFilesIn(join(cwd, dir))) ?? []));
  return files;
}

/** The YAML files directly in a folder (in inventory/, INI files too), sorted; undefined when it is not a folder. */
async function yamlFilesIn(dir: string): Promise<string[] | undefined> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => undefined);
  // In inventory/, group_vars/ and host_vars/ are folders and files without extension are INI.
  const inInventory = basename(dir) === 'inventory';
  const wanted = inInventory ? /^[^.](?:[^.]*|.*\.(?:ya?ml|ini|json))$/ : /\.ya?ml$/;
  return entries?.filter((e) => wanted.test(e.name) && (!inInventory || e.isFile())).map((e) => join(dir, e.name)).sort();
}

/** The files named on the command line, a folder standing for the YAML files in it. */
async function namedFiles(names: readonly string[], cwd: string): Promise<string[]> {
  const files: string[] = [];
  for (const name of names) {
    const path = resolve(cwd, name);
    files.push(...((await yamlFilesIn(path)) ?? [path]));
  }
  return files;
}

/** A drill says `kind: drill` (docs/drills.md). */
function looksLikeDrill(text: string): boolean {
  return /^kind:\s*drill\s*(#.*)?$/m.test(text);
}

/** A file in an inventory/ folder, or a YAML mapping whose top key is `all` (Ansible's layout), is an inventory; anything else is a runbook. */
function looksLikeInventory(text: string, file: string): boolean {
  return basename(dirname(file)) === 'inventory' || (/^all:/m.test(text) && !/^apiVersion:/m.test(text));
}

/** Diagnostics of one file, whatever kind it is. */
export async function validateFile(file: string, cwd: string): Promise<Diagnostic[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return [{ severity: 'error', file, message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` }];
  }
  if (looksLikeInventory(text, file)) {
    const inventory = loadInventory(file, cwd);
    return inventory.ok ? [] : inventory.error;
  }
  if (looksLikeDrill(text)) {
    const drill = loadDrill(file, text);
    return drill.ok ? missingRunbooks(drill.value, cwd) : drill.error;
  }
  const runbook = loadRunbook(file, text);
  return runbook.ok ? checkTemplateReferences(runbook.value) : runbook.error;
}

/** `runbook validate [FILE|DIR...]`: every error of every file at once; exit 2 on any. */
export async function validate(files: string[], io: CommandIO): Promise<number> {
  const targets = files.length > 0 ? await namedFiles(files, io.cwd) : await defaultFiles(io.cwd);
  if (targets.length === 0) {
    io.err(files.length > 0 ? `error: no YAML files in ${files.join(', ')}` : 'error: nothing to validate (no files given, and no runbooks/, drills/ or inventory/ here)');
    return EXIT.usage;
  }
  const diagnostics = (await Promise.all(targets.map((f) => validateFile(f, io.cwd)))).flat();
  if (diagnostics.some((d) => d.severity === 'error')) return reportDiagnostics(io, diagnostics);
  if (diagnostics.length > 0) io.err(renderDiagnostics(diagnostics, { color: io.color }));
  io.out(`${targets.length} file${targets.length === 1 ? '' : 's'} valid`);
  return EXIT.ok;
}
