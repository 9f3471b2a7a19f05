// Writes schemas/runbook.schema.json from schemas/runbook.base.json (everything but the actions)
// and the module definitions (src/modules/*.ts, built into dist/). Run by `npm run build` before
// the schemas are compiled; the generated file is committed for editors
// (`# yaml-language-server: $schema=...`), and a unit test fails when it is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { runbookSchemaText } from '../dist/src/modules/schema.js';

const target = 'schemas/runbook.schema.json';
const text = runbookSchemaText(readFileSync('schemas/runbook.base.json', 'utf8'));
if (readFileSync(target, 'utf8') !== text) writeFileSync(target, text);
