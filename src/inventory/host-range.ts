/*
 * Host names as Ansible's inventory plugins read them (parsing/utils/addresses.py and
 * plugins/inventory/__init__.py): an optional `:port`, then `[a:b]` / `[a:b:step]` ranges.
 */

const NUMERIC_RANGE = String.raw`\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const HEX_RANGE = String.raw`\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\]`;
const ALNUM_RANGE = String.raw`\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const IPV6_PART = `(?:[0-9a-f]{1,4}|${HEX_RANGE})`;
const IPV4_PART = `(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|${NUMERIC_RANGE})`;
// Python's \w is Unicode-aware.
const WORD = String.raw`[\p{L}\p{N}_]`;
const LABEL = `(?:${WORD}|${ALNUM_RANGE})(?:[\\p{L}\\p{N}_-]|${ALNUM_RANGE})*(?<![_-])`;

const BRACKETED_HOSTPORT = /^\[(.+)\]:([0-9]+)$/;
const HOSTPORT = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/;
const IPV4 = new RegExp(`^(?:${IPV4_PART}\\.){3}${IPV4_PART}$`, 'i');
const H = IPV6_PART;
// As in Ansible, `^` and `$` bind to the first and last alternative only (Python's re.match anchors the start).
const IPV6 = new RegExp(
  `^(?:(?:${H}:){7}${H}|(?:${H}:){1,6}:|(?:${H}:)(?::${H}){1,6}|(?:${H}:){2}(?::${H}){1,5}|(?:${H}:){3}(?::${H}){1,4}|` +
    `(?:${H}:){4}(?::${H}){1,3}|(?:${H}:){5}(?::${H}){1,2}|(?:${H}:){6}(?::${H})|:(?::${H}){1,6}|${H}?::|` +
    `(?:0:){6}(?:${H}\\.){3}${H}|::(?:ffff:)?(?:${H}\\.){3}${H}|(?:0:){5}ffff:(?:${H}\\.){3}${H}$)`,
  'iu',
);
const HOSTNAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`, 'iu');

/**
 * Ansible's parse_address: host and port of `host:22`, `[::1]:22`, `db[1:3]:22`; undefined when
 * the text is not a host name or address Ansible recognizes (callers then take it literally).
 */
export function parseAddress(address: string): { host: string; port?: number } | undefined {
  let rest = address;
  let port: number | undefined;
  for (const pattern of [BRACKETED_HOSTPORT, HOSTPORT]) {
    const m = pattern.exec(rest);
    if (m) {
      rest = m[1] as string;
      port = Number(m[2]);
    }
  }
  if (![IPV4, IPV6, HOSTNAME].some((p) => p.test(rest))) return undefined;
  return port === undefined ? { host: rest } : { host: rest, port };
}

/** A problem with a host range, in Ansible's words. */
export class HostRangeError extends Error {}

/**
 * Ansible's _expand_hostpattern: the host names a host entry stands for, and its port.
 * @throws HostRangeError for a malformed range.
 */
export function expandHostPattern(entry: string): { hosts: string[]; port?: number } {
  const parsed = parseAddress(entry);
  const pattern = parsed?.host ?? entry;
  const hosts = pattern.includes('[') ? expandHostRange(pattern) : [pattern];
  return parsed?.port === undefined ? { hosts } : { hosts, port: parsed.port };
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** More hosts than any inventory has: a range beyond it is a typo (or hostile), not a fleet. */
export const MAX_RANGE_HOSTS = 100_000;

/** Ansible's expand_hostname_range: `db[01:03]-[a:b]` is db01-a, db01-b, db02-a, ... */
export function expandHostRange(line: string): string[] {
  const hosts = expandRange(line);
  if (hosts.length > MAX_RANGE_HOSTS) throw new HostRangeError(`host range '${line}' stands for ${hosts.length} hosts; runbook stops at ${MAX_RANGE_HOSTS}`);
  return hosts;
}

function expandRange(line: string): string[] {
  const open = line.indexOf('[');
  const close = line.indexOf(']', open);
  // Ansible replaces the first '[' and the first ']' and splits in three; anything else is malformed.
  const firstClose = line.indexOf(']');
  if (open < 0 || firstClose < open || close < 0) throw new HostRangeError(`host range in '${line}' must be [begin:end] or [begin:end:step]`);
  const head = line.slice(0, open);
  const range = line.slice(open + 1, close);
  const tail = line.slice(close + 1);
  if (tail.includes(']') && !tail.includes('[')) throw new HostRangeError(`unbalanced ']' in host range '${line}'`);
  const bounds = range.split(':');
  if (bounds.length !== 2 && bounds.length !== 3) throw new HostRangeError('host range must be begin:end or begin:end:step');
  const begin = bounds[0] === '' ? '0' : (bounds[0] as string);
  const end = bounds[1] as string;
  const step = bounds.length === 3 ? toInt(bounds[2] as string, line) : 1;
  if (end === '') throw new HostRangeError('host range must specify end value');
  if (step <= 0) throw new HostRangeError(`host range step must be a positive number in '${line}'`);
  let fill = (x: string | number): string => String(x);
  if (begin.startsWith('0') && begin.length > 1) {
    if (begin.length !== end.length) throw new HostRangeError('host range must specify equal-length begin and end formats');
    fill = (x) => String(x).padStart(begin.length, '0');
  }
  const sequence: (string | number)[] = [];
  const [iBegin, iEnd] = [LETTERS.indexOf(begin), LETTERS.indexOf(end)];
  if (begin.length === 1 && end.length === 1 && iBegin >= 0 && iEnd >= 0) {
    if (iBegin > iEnd) throw new HostRangeError('host range must have begin <= end');
    for (let i = iBegin; i <= iEnd; i += step) sequence.push(LETTERS[i] as string);
  } else {
    const [from, to] = [toInt(begin, line), toInt(end, line)];
    if ((to - from) / step >= MAX_RANGE_HOSTS) throw new HostRangeError(`host range '${line}' stands for more than ${MAX_RANGE_HOSTS} hosts`);
    for (let i = from; i <= to; i += step) sequence.push(i);
  }
  return sequence.flatMap((item) => {
    const name = `${head}${fill(item)}${tail}`;
    const names = name.includes('[') ? expandRange(name) : [name];
    if (names.length * sequence.length > MAX_RANGE_HOSTS) throw new HostRangeError(`host range '${line}' stands for more than ${MAX_RANGE_HOSTS} hosts`);
    return names;
  });
}

function toInt(text: string, line: string): number {
  if (!/^\s*[+-]?\d+\s*$/.test(text)) throw new HostRangeError(`'${text}' is not a number in host range '${line}'`);
  return Number(text);
}
