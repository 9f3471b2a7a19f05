import type {} from 'handlebars';
import { QUOTE_HELPER, RAW_HELPER } from './rewrite.js';
import AST = hbs.AST;

/** Inserts a looked-up value the way the helper of that name does. */
export type Insert = (helper: typeof QUOTE_HELPER | typeof RAW_HELPER, value: unknown, expression: string) => string;

/** Thrown by an interpreted template when Handlebars' own rules must decide (a non-own property). */
export class NeedsHandlebars extends Error {}

type Part = { text: string } | { helper: typeof QUOTE_HELPER | typeof RAW_HELPER; path: readonly string[]; expression: string };

/**
 * Most templates of a runbook are text with `{{a.b}}` insertions. Compiling one with Handlebars
 * generates and compiles JavaScript (about 2 ms each, on the critical path of every step of a
 * run on one host); walking the already parsed and rewritten tree costs microseconds. This returns
 * such a walker when every statement is text, a comment, or a rewritten insertion of a plain
 * path (no helper call, block, partial, `@data` or `../`), and undefined otherwise.
 *
 * Lookups follow Handlebars' `lookupProperty` exactly for own properties and null or undefined
 * values (including the TypeError of reading through a missing parent); anything else (an
 * inherited property, which Handlebars' prototype access control decides) throws
 * {@link NeedsHandlebars}, and the caller renders with Handlebars instead.
 */
export function interpretable(program: AST.Program, insert: Insert): ((context: object) => string) | undefined {
  const parts: Part[] = [];
  for (const statement of program.body) {
    if (statement.type === 'ContentStatement') parts.push({ text: (statement as AST.ContentStatement).value });
    else if (statement.type === 'CommentStatement') continue;
    else if (statement.type === 'MustacheStatement') {
      const insertion = plainInsertion(statement as AST.MustacheStatement);
      if (!insertion) return undefined;
      parts.push(insertion);
    } else return undefined;
  }
  return (context) => {
    let out = '';
    for (const part of parts) out += 'text' in part ? part.text : insert(part.helper, lookup(context, part.path), part.expression);
    return out;
  };
}

/** `{{__shell a.b "a.b"}}` as the rewrite made it from `{{a.b}}`, or undefined for anything else. */
function plainInsertion(node: AST.MustacheStatement): Part | undefined {
  const helper = node.path.type === 'PathExpression' ? (node.path as AST.PathExpression).original : '';
  if (helper !== QUOTE_HELPER && helper !== RAW_HELPER) return undefined;
  const [value, name, ...rest] = node.params;
  if (rest.length > 0 || node.hash || value?.type !== 'PathExpression' || name?.type !== 'StringLiteral') return undefined;
  const path = value as AST.PathExpression;
  if (path.data || path.depth !== 0 || path.parts.length === 0) return undefined;
  return { helper, path: path.parts, expression: (name as AST.StringLiteral).value };
}

function lookup(context: object, path: readonly string[]): unknown {
  let value: unknown = context;
  for (const name of path) {
    // Reading through null or undefined throws the TypeError Handlebars' compiled code throws.
    const result = (value as Record<string, unknown>)[name];
    if (result !== null && result !== undefined && !Object.prototype.hasOwnProperty.call(value, name)) throw new NeedsHandlebars(name);
    value = result;
  }
  return value;
}
