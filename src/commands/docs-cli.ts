#!/usr/bin/env node
// `npm run docs`: regenerates docs/runbooks/ from runbooks/, and the argument tables of
// docs/modules.md from the module definitions. Not a `runbook` subcommand: it writes into this
// repository, which only its developers do.
import { readFileSync, writeFileSync } from 'node:fs';
import { renderDiagnostics } from '../diagnostics/print.js';
import { withArgumentTables } from '../modules/docs.js';
import { writeRunbookDocuments } from './docs.js';

const MODULES_DOC = 'docs/modules.md';
writeFileSync(MODULES_DOC, withArgumentTables(readFileSync(MODULES_DOC, 'utf8')));
process.stdout.write(`wrote ${MODULES_DOC}\n`);

const written = await writeRunbookDocuments(process.cwd());
if (written.ok) {
  for (const path of written.value) process.stdout.write(`wrote ${path}\n`);
} else {
  process.stderr.write(`${renderDiagnostics(written.error, { color: false })}\n`);
  process.exitCode = 2;
}
