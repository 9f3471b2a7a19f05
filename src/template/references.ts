import type {} from 'handlebars';
import AST = hbs.AST;
import { templateHelpers } from './helpers.js';
import { parseTemplate } from './parse.js';

/** A variable path a template reads, with its place in the template text. */
export interface TemplateReference {
  path: string;
  /** 1-based line and 0-based column inside the template text. */
  line: number;
  column: number;
}

const BLOCKS_KEEPING_CONTEXT = new Set(['if', 'unless']);

/**
 * The variable paths a template reads in the step's own context, for checking them before
 * anything runs. Paths inside `#each`/`#with` bodies are relative to the iterated value and
 * are left to the render-time check.
 */
export function templateReferences(source: string): TemplateReference[] {
  const found: TemplateReference[] = [];
  visitProgram(parseTemplate(source), found);
  return found;
}

function visitProgram(program: AST.Program, found: TemplateReference[]): void {
  for (const statement of program.body) {
    if (statement.type === 'MustacheStatement') {
      const m = statement as AST.MustacheStatement;
      visitCall(m.path, m.params, m.hash, found);
    } else if (statement.type === 'BlockStatement') {
      const b = statement as AST.BlockStatement;
      const name = (b.path as AST.PathExpression).original;
      visitCall(b.path, b.params, b.hash, found);
      if (BLOCKS_KEEPING_CONTEXT.has(name)) {
        if (b.program) visitProgram(b.program, found);
        if (b.inverse) visitProgram(b.inverse, found);
      }
    }
  }
}

function visitCall(path: AST.Expression, params: AST.Expression[], hash: AST.Hash | undefined, found: TemplateReference[]): void {
  const isCall = params.length > 0 || hash !== undefined;
  const name = path.type === 'PathExpression' ? (path as AST.PathExpression).original : '';
  if (!isCall || !(name in templateHelpers || BLOCKS_KEEPING_CONTEXT.has(name) || name === 'each' || name === 'with')) {
    visitExpression(path, found);
  }
  for (const param of params) visitExpression(param, found);
  for (const pair of hash?.pairs ?? []) visitExpression(pair.value, found);
}

function visitExpression(node: AST.Expression, found: TemplateReference[]): void {
  if (node.type === 'SubExpression') {
    const sub = node as AST.SubExpression;
    visitCall(sub.path, sub.params, sub.hash, found);
    return;
  }
  if (node.type !== 'PathExpression') return;
  const path = node as AST.PathExpression;
  if (path.data || path.original === 'this' || path.original.startsWith('this.')) return;
  found.push({ path: path.original, line: node.loc.start.line, column: node.loc.start.column });
}
