import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AjvModule, { type ValidateFunction } from 'ajv';

// ajv is CommonJS: under NodeNext its class is the default export's `default`.
const Ajv = AjvModule.default;

/** The JSON Schemas shipped in the package's schemas/ folder, by base name. */
export type SchemaName = 'runbook' | 'inventory';

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
    if (!validate) byName.set(schema, (validate = compile(readSchema(schema))));
    return validate;
  }
  let validate = byObject.get(schema);
  if (!validate) byObject.set(schema, (validate = compile(schema)));
  return validate;
}

function compile(schema: object): ValidateFunction {
  // verbose: errors carry their parentSchema (allowed keys for "did you mean"); strict off
  // because the schemas carry editor-only keywords (markdownDescription and the like).
  return new Ajv({ allErrors: true, verbose: true, strict: false }).compile(schema);
}

/** The schema's JSON, from source (src/diagnostics/) or from the build (dist/src/diagnostics/). */
export function readSchema(name: SchemaName): object {
  const candidates = [`../../schemas/${name}.schema.json`, `../../../schemas/${name}.schema.json`];
  for (const relative of candidates) {
    try {
      return JSON.parse(readFileSync(fileURLToPath(new URL(relative, import.meta.url)), 'utf8')) as object;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new Error(`schemas/${name}.schema.json not found next to the package`);
}
