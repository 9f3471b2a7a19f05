import { type KindHostFreshness, backupSize, createdAt, freshnessOf } from '../catalog/freshness.js';
import type { CatalogEntry } from '../catalog/manifest.js';
import type { StorageListing } from './backups.js';

/** One sample: its labels (in order) and value. */
interface Sample {
  labels: Array<[string, string]>;
  value: number;
}

/** A metric family: a name by Prometheus' conventions (unit suffix, base units), its help, its samples. */
interface Family {
  name: string;
  help: string;
  samples: Sample[];
}

/**
 * `runbook backups --metrics`: the catalog as Prometheus' text exposition format (version
 * 0.0.4), for node_exporter's textfile collector. Every value is a gauge; per storage host whether
 * its catalog was read and how many manifests were refused, and per storage host, kind and source
 * host the number of backups and the newest verified and restore-tested ones: their creation time
 * (for `time() - x` in an alert, right however old the file), their age when the file was written
 * (`now`), the verified one's size. A family without samples is left out, so a value that does not
 * exist (an off-site copy, until there is one) is never written as a made-up 0. The off-site
 * copy in Swift, when the inventory declares one, is a catalog of its own (storage
 * `swift:<container>`) in `_catalog_up` and `_problems`, and its newest copy's time and age are
 * `runbook_backup_offsite_last_verified_{timestamp,age}_seconds`.
 */
export function backupMetrics(listings: readonly StorageListing[], unreachable: readonly string[], now: number): string {
  const read = listings.filter((l) => l.catalog !== undefined && l.error === undefined);
  const pairsOf = (from: readonly StorageListing[]): Pair[] => from.flatMap((l) => freshnessOf(l.catalog?.entries ?? []).map((f) => ({ storage: l.storage, ...f })));
  const pairs = pairsOf(read.filter((l) => !l.offsite));
  // The off-site copy (storage="swift:<container>") has families of its own: its age is the copy's.
  const copies = pairsOf(read.filter((l) => l.offsite));
  const families: Family[] = [
    {
      name: 'runbook_backup_catalog_up',
      help: 'Whether the catalog of the storage host could be read (1) or not (0: unreachable, or unreadable).',
      samples: [...listings.map((l) => ({ labels: [['storage', l.storage]] as Array<[string, string]>, value: read.includes(l) ? 1 : 0 })), ...unreachable.map((host) => ({ labels: [['storage', host]] as Array<[string, string]>, value: 0 }))],
    },
    {
      name: 'runbook_backup_problems',
      help: 'Backup folders of the storage host whose manifest was refused: never listed nor restored.',
      samples: read.map((l) => ({ labels: [['storage', l.storage]], value: l.catalog?.problems.length ?? 0 })),
    },
    { name: 'runbook_backups', help: 'Backups in the catalog (readable manifests, verified or not) of a kind and source host.', samples: pairs.map((p) => ({ labels: labelsOf(p), value: p.count })) },
    ...newestFamilies('last_verified', 'the newest verified backup', pairs, (p) => p.newestVerified, now),
    { name: 'runbook_backup_last_verified_size_bytes', help: 'Size of the files of the newest verified backup of a kind and source host.', samples: samplesOf(pairs, (p) => p.newestVerified && backupSize(p.newestVerified)) },
    ...newestFamilies('last_restore_tested', 'the newest backup that passed a restore test', pairs, (p) => p.newestTested, now),
    ...newestFamilies('offsite_last_verified', 'the newest verified off-site copy (in Swift)', copies, (p) => p.newestVerified, now),
  ];
  return families.filter((f) => f.samples.length > 0).map(render).join('');
}

type Pair = KindHostFreshness & { storage: string };

/** `_timestamp_seconds` and `_age_seconds` of one newest backup per pair (its `created`). */
function newestFamilies(what: string, description: string, pairs: readonly Pair[], newest: (p: Pair) => CatalogEntry | undefined, now: number): Family[] {
  const created = (p: Pair): number | undefined => {
    const entry = newest(p);
    return entry && createdAt(entry);
  };
  return [
    { name: `runbook_backup_${what}_timestamp_seconds`, help: `When ${description} of a kind and source host was created (Unix time).`, samples: samplesOf(pairs, (p) => mapDefined(created(p), (t) => t / 1000)) },
    { name: `runbook_backup_${what}_age_seconds`, help: `Age of ${description} of a kind and source host when this file was written.`, samples: samplesOf(pairs, (p) => mapDefined(created(p), (t) => (now - t) / 1000)) },
  ];
}

function samplesOf(pairs: readonly Pair[], value: (p: Pair) => number | undefined): Sample[] {
  return pairs.flatMap((p) => {
    const v = value(p);
    return v === undefined ? [] : [{ labels: labelsOf(p), value: v }];
  });
}

function mapDefined(value: number | undefined, f: (v: number) => number): number | undefined {
  return value === undefined ? undefined : f(value);
}

function labelsOf(p: Pair): Array<[string, string]> {
  return [['storage', p.storage], ['kind', p.kind], ['host', p.host]];
}

function render(family: Family): string {
  const lines = [`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} gauge`];
  for (const s of family.samples) lines.push(`${family.name}{${s.labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}} ${formatValue(s.value)}`);
  return `${lines.join('\n')}\n`;
}

/** A label value as the text format quotes it: `\`, `"` and newline escaped (host names come from manifests: untrusted). */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text escapes `\` and newline. */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return String(Math.round(value * 1000) / 1000);
}
