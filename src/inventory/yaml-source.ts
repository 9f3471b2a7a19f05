import { type Node, type Pair, type YAMLMap, isAlias, isMap, isNode, isScalar, isSeq } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { type YamlDialect, parseYamlDocument } from '../diagnostics/yaml-document.js';
import { ansibleYamlTags } from './yaml11.js';

/*
 * Positions for inventory diagnostics. The inventory is walked node by node (groups, hosts and
 * vars can appear in several places and are merged), so it keeps the nodes; runbooks, checked
 * against their schema, use the path-based src/diagnostics/yaml.ts instead.
 */

/** Ansible's YAML: 1.1 scalars as PyYAML reads them, `!vault` and `!unsafe`, the last of duplicate keys. */
const ANSIBLE_YAML: YamlDialect = { version: '1.1', customTags: ansibleYamlTags, uniqueKeys: false };

/** A parsed YAML file with a way to point at any node of it. */
export interface YamlSource {
  file: string;
  /** The document's root node, undefined for an empty file. */
  root: unknown;
  /** Parse errors, already as diagnostics. */
  errors: Diagnostic[];
  /** An error diagnostic at `node` (or the file start when the node has no range). */
  at(node: unknown, path: string, message: string): Diagnostic;
  /** The plain JavaScript value of a node (aliases resolved, `<<` merged). */
  value(node: unknown): unknown;
  /** The node an alias stands for; any other node as it is. */
  node(node: unknown): unknown;
  /**
   * A mapping's pairs with its `<<` merges spread in as PyYAML does: keys written in the mapping
   * win over merged ones, an earlier merged mapping over a later one.
   */
  pairs(map: YAMLMap): Pair[];
}

/**
 * Parses YAML text as Ansible does (YAML 1.1 scalars as PyYAML reads them, `<<` merge keys,
 * `!vault`, `!unsafe`), keeping positions; YAML errors become `file:line:col` diagnostics.
 */
export function parseYamlSource(file: string, text: string): YamlSource {
  const { doc, lineCounter, errors } = parseYamlDocument(file, text, { merge: true, dialect: ANSIBLE_YAML });
  const at = (node: unknown, path: string, message: string): Diagnostic => {
    const range = (node as Node | null | undefined)?.range;
    const pos = range ? lineCounter.linePos(range[0]) : { line: 1, col: 1 };
    return { severity: 'error', file, line: pos.line, column: pos.col, path, message };
  };
  const value = (node: unknown): unknown => (isNode(node) ? node.toJS(doc) : (node ?? null));
  const resolveNode = (node: unknown): unknown => (isAlias(node) ? node.resolve(doc) : node);
  const pairs = (map: YAMLMap): Pair[] => {
    const own = (map.items as Pair[]).filter((p) => !isMergeKey(p.key));
    const sources = (map.items as Pair[]).filter((p) => isMergeKey(p.key)).flatMap((p) => {
      const merged = resolveNode(p.value);
      return (isSeq(merged) ? merged.items.map(resolveNode) : [merged]).filter(isMap);
    });
    const seen = new Set(own.map((p) => keyText(p)));
    const inherited = sources.flatMap(pairs).filter((p) => !seen.has(keyText(p)) && seen.add(keyText(p)));
    return [...inherited, ...own];
  };
  return { file, root: errors.length > 0 ? undefined : (doc.contents ?? undefined), errors, at, value, node: resolveNode, pairs };
}

function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  return key.value === '<<' || (typeof key.value === 'symbol' && key.value.description === '<<');
}

function keyText(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}
