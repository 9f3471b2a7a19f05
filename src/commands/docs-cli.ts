#!/usr/bin/env node
// `npm run docs`: regenerates docs/runbooks/ from runbooks/, and the argument tables of
// docs/modules.md from the module definitions. Not a `runbook` subcommand: it writes into this
// repository, which only its developers do.
import { readFileSync, writeFileSync } from 'node:fs';
import { formatDiagnostic, ValidationError } from '../diagnostics/diagnostic.js';
import { withArgumentTables } from '../modules/docs.js';
import { writeRunbookDocuments } from './docs.js';

const MODULES_DOC = 'docs/modules.md';
writeFileSync(MODULES_DOC, withArgumentTables(readFileSync(MODULES_DOC, 'utf8')));
process.stdout.write(`wrote ${MODULES_DOC}\n`);

try {
  for (const path of await writeRunbookDocuments(process.cwd())) process.stdout.write(`wrote ${path}\n`);
} catch (error) {
  if (!(error instanceof ValidationError)) throw error;
  process.stderr.write(`${error.diagnostics.map(formatDiagnostic).join('\n')}\n`);
  process.exitCode = 2;
}
