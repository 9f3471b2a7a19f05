import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import type { Diagnostic, SourcePosition } from './diagnostic.js';
import { parseYamlDocument } from './yaml-document.js';

/** One step of a key path: a mapping key or a sequence index. */
export type PathSegment = string | number;

/** A parsed YAML file that can point at any key path of it. */
export interface PositionedYaml {
  file: string;
  /** The plain value; undefined when the file did not parse. */
  value: unknown;
  /** YAML syntax errors (duplicate keys included) as diagnostics. */
  errors: Diagnostic[];
  /** Where a key path (`steps[2].run`, `/steps/2/run`) starts; the nearest existing parent otherwise. */
  positionOf(path: string | readonly PathSegment[]): SourcePosition;
  /** Where the value at a key path starts (for errors about the value, not the key). */
  valuePositionOf(path: string | readonly PathSegment[]): SourcePosition;
}

/** `steps[2].service.name` or the JSON pointer `/steps/2/service/name` as segments. */
export function pathSegments(path: string): PathSegment[] {
  if (path.startsWith('/')) {
    return path.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  }
  const segments: PathSegment[] = [];
  for (const part of path.split('.')) {
    const match = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) {
      segments.push(part);
      continue;
    }
    if (match[1]) segments.push(match[1]);
    for (const index of (match[2] ?? '').matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
  }
  return segments.filter((s) => s !== '');
}

/** Segments back to the dotted form users read: `steps[2].run`. */
export function formatPath(segments: readonly PathSegment[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/** Parses YAML keeping a map from key paths to line and column. */
export function parsePositionedYaml(file: string, text: string): PositionedYaml {
  // merge: Ansible users share settings with `<<: *defaults`, which YAML 1.2 alone leaves as a key.
  const { doc, lineCounter, errors: problems, value } = parseYamlDocument(file, text, { merge: true });
  const position = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const errors = problems.map((d) => ({ ...d, message: `YAML: ${d.message}` }));

  const locate = (path: string | readonly PathSegment[], wantValue: boolean): SourcePosition => {
    const segments = typeof path === 'string' ? pathSegments(path) : path;
    let node: unknown = doc.contents;
    let best = nodeStart(node) ?? 0;
    for (const [i, segment] of segments.entries()) {
      const next = child(node, segment);
      if (!next) break;
      const last = i === segments.length - 1;
      best = (wantValue && last ? nodeStart(next.node) : undefined) ?? next.keyStart ?? nodeStart(next.node) ?? best;
      node = next.node;
    }
    return position(best);
  };

  return {
    file,
    value,
    errors,
    positionOf: (path) => locate(path, false),
    valuePositionOf: (path) => locate(path, true),
  };
}

function nodeStart(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}

/** The child at a segment, with the position of its key when it is a mapping entry. */
function child(node: unknown, segment: string | number): { node: unknown; keyStart?: number } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
    if (!pair) return undefined;
    const keyStart = nodeStart(pair.key);
    return { node: pair.value, ...(keyStart === undefined ? {} : { keyStart }) };
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item === undefined ? undefined : { node: item };
  }
  return undefined;
}
