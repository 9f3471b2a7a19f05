import { createRequire } from 'node:module';
import type HandlebarsModule from 'handlebars';
import { shellQuote } from '../command/quote.js';
import { TemplateError } from './errors.js';
import { templateHelpers } from './helpers.js';
import { type Insert, NeedsHandlebars, interpretable } from './interpret.js';
import { parseTemplate } from './parse.js';
import { templateReferences } from './references.js';
import { OPTIONAL_HELPER, QUOTE_HELPER, RAW_HELPER, rewriteForInsertion } from './rewrite.js';

/**
 * How `{{x}}` inserts a value: `shell` quotes it for the POSIX shell (step commands),
 * `raw` inserts it as is (module arguments, which modules quote themselves). `{{{x}}}` is
 * always raw.
 */
export type RenderMode = 'shell' | 'raw';

type Compiled = (context: object) => string;

/** Values to text: lists become space-separated words (each quoted in shell mode). */
function insert(value: unknown, expression: string, quote: boolean): string {
  if (value === undefined) {
    throw new TemplateError(`unknown template variable '${expression}'`, { variable: expression });
  }
  if (value === null) return quote ? "''" : '';
  if (Array.isArray(value)) return value.map((v) => insert(v, expression, quote)).join(' ');
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return quote ? shellQuote(text) : text;
}

/**
 * The one Handlebars instance of a run: strict, shell-quoting by default, with SPEC's helpers.
 * Compiled templates are cached by text and mode, so a command rendered for 60 hosts is
 * compiled once.
 */
export class TemplateEngine {
  private handlebarsEnv: typeof HandlebarsModule | undefined;
  private readonly cache = new Map<string, Compiled>();

  /** The Handlebars environment with SPEC's helpers, loaded when a template first needs compiling. */
  private get handlebars(): typeof HandlebarsModule {
    if (!this.handlebarsEnv) {
      const env = (createRequire(import.meta.url)('handlebars') as typeof HandlebarsModule).create();
      for (const [name, helper] of Object.entries(templateHelpers)) env.registerHelper(name, helper);
      env.registerHelper(QUOTE_HELPER, (value: unknown, expression: string) => insert(value, expression, true));
      env.registerHelper(RAW_HELPER, (value: unknown, expression: string) => insert(value, expression, false));
      env.registerHelper(OPTIONAL_HELPER, function (this: unknown, path: string) {
        return optionalLookup(this, path);
      });
      this.handlebarsEnv = env;
    }
    return this.handlebarsEnv;
  }

  /** Renders `source`; throws {@link TemplateError} naming the variable when one is unknown. */
  render(source: string, context: object, mode: RenderMode): string {
    if (!source.includes('{{')) return source;
    try {
      return this.compiled(source, mode)(context);
    } catch (error) {
      throw toTemplateError(error, source, context);
    }
  }

  private compiled(source: string, mode: RenderMode): Compiled {
    const key = `${mode}\0${source}`;
    let template = this.cache.get(key);
    if (!template) {
      const ast = rewriteForInsertion(parseTemplate(source), mode === 'shell');
      let full: Compiled | undefined;
      const handlebars = (): Compiled => (full ??= this.handlebars.compile(ast, { strict: true, noEscape: true, knownHelpersOnly: false }));
      const fast = interpretable(ast, insertAs);
      template = fast
        ? (context) => {
            try {
              return fast(context);
            } catch (error) {
              if (error instanceof NeedsHandlebars) return handlebars()(context);
              throw error;
            }
          }
        : handlebars();
      this.cache.set(key, template);
    }
    return template;
  }
}

/** The value at a dotted path from `context`, or undefined when a part is missing (own properties only, like Handlebars). */
function optionalLookup(context: unknown, path: string): unknown {
  let value = context;
  for (const name of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, name)) return undefined;
    value = (value as Record<string, unknown>)[name];
  }
  return value;
}

/** What the two insertion helpers do, for templates rendered without Handlebars. */
const insertAs: Insert = (helper, value, expression) => insert(value, expression, helper === QUOTE_HELPER);

/**
 * Handlebars reports a missing field as `"b" not defined in [object Object] - 1:2`, and reading
 * through a missing parent (`{{not a.b}}` without `a`) as JavaScript's TypeError.
 */
function toTemplateError(error: unknown, source: string, context: object): TemplateError {
  if (error instanceof TemplateError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const through = /^Cannot read properties of (?:undefined|null) \(reading '([^']*)'\)$/.exec(message);
  const parent = through ? missingParent(source, context, through[1] ?? '') : undefined;
  if (parent) {
    return new TemplateError(`unknown template variable '${parent.variable}' (in '${parent.path}')`, { variable: parent.variable, line: parent.line, column: parent.column });
  }
  const missing = /^"([^"]+)" not defined in .* - (\d+):(\d+)$/.exec(message);
  if (missing) {
    const [, name, line, column] = missing;
    return new TemplateError(`unknown template variable '${name}'`, {
      variable: name,
      line: Number(line),
      column: Number(column),
    });
  }
  const position = /on line (\d+)/.exec(message);
  return new TemplateError(message.split('\n')[0] ?? message, { line: position ? Number(position[1]) : undefined });
}

/** The path of `source` that reads `property` through an undefined or null parent, and that parent. */
function missingParent(source: string, context: object, property: string): { variable: string; path: string; line: number; column: number } | undefined {
  for (const reference of templateReferences(source)) {
    const parts = reference.path.split('.');
    let value: unknown = context;
    for (const [index, part] of parts.slice(0, -1).entries()) {
      value = (value as Record<string, unknown>)[part];
      if ((value === undefined || value === null) && parts[index + 1] === property) {
        return { variable: parts.slice(0, index + 1).join('.'), path: reference.path, line: reference.line, column: reference.column };
      }
      if (value === undefined || value === null) break;
    }
  }
  return undefined;
}
