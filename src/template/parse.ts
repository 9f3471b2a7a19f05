import { createRequire } from 'node:module';
import type {} from 'handlebars';

/**
 * Handlebars' parser alone (its compiler/base module, the one `Handlebars.parse` is): checking a
 * runbook's templates and rendering plain ones need nothing else, and it loads in half the time
 * of the whole package (compiler, runtime, source maps), which template.ts loads only when a
 * template needs compiling.
 */
const base = createRequire(import.meta.url)('handlebars/dist/cjs/handlebars/compiler/base.js') as { parse(input: string): hbs.AST.Program };

/** `Handlebars.parse`: the tree, whitespace control applied; throws Handlebars' parse errors. */
export function parseTemplate(source: string): hbs.AST.Program {
  return base.parse(source);
}
