import { LineCounter, type Node, isNode, parseDocument } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { ansibleYamlTags } from './yaml11.js';

/*
 * Positions for inventory diagnostics. The inventory is walked node by node (groups, hosts and
 * vars can appear in several places and are merged), so it keeps the nodes; runbooks, checked
 * against their schema, use the path-based src/diagnostics/yaml.ts instead.
 */

/** A parsed YAML file with a way to point at any node of it. */
export interface YamlSource {
  file: string;
  /** The document's root node, undefined for an empty file. */
  root: unknown;
  /** Parse errors, already as diagnostics. */
  errors: Diagnostic[];
  /** An error diagnostic at `node` (or the file start when the node has no range). */
  at(node: unknown, path: string, message: string): Diagnostic;
  /** The plain JavaScript value of a node (aliases resolved). */
  value(node: unknown): unknown;
}

/**
 * Parses YAML text as Ansible does (YAML 1.1 scalars as PyYAML reads them, `<<` merge keys,
 * `!vault`, `!unsafe`), keeping positions; YAML errors become `file:line:col` diagnostics.
 */
export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, version: '1.1', merge: true, customTags: ansibleYamlTags });
  const errors: Diagnostic[] = doc.errors.map((e) => {
    // linePos is only filled with prettyErrors; the offset is always there.
    const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
    return { severity: 'error', file, message: e.message.split('\n')[0] ?? e.message, ...(pos ? { line: pos.line, column: pos.col } : {}) };
  });
  const at = (node: unknown, path: string, message: string): Diagnostic => {
    const range = (node as Node | null | undefined)?.range;
    const pos = range ? lineCounter.linePos(range[0]) : { line: 1, col: 1 };
    return { severity: 'error', file, line: pos.line, column: pos.col, path, message };
  };
  const value = (node: unknown): unknown => (isNode(node) ? node.toJS(doc) : (node ?? null));
  // Resolving aliases can throw (the yaml package refuses an alias explosion); once for the whole
  // document turns that into a diagnostic, so that value() never throws afterwards.
  if (errors.length === 0) {
    try {
      doc.toJS();
    } catch (error) {
      errors.push({ severity: 'error', file, line: 1, column: 1, message: `cannot read the YAML: ${(error as Error).message}` });
    }
  }
  return { file, root: doc.contents ?? undefined, errors, at, value };
}
