#!/usr/bin/env node
// `npm run docs`: regenerates docs/runbooks/ from runbooks/. Not a `runbook` subcommand: it
// writes into this repository, which only its developers do.
import { formatDiagnostic, ValidationError } from '../diagnostics/diagnostic.js';
import { writeRunbookDocuments } from './docs.js';

try {
  for (const path of await writeRunbookDocuments(process.cwd())) process.stdout.write(`wrote ${path}\n`);
} catch (error) {
  if (!(error instanceof ValidationError)) throw error;
  process.stderr.write(`${error.diagnostics.map(formatDiagnostic).join('\n')}\n`);
  process.exitCode = 2;
}
