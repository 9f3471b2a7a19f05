import { type Alias, type Document, isAlias, isMap, isScalar, isSeq, LineCounter, type Node, type Pair, parseDocument, type Tags, visit } from 'yaml';
import type { Diagnostic } from './diagnostic.js';

/*
 * The one place where YAML text becomes a document. The yaml library accepts some input that
 * later throws (an alias without its anchor, a merge of a scalar, an alias bomb) or that would
 * reach a command unnoticed (a NUL byte, bytes that are not UTF-8, an unknown tag read as a
 * plain string): every such input is turned into a diagnostic here, at its position, so that
 * nothing built on the document has to guard against it.
 */

/** Texts longer than this (in characters: bytes, for ASCII) are refused before parsing: the yaml library reads about 150 KB/s. */
export const MAX_YAML_LENGTH = 2 * 1024 * 1024;

/**
 * Deeper nesting is refused before parsing: the parser recurses per level, and near the stack's
 * end V8 can abort the process outright instead of throwing. Runbooks nest about 8 levels deep.
 */
export const MAX_YAML_NESTING = 100;

/** More alias expansions than this is an alias bomb ("billion laughs"); the library's default. */
const MAX_ALIAS_COUNT = 100;

/** A parsed document that is safe to walk and convert: `errors` is empty or `value` is undefined. */
export interface CheckedYamlDocument {
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** Every problem, with line and column; messages without a prefix. */
  errors: Diagnostic[];
  /** The plain value; undefined when there are errors. */
  value: unknown;
}

/**
 * How a reader other than runbook's own reads YAML: Ansible's inventories and vars files are
 * YAML 1.1 as PyYAML reads it, with its own tags (`!vault`) and duplicate keys allowed (the last
 * wins).
 */
export interface YamlDialect {
  version: '1.1' | '1.2';
  customTags?: (tags: Tags) => Tags;
  uniqueKeys: boolean;
}

/**
 * Parses `text` (named `file` in diagnostics); `merge` resolves `<<` keys as YAML 1.1 does;
 * `dialect` replaces runbook's YAML 1.2 with unique keys.
 */
export function parseYamlDocument(file: string, text: string, options: { merge: boolean; dialect?: YamlDialect }): CheckedYamlDocument {
  const lineCounter = linesOf(text);
  const at = (offset: number, message: string): Diagnostic => {
    const { line, col } = lineCounter.linePos(offset);
    return { severity: 'error', file, line, column: col, message };
  };
  if (text.length > MAX_YAML_LENGTH) {
    return { doc: parseDocument(''), lineCounter, errors: [at(0, `file too large (over ${MAX_YAML_LENGTH / 1024 / 1024} MiB)`)], value: undefined };
  }
  const tooDeep = nestingProblem(text);
  if (tooDeep) return { doc: parseDocument(''), lineCounter, errors: [at(tooDeep.offset, tooDeep.message)], value: undefined };
  const dialect = options.dialect ?? { version: '1.2', uniqueKeys: true };
  const doc = parseDocument(text, {
    prettyErrors: false,
    uniqueKeys: dialect.uniqueKeys,
    merge: options.merge,
    resolveKnownTags: false,
    version: dialect.version,
    ...(dialect.customTags ? { customTags: dialect.customTags } : {}),
  });
  const errors = [
    ...textProblems(text).map((p) => at(p.offset, p.message)),
    ...parserProblems(doc, text).map((p) => at(p.offset, p.message)),
  ];
  if (errors.length === 0) errors.push(...structureProblems(doc, options.merge).map((p) => at(p.offset, p.message)));
  if (errors.length > 0) return { doc, lineCounter, errors, value: undefined };
  try {
    return { doc, lineCounter, errors, value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (error) {
    // What the checks above do not foresee, in practice only the alias bomb: reported at the first alias.
    const offset = firstAlias(doc)?.range?.[0] ?? 0;
    const message = /alias count/i.test(String(error)) ? `aliases expand to too many nodes (over ${MAX_ALIAS_COUNT}): an alias bomb?` : firstLine(String(error));
    return { doc, lineCounter, errors: [at(offset, message)], value: undefined };
  }
}

/**
 * Line starts counted from the text itself: after some syntax errors (a block scalar header out
 * of place) the parser's own counter misses newlines, which put later errors at columns past the
 * end of their line.
 */
function linesOf(text: string): LineCounter {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  return lines;
}

interface Problem {
  offset: number;
  message: string;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/**
 * The parser's errors, and its warnings about tags: an unknown tag (`!!js/function`, `!vault`,
 * `!!binary`) would otherwise be read as a plain string. A nesting deep enough to exhaust the
 * parser's stack is one problem, not one per level.
 */
function parserProblems(doc: Document.Parsed, text: string): Problem[] {
  const problems: Problem[] = [];
  let tooDeep = false;
  for (const error of doc.errors) {
    if (error.code === 'RESOURCE_EXHAUSTION') {
      if (!tooDeep) problems.push({ offset: error.pos[0], message: 'nested too deeply' });
      tooDeep = true;
    } else if (error.code === 'MULTIPLE_DOCS') {
      problems.push({ offset: error.pos[0], message: 'a second document (after ---): a file holds one' });
    } else problems.push({ offset: error.pos[0], message: firstLine(error.message) });
  }
  for (const warning of doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED')) {
    const tag = /^!\S*/.exec(text.slice(warning.pos[0]))?.[0] ?? firstLine(warning.message);
    problems.push({ offset: warning.pos[0], message: `unsupported tag ${tag}: write plain YAML (strings, numbers, booleans, lists, mappings)` });
  }
  return problems.sort((a, b) => a.offset - b.offset);
}

/**
 * Where the nesting first goes deeper than {@link MAX_YAML_NESTING}: indentation levels plus
 * `- ` items on one line plus open flow brackets. An estimate that can only count too many
 * for brackets inside plain strings, which legitimate files do not pile up by the hundred.
 */
function nestingProblem(text: string): Problem | undefined {
  const indents: number[] = [];
  let flow = 0;
  let lineStart = 0;
  for (const line of text.split('\n')) {
    const indent = /^[ -]*/.exec(line)?.[0] ?? '';
    const column = indent.length - (indent.match(/- /g)?.length ?? 0) * 2;
    while (indents.length > 0 && (indents.at(-1) as number) >= column) indents.pop();
    indents.push(column);
    const block = indents.length + (indent.match(/- /g)?.length ?? 0);
    const tooDeep = (offset: number): Problem => ({ offset: lineStart + offset, message: `nested deeper than ${MAX_YAML_NESTING} levels` });
    if (block + flow > MAX_YAML_NESTING) return tooDeep(indent.length);
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (ch === '#' && (i === 0 || line[i - 1] === ' ')) break;
      if ((ch === '"' || ch === "'") && (i === 0 || ' [{,:'.includes(line[i - 1] as string))) i = closingQuote(line, i);
      else if (ch === '[' || ch === '{') flow++;
      else if ((ch === ']' || ch === '}') && flow > 0) flow--;
      if (block + flow > MAX_YAML_NESTING) return tooDeep(i);
    }
    lineStart += line.length + 1;
  }
  return undefined;
}

/** The index of the quote that closes the one at `start` on this line; the line's end if none. */
function closingQuote(line: string, start: number): number {
  const quote = line[start];
  for (let i = start + 1; i < line.length; i++) {
    if (line[i] === '\\' && quote === '"') i++;
    else if (line[i] === quote) return i;
  }
  return line.length;
}

/** YAML admits only printable characters (YAML 1.2, 5.1); the first of each kind is enough. */
function textProblems(text: string): Problem[] {
  const problems: Problem[] = [];
  const control = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u0080-\u0084\u0086-\u009F\uFFFE\uFFFF]/.exec(text);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    problems.push({ offset: control.index, message: `control character U+${code} is not allowed in YAML` });
  }
  const replacement = text.indexOf('\uFFFD');
  if (replacement >= 0) problems.push({ offset: replacement, message: 'not UTF-8 text: an invalid byte sequence here (read as U+FFFD)' });
  return problems.sort((a, b) => a.offset - b.offset);
}

