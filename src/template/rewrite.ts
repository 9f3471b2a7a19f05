import type {} from 'handlebars';
import AST = hbs.AST;

/** Helper names the rewrite inserts; users cannot call them (they start with `__`). */
export const QUOTE_HELPER = '__shell';
export const RAW_HELPER = '__raw';
/** Looks a dotted path up from the current context, undefined when any part is missing. */
export const OPTIONAL_HELPER = '__optional';

type Expression = AST.PathExpression | AST.SubExpression | AST.Literal;

/** The source text of an expression, for error messages: `params.x`, `(default a "b")`. */
function describe(node: AST.MustacheStatement): string {
  const parts = [node.path, ...node.params].map(expressionText);
  return parts.join(' ');
}

function expressionText(node: AST.Expression): string {
  switch (node.type) {
    case 'PathExpression':
      return (node as AST.PathExpression).original;
    case 'SubExpression': {
      const sub = node as AST.SubExpression;
      return `(${[sub.path, ...sub.params].map(expressionText).join(' ')})`;
    }
    case 'StringLiteral':
      return JSON.stringify((node as AST.StringLiteral).value);
    default:
      return String((node as AST.Literal & { value?: unknown }).value ?? node.type);
  }
}

/** `{{helper a b}}` becomes the sub-expression `(helper a b)`; `{{a}}` stays the path `a`. */
function asValue(node: AST.MustacheStatement): Expression {
  if (node.params.length === 0 && !node.hash) return node.path as Expression;
  const sub: AST.SubExpression = {
    type: 'SubExpression',
    path: node.path as AST.PathExpression,
    params: node.params,
    hash: node.hash,
    loc: node.loc,
  };
  return sub;
}

function wrap(node: AST.MustacheStatement, helper: string): AST.MustacheStatement {
  const name: AST.StringLiteral = { type: 'StringLiteral', value: describe(node), original: describe(node), loc: node.loc };
  const path: AST.PathExpression = {
    type: 'PathExpression',
    data: false,
    depth: 0,
    parts: [helper],
    original: helper,
    loc: node.loc,
  };
  return { ...node, path, params: [asValue(node), name], hash: undefined as unknown as AST.Hash, escaped: false };
}

/**
 * Routes every `{{x}}` through the shell-quoting helper (or the raw one when `quote` is false)
 * and every `{{{x}}}` through the raw helper. Both helpers fail on an undefined value, which
 * makes strictness hold inside helper arguments too, where Handlebars' own strict mode does not.
 */
export function rewriteForInsertion(program: AST.Program, quote: boolean): AST.Program {
  return { ...program, body: program.body.map((statement) => rewriteStatement(statement, quote)) };
}

function rewriteStatement(statement: AST.Statement, quote: boolean): AST.Statement {
  if (statement.type === 'MustacheStatement') {
    const mustache = optionalDefaults(statement as AST.MustacheStatement);
    return wrap(mustache, mustache.escaped && quote ? QUOTE_HELPER : RAW_HELPER);
  }
  if (statement.type === 'BlockStatement') {
    const block = optionalDefaults(statement as AST.BlockStatement);
    const rewritten: AST.BlockStatement = {
      ...block,
      program: block.program && rewriteForInsertion(block.program, quote),
      inverse: block.inverse && rewriteForInsertion(block.inverse, quote),
    };
    return rewritten;
  }
  return statement;
}

/**
 * `default`'s first argument may read through a missing parent, as Ansible's
 * `{{ x.y | default('') }}` may: `{{default host.vars.backup.user ''}}` is '' for an
 * inventory without a mapping `backup`, where Handlebars would throw reading `.user` of undefined.
 * Such a path becomes `(__optional "host.vars.backup.user")`, in every call of
 * `default`, nested ones included. Everywhere else a missing parent stays an error.
 */
function optionalDefaults<T extends AST.MustacheStatement | AST.BlockStatement | AST.SubExpression>(node: T): T {
  const helper = node.path.type === 'PathExpression' ? (node.path as AST.PathExpression).original : '';
  const params = node.params.map((param, index) => {
    if (param.type === 'SubExpression') return optionalDefaults(param as AST.SubExpression);
    if (helper === 'default' && index === 0 && param.type === 'PathExpression') return optionalPath(param as AST.PathExpression);
    return param;
  });
  return { ...node, params };
}

function optionalPath(path: AST.PathExpression): AST.Expression {
  // `@data`, `../` and `this` keep Handlebars' own lookup; one part cannot have a missing parent.
  if (path.data || path.depth !== 0 || path.parts.length < 2 || path.original.startsWith('this')) return path;
  const name: AST.StringLiteral = { type: 'StringLiteral', value: path.parts.join('.'), original: path.parts.join('.'), loc: path.loc };
  const helper: AST.PathExpression = { type: 'PathExpression', data: false, depth: 0, parts: [OPTIONAL_HELPER], original: OPTIONAL_HELPER, loc: path.loc };
  const sub: AST.SubExpression = { type: 'SubExpression', path: helper, params: [name], hash: undefined as unknown as AST.Hash, loc: path.loc };
  return sub;
}
