/*
 * Deterministic mutations of YAML text for the fuzz corpus: the edits a hurried operator, a bad
 * merge or a failing disk make. Same seed, same text: a failing case is reproduced by its seed.
 */
import { prng } from '../../../lab/seed/random.js';

type Random = () => number;
type Mutation = (lines: string[], random: Random) => string[];

const pick = <T>(items: readonly T[], random: Random): T => items[Math.floor(random() * items.length)] as T;
const index = (lines: readonly string[], random: Random): number => Math.floor(random() * lines.length);

/** Replaces line `i` by what `edit` makes of it. */
function editLine(lines: string[], i: number, edit: (line: string) => string): string[] {
  return lines.map((line, j) => (j === i ? edit(line) : line));
}

/** Inserts `text` at a random character of line `i`. */
function insertInLine(lines: string[], random: Random, text: string): string[] {
  const i = index(lines, random);
  return editLine(lines, i, (line) => {
    const at = Math.floor(random() * (line.length + 1));
    return line.slice(0, at) + text + line.slice(at);
  });
}

/** Replaces the value after the first `key: ` of a random line that has one. */
function replaceValue(lines: string[], random: Random, value: string): string[] {
  const candidates = lines.flatMap((line, i) => (/:\s+\S/.test(line) ? [i] : []));
  if (candidates.length === 0) return insertInLine(lines, random, value);
  return editLine(lines, pick(candidates, random), (line) => line.replace(/:\s+.*$/, `: ${value}`));
}

const indentOf = (line: string): string => /^\s*/.exec(line)?.[0] ?? '';

const ODD_BYTES = ['\u0000', '\u0007', '\u001b[31m', '\u007f', '\u0085', '\uFFFD', '\uFEFF', '\u00e9', '\u{1F4A5}', '\r', '\t', '%', '@', '`', '|', '>', '#', '&', '*', '!', '?', ':'];

const MUTATIONS: Readonly<Record<string, Mutation>> = {
  deleteLine: (lines, r) => lines.filter((_, i) => i !== index(lines, r)),
  duplicateLine: (lines, r) => {
    const i = index(lines, r);
    return [...lines.slice(0, i + 1), lines[i] ?? '', ...lines.slice(i + 1)];
  },
  swapLines: (lines, r) => {
    const [a, b] = [index(lines, r), index(lines, r)];
    return lines.map((line, i) => (i === a ? (lines[b] ?? line) : i === b ? (lines[a] ?? line) : line));
  },
  unknownAlias: (lines, r) => replaceValue(lines, r, '*nope'),
  anchor: (lines, r) => replaceValue(lines, r, pick(['&a x', '&a', '*a', '&a [*a]'], r)),
  mergeKey: (lines, r) => {
    const i = index(lines, r);
    return [...lines.slice(0, i), `${indentOf(lines[i] ?? '')}<<: ${pick(['*x', '*a', '{ a: 1 }', '1', '[*x, 2]'], r)}`, ...lines.slice(i)];
  },
  tabIndent: (lines, r) => editLine(lines, index(lines, r), (line) => line.replace(/^ {2}/, '\t')),
  quote: (lines, r) => insertInLine(lines, r, pick(['"', "'", '"\\', "'''"], r)),
  bracket: (lines, r) => insertInLine(lines, r, pick(['[', ']', '{', '}', '[{', '{{', '}}', '{{ vars.'], r)),
  oddBytes: (lines, r) => insertInLine(lines, r, pick(ODD_BYTES, r)),
  truncate: (lines, r) => {
    const text = lines.join('\n');
    return text.slice(0, Math.floor(r() * text.length)).split('\n');
  },
  indentShift: (lines, r) => editLine(lines, index(lines, r), (line) => (r() < 0.5 ? ` ${line}` : line.replace(/^ {1,2}/, ''))),
  tag: (lines, r) => replaceValue(lines, r, pick(['!!js/function "function () {}"', '!foo bar', '!!binary AAAA', '!!int x', '!vault |', '!!map {}', '!!str 1'], r)),
  document: (lines, r) => {
    const i = index(lines, r);
    return [...lines.slice(0, i), pick(['---', '...', '--- |', '%YAML 1.1'], r), ...lines.slice(i)];
  },
  oddValue: (lines, r) => replaceValue(lines, r, pick(['', '~', '[]', '{}', '-1', '1e400', '0x10', 'yes', '"x".repeat', 'a'.repeat(5000), '[[[[[[[[[[1]]]]]]]]]]', '"\\u0000"', '?', '- x'], r)),
  complexKey: (lines, r) => {
    const i = index(lines, r);
    return [...lines.slice(0, i), `${indentOf(lines[i] ?? '')}${pick(['? [a, b]', '[a]: 1', '{a: 1}: 2', '*a : 1', '&k key: 1'], r)}`, ...lines.slice(i)];
  },
};

/** Bytes that are not UTF-8 (a flipped bit, a Latin-1 editor), spliced into the encoded text. */
function spliceRawBytes(bytes: Buffer, random: Random): Buffer {
  const at = Math.floor(random() * (bytes.length + 1));
  const junk = Buffer.from(Array.from({ length: 1 + Math.floor(random() * 4) }, () => 0x80 + Math.floor(random() * 0x80)));
  return Buffer.concat([bytes.subarray(0, at), junk, bytes.subarray(at)]);
}

/** `text` after 1 to 3 seeded edits, as the bytes of a file, and the edits' names for the failure message. */
export function mutate(text: string, seed: number): { bytes: Buffer; edits: string[] } {
  const random = prng(seed);
  const names = [...Object.keys(MUTATIONS), 'rawBytes'];
  const edits: string[] = [];
  let lines = text.split('\n');
  let rawBytes = false;
  const count = 1 + Math.floor(random() * 3);
  for (let n = 0; n < count; n++) {
    const name = pick(names, random);
    edits.push(name);
    if (name === 'rawBytes') rawBytes = true;
    else lines = (MUTATIONS[name] as Mutation)(lines, random);
  }
  const bytes = Buffer.from(lines.join('\n'), 'utf8');
  return { bytes: rawBytes ? spliceRawBytes(bytes, random) : bytes, edits };
}
