// Compiles schemas/*.schema.json into standalone validators under dist/schemas/, so a command
// does not pay ajv's compile (a few hundred ms for the runbook schema) on every start.
// Each carries the sha256 of the schema it was made from; src/diagnostics/schemas.ts uses it
// only when that still matches the schema file, and compiles at run time otherwise.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Ajv = require('ajv').default;
const standaloneCode = require('ajv/dist/standalone').default;

mkdirSync('dist/schemas', { recursive: true });
// Every schema in schemas/, so a new one (drill) is precompiled without touching this list.
const names = readdirSync('schemas').filter((f) => f.endsWith('.schema.json')).map((f) => f.slice(0, -'.schema.json'.length));
for (const name of names) {
  const text = readFileSync(`schemas/${name}.schema.json`, 'utf8');
  // The same options as the run-time compile in src/diagnostics/schemas.ts.
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: false, code: { source: true } });
  const code = standaloneCode(ajv, ajv.compile(JSON.parse(text)));
  const sha256 = createHash('sha256').update(text).digest('hex');
  writeFileSync(`dist/schemas/${name}.validate.cjs`, `${code}\nmodule.exports.schemaSha256 = ${JSON.stringify(sha256)};\n`);
}
