import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type AjvModule from 'ajv';
import type { ValidateFunction } from 'ajv';

/** The JSON Schemas shipped in the package's schemas/ folder, by base name. */
export type SchemaName = 'runbook' | 'inventory' | 'drill' | 'manifest' | 'restore-test';

const byName = new Map<SchemaName, ValidateFunction>();
const byObject = new WeakMap<object, ValidateFunction>();

/**
 * A compiled validator, compiled on first use and cached: compiling costs tens of
 * milliseconds, and commands that never read a runbook (`runs`, `--help`) should not pay it.
 * One Ajv instance per schema, so two schemas with the same `$id` never collide.
 */
export function schemaValidator(schema: SchemaName | object): ValidateFunction {
  if (typeof schema === 'string') {
    let validate = byName.get(schema);
    if (!validate) byName.set(schema, (validate = precompiled(schema) ?? compile(readSchema(schema))));
    return validate;
  }
  let validate = byObject.get(schema);
  if (!validate) byObject.set(schema, (validate = compile(schema)));
  return validate;
}

function compile(schema: object): ValidateFunction {
  // Loaded only here: with the build's precompiled validators, a run never needs ajv itself.
  const Ajv = (createRequire(import.meta.url)('ajv') as typeof AjvModule).default;
  // verbose: errors carry their parentSchema (allowed keys for "did you mean"); strict off
  // because the schemas carry editor-only keywords (markdownDescription and the like).
  // scripts/compile-schemas.mjs uses the same options.
  return new Ajv({ allErrors: true, verbose: true, strict: false }).compile(schema);
}

/** The schema's JSON, from source (src/diagnostics/) or from the build (dist/src/diagnostics/). */
export function readSchema(name: SchemaName): object {
  return JSON.parse(readSchemaText(name)) as object;
}

function readSchemaText(name: SchemaName): string {
  const candidates = [`../../schemas/${name}.schema.json`, `../../../schemas/${name}.schema.json`];
  for (const relative of candidates) {
    try {
      return readFileSync(fileURLToPath(new URL(relative, import.meta.url)), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new Error(`schemas/${name}.schema.json not found next to the package`);
}

/**
 * The validator `npm run build` generated (scripts/compile-schemas.mjs), when it was made from
 * the schema as it is now; undefined otherwise (source runs, an edited schema), and the caller
 * compiles. Saves ajv's compile on every start of the CLI.
 */
function precompiled(name: SchemaName): ValidateFunction | undefined {
  const require = createRequire(import.meta.url);
  const sha256 = createHash('sha256').update(readSchemaText(name)).digest('hex');
  for (const relative of [`../../schemas/${name}.validate.cjs`, `../../dist/schemas/${name}.validate.cjs`]) {
    try {
      const module = require(fileURLToPath(new URL(relative, import.meta.url))) as { default?: ValidateFunction; schemaSha256?: string };
      if (module.schemaSha256 === sha256 && module.default) return module.default;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
    }
  }
  return undefined;
}
