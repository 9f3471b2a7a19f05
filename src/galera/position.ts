import { type Result, fail, ok } from '../diagnostics/result.js';

/**
 * Where a Galera member's committed state ends: the cluster history's UUID and the last
 * committed seqno. Read back from hosts (grastate.dat, `mariadbd --wsrep-recover`), so every
 * field is checked before it is believed.
 */
export interface GaleraPosition {
  uuid: string;
  seqno: number;
  safeToBootstrap: boolean;
  /** grastate: the member stopped cleanly and wrote its seqno; wsrep-recover: read from InnoDB after a crash. */
  source: 'grastate' | 'wsrep-recover';
}

/** grastate.dat's fields (seqno -1: the member did not stop cleanly). */
export interface GrastateFile {
  uuid: string;
  seqno: number;
  safeToBootstrap: boolean;
}

/** A member's probe output, for {@link mostAdvanced}. */
export interface MemberReport {
  host: string;
  text: string;
}

/** The member to bootstrap from, and why. */
export interface BootstrapChoice {
  host: string;
  position: GaleraPosition;
  /** Every member's position (or why it has none), for the record. */
  members: Array<{ host: string; position?: GaleraPosition; problem?: string }>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A member that never joined a cluster, or whose state was thrown away. */
export const NO_HISTORY = '00000000-0000-0000-0000-000000000000';
const SEQNO = /^-?\d{1,19}$/;
const MAX_TEXT = 64 * 1024;
/** `... [Note] WSREP: Recovered position: <uuid>:<seqno>` (mariadbd --wsrep-recover's log line). */
const RECOVERED = /WSREP: Recovered position:\s*([^\s:]+):(\S+)\s*$/;

function seqnoOf(text: string): number | undefined {
  if (!SEQNO.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) && n >= -1 ? n : undefined;
}

/** grastate.dat's text -> its fields; anything malformed (a missing, doubled or odd field) is an error. */
export function parseGrastate(text: string): Result<GrastateFile, string> {
  if (text.length > MAX_TEXT) return fail('grastate.dat is larger than 64 KiB');
  const fields = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#')) continue;
    const m = /^([a-z_]+):\s*(.*?)\s*$/.exec(line);
    if (!m?.[1]) continue; // not grastate's (the probe's other lines)
    if (!['version', 'uuid', 'seqno', 'safe_to_bootstrap'].includes(m[1])) continue;
    if (fields.has(m[1])) return fail(`grastate.dat has '${m[1]}' twice`);
    fields.set(m[1], m[2] ?? '');
  }
  const uuid = fields.get('uuid');
  const seqnoText = fields.get('seqno');
  if (uuid === undefined || seqnoText === undefined) return fail('grastate.dat lacks uuid or seqno');
  if (!UUID.test(uuid)) return fail(`grastate.dat's uuid ${JSON.stringify(uuid.slice(0, 60))} is not a UUID`);
  const seqno = seqnoOf(seqnoText);
  if (seqno === undefined) return fail(`grastate.dat's seqno ${JSON.stringify(seqnoText.slice(0, 30))} is not a number >= -1`);
  const safe = fields.get('safe_to_bootstrap') ?? '0';
  if (safe !== '0' && safe !== '1') return fail(`grastate.dat's safe_to_bootstrap ${JSON.stringify(safe.slice(0, 30))} is not 0 or 1`);
  return ok({ uuid, seqno, safeToBootstrap: safe === '1' });
}

/**
 * One member's position from what its probe printed: grastate.dat, and after a crash (seqno -1)
 * the `WSREP: Recovered position` line of `mariadbd --wsrep-recover`. A recovered position of
 * another history than grastate's, two recovered lines that disagree, or none after a crash is
 * an error: guessing here is how a recovery throws transactions away.
 */
export function memberPosition(text: string): Result<GaleraPosition, string> {
  if (text.length > MAX_TEXT) return fail('the member\'s report is larger than 64 KiB');
  if (!text.includes('uuid:')) return fail('no grastate.dat (an empty or lost datadir: the member has no state to bootstrap from)');
  const grastate = parseGrastate(text);
  if (!grastate.ok) return grastate;
  const { uuid, seqno, safeToBootstrap } = grastate.value;
  const recovered = new Set<string>();
  for (const line of text.split('\n')) {
    const m = RECOVERED.exec(line.replace(/\r$/, ''));
    if (m) recovered.add(`${m[1]}:${m[2]}`);
  }
  if (recovered.size > 1) return fail(`mariadbd --wsrep-recover printed ${recovered.size} different positions`);
  const [only] = [...recovered];
  if (seqno >= 0) {
    if (uuid === NO_HISTORY) return fail('grastate.dat holds no cluster history (uuid 0)');
    return ok({ uuid, seqno, safeToBootstrap, source: 'grastate' });
  }
  if (only === undefined) return fail('seqno -1 (it did not stop cleanly) and mariadbd --wsrep-recover found no position');
  const cut = only.lastIndexOf(':');
  const rUuid = only.slice(0, cut);
  const rSeqno = seqnoOf(only.slice(cut + 1));
  if (!UUID.test(rUuid) || rSeqno === undefined) return fail(`mariadbd --wsrep-recover's position ${JSON.stringify(only.slice(0, 80))} is not uuid:seqno`);
  if (rUuid === NO_HISTORY || rSeqno < 0) return fail('mariadbd --wsrep-recover found no committed transaction (position 0 or -1)');
  if (uuid !== NO_HISTORY && rUuid !== uuid) return fail(`mariadbd --wsrep-recover's uuid ${rUuid} is not grastate.dat's ${uuid}`);
  return ok({ uuid: rUuid, seqno: rSeqno, safeToBootstrap, source: 'wsrep-recover' });
}

/**
 * The member to bootstrap a stopped cluster from: the one with the highest committed seqno.
 * Members without a position are left out (they join by state transfer); members of different
 * histories (UUIDs) are an error, because which one is the cluster is a person's decision. A tie
 * goes to the member marked safe to bootstrap, then to the first in inventory order.
 */
export function mostAdvanced(reports: readonly MemberReport[]): Result<BootstrapChoice, string> {
  if (reports.length === 0) return fail('no members');
  const members = reports.map((r) => {
    const p = memberPosition(r.text);
    return p.ok ? { host: r.host, position: p.value } : { host: r.host, problem: p.error };
  });
  const known = members.filter((m): m is { host: string; position: GaleraPosition } => m.position !== undefined);
  const describe = (): string => members.map((m) => (m.position ? `${m.host} ${m.position.uuid}:${m.position.seqno}` : `${m.host}: ${m.problem}`)).join('; ');
  if (known.length === 0) return fail(`no member has a committed position to bootstrap from (${describe()})`);
  const histories = new Set(known.map((m) => m.position.uuid));
  if (histories.size > 1) return fail(`the members hold different cluster histories, choose by hand (${describe()})`);
  let best = known[0]!;
  for (const m of known.slice(1)) {
    const better = m.position.seqno > best.position.seqno || (m.position.seqno === best.position.seqno && m.position.safeToBootstrap && !best.position.safeToBootstrap);
    if (better) best = m;
  }
  return ok({ host: best.host, position: best.position, members });
}