/**
 * Aliases that name no earlier anchor or sit inside their own anchor (a cycle), keys that are
 * not plain scalars, and merges of anything but mappings: each would throw in `toJS` or give a
 * value no schema can check.
 */
function structureProblems(doc: Document.Parsed, merge: boolean): Problem[] {
  const problems: Problem[] = [];
  const anchors = new Map<string, Node>();
  const add = (node: { range?: readonly number[] | null | undefined } | null | undefined, message: string): void => {
    problems.push({ offset: node?.range?.[0] ?? 0, message });
  };
  visit(doc, {
    Node(_key, node, path) {
      if (isAlias(node)) {
        const target = anchors.get(node.source);
        if (!target) add(node, `unknown alias *${node.source} (no anchor &${node.source} before it)`);
        else if (path.includes(target)) add(node, `alias *${node.source} is inside its own anchor &${node.source} (a cycle)`);
      }
      if (node.anchor) anchors.set(node.anchor, node);
    },
    Pair(_key, pair) {
      const key = pair.key as Node | null;
      if (key !== null && !isScalar(key)) add(key, 'a mapping key must be a plain value, not a list, a mapping or an alias');
      else if (merge && isMergeKey(key)) {
        if (!mergeSources(pair, anchors).every(isMap)) add(key, 'a merge key (<<) takes a mapping, an alias of one, or a list of them');
      }
    },
  });
  return problems;
}

function isMergeKey(key: Node | null): boolean {
  if (!isScalar(key)) return false;
  return key.value === '<<' || (typeof key.value === 'symbol' && key.value.description === '<<');
}

/** What a `<<` pair merges, aliases resolved with the anchors seen so far (an alias cannot look ahead). */
function mergeSources(pair: Pair, anchors: ReadonlyMap<string, Node>): unknown[] {
  const resolve = (node: unknown): unknown => (isAlias(node) ? anchors.get((node as Alias).source) : node);
  const value = resolve(pair.value);
  // An alias without its anchor is reported as such, not again as a bad merge.
  return (isSeq(value) ? value.items.map(resolve) : [value]).filter((source) => source !== undefined);
}

function firstAlias(doc: Document.Parsed): Alias | undefined {
  let found: Alias | undefined;
  visit(doc, {
    Alias(_key, node) {
      found = node;
      return visit.BREAK;
    },
  });
  return found;
}
