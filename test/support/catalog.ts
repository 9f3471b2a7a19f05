import { createHash } from 'node:crypto';
import { MANIFEST_FORMAT, type BackupManifest } from '../../src/catalog/manifest.js';

/** A backup of a made-up catalog: what retention and `runbook backups` read of it. */
export interface MadeUpBackup {
  kind: 'db' | 'files';
  host: string;
  /** ISO time, UTC. */
  created: string;
  verified?: boolean;
  /** The made-up backup this one depends on (same kind and host), by its created time. */
  dependsOn?: string;
}

/** The run id a run started at `created` would have had: `YYYYMMDD-HHMMSS-xxxx`. */
export function idOf(backup: Pick<MadeUpBackup, 'created' | 'kind'>): string {
  const stamp = backup.created.replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${backup.kind === 'db' ? 'db00' : 'f000'}`;
}

/** `<kind>/<host>/<id>`, as the catalog's folders name a backup. */
export const pathOf = (b: MadeUpBackup): string => `${b.kind}/${b.host}/${idOf(b)}`;

const heredoc = (path: string, text: string): string => `cat > '${path}' <<'RUNBOOK_EOF'\n${text}\nRUNBOOK_EOF`;

/**
 * A shell script that writes the backups under root: each folder with one small real file and
 * a manifest holding that file's real size and sha256. `unfinished` folders get a file and no
 * manifest, like a backup interrupted before its manifest was written.
 */
export function writeCatalogScript(root: string, backups: readonly MadeUpBackup[], unfinished: readonly string[] = []): string {
  const lines = ['set -e'];
  for (const b of backups) {
    const dir = `${root}/${pathOf(b)}`;
    const content = `made-up ${b.kind} backup of ${b.host} taken ${b.created}\n`;
    lines.push(`mkdir -p '${dir}'`, `printf '%s\\n' '${content.trimEnd()}' > '${dir}/data.txt'`);
    lines.push(heredoc(`${dir}/manifest.json`, JSON.stringify(manifestOf(b, content), null, 2)));
  }
  for (const u of unfinished) lines.push(`mkdir -p '${root}/${u}'`, `echo partial > '${root}/${u}/data.txt'`);
  return lines.join('\n');
}

function manifestOf(b: MadeUpBackup, content: string): BackupManifest {
  const id = idOf(b);
  return {
    format: MANIFEST_FORMAT,
    id,
    kind: b.kind,
    host: b.host,
    created: b.created,
    run: { id, runbook: b.kind === 'db' ? 'backup-db' : 'backup-files', version: '1.0.0' },
    source_digest: createHash('sha256').update(b.created).digest('hex'),
    contents: b.kind === 'db' ? { databases: ['nova'] } : { paths: ['/etc/nova'] },
    depends_on: b.dependsOn === undefined ? null : idOf({ created: b.dependsOn, kind: b.kind }),
    files: [{ name: 'data.txt', size: Buffer.byteLength(content), sha256: createHash('sha256').update(content).digest('hex') }],
    verified: b.verified ?? true,
    verified_at: b.verified === false ? null : b.created,
  };
}

/** An ISO time `days` days before today's UTC midnight, at `hour` UTC. */
export function daysAgo(days: number, hour = 2, today = new Date()): string {
  const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return new Date(midnight - days * 86_400_000 + hour * 3_600_000).toISOString().replace('.000Z', 'Z');
}
