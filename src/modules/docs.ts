import type { JsonSchema } from './definition.js';
import { MODULES, type RegisteredModule } from './registry.js';

/** A schema fragment as the fields a table reads. */
interface Described {
  type?: string | string[];
  enum?: unknown[];
  $ref?: string;
  items?: Described;
  minimum?: number;
  description?: string;
  properties?: Record<string, Described>;
  required?: string[];
}

const described = (schema: JsonSchema): Described => schema as Described;

/** `string`, `string or list of string`, `one of "a", "b"`, `duration`: what a value may be. */
function typeWords(schema: Described): string {
  if (schema.$ref !== undefined) return schema.$ref.replace('#/definitions/', '');
  if (schema.enum !== undefined) return `one of ${schema.enum.map((v) => `\`${String(v)}\``).join(', ')}`;
  const types = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];
  const words = types.map((t) => (t === 'array' ? `list${schema.items ? ` of ${typeWords(schema.items)}` : ''}` : t === 'object' ? 'mapping' : t));
  return `${words.join(' or ')}${schema.minimum === undefined ? '' : ` ≥ ${schema.minimum}`}`;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The rows of a module: each argument with its type, whether it is required, its description. */
function rows(module: RegisteredModule): string[][] {
  const schema = described(module.schema);
  if (module.stepKeys !== undefined) {
    const own = [[`\`${module.name}\``, typeWords(schema), 'yes', schema.description ?? '']];
    const companions = Object.entries(module.stepKeys).map(([key, spec]) => [`\`${key}\``, typeWords(described(spec.schema)), '', described(spec.schema).description ?? '']);
    return [...own, ...companions];
  }
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([key, arg]) => [`\`${key}\``, typeWords(arg), required.has(key) ? 'yes' : '', arg.description ?? '']);
}

/** A module's arguments as a markdown table, from its definition's schema. */
export function argumentTable(module: RegisteredModule): string {
  const head = module.stepKeys === undefined ? 'argument' : 'step key';
  const lines = [`| ${head} | type | required | description |`, '| --- | --- | --- | --- |'];
  for (const row of rows(module)) lines.push(`| ${row.map(cell).join(' | ')} |`);
  return lines.join('\n');
}

/** Where a module's generated table starts and ends in docs/modules.md. */
export const tableStart = (name: string): string => `<!-- arguments of ${name}: generated from its definition by \`npm run docs\` -->`;
export const TABLE_END = '<!-- end of arguments -->';

/**
 * docs/modules.md with each module's argument table (between its markers) made afresh from the
 * definitions; the prose around them is written by hand. A module without markers is an error:
 * every module has a section.
 */
export function withArgumentTables(markdown: string, modules: readonly RegisteredModule[] = MODULES): string {
  let out = markdown;
  for (const module of modules) {
    const start = out.indexOf(tableStart(module.name));
    const end = start < 0 ? -1 : out.indexOf(TABLE_END, start);
    if (end < 0) throw new Error(`docs/modules.md has no argument table markers for ${module.name}: add ${tableStart(module.name)} and ${TABLE_END} to its section`);
    out = `${out.slice(0, start)}${tableStart(module.name)}\n\n${argumentTable(module)}\n\n${out.slice(end)}`;
  }
  return out;
}
