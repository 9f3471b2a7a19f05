// Where things are: the repository, the benchmark's own files, its scratch folder.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = join(BENCH, '..');
/** Scratch: the bench's lab, Ansible's files, journals, results (gitignored). */
export const WORK = join(BENCH, '.work');
export const RUNBOOKS = join(BENCH, 'runbooks');
/** The compiled CLI, as `npx runbook` runs it (package.json's bin). */
export const CLI = join(ROOT, 'dist', 'bin', 'runbook.js');
