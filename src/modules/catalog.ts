import { isRecord } from '../runbook/raw.js';
import { type CatalogArgs, type CatalogPrior, type CatalogState } from './catalog/args.js';
import { copiedState } from './catalog/copied.js';
import { fetchedState } from './catalog/fetched.js';
import { OFFSITE_SCHEMA } from './catalog/offsite.js';
import { foundState } from './catalog/found.js';
import { storedState } from './catalog/stored.js';
import { testedState } from './catalog/tested.js';
import { defineModule, type JsonSchema, type RulesInput, type ShowWords } from './definition.js';

export type { CatalogArgs, CatalogPrior };

/** Each state is a module of its own (src/modules/catalog/): `state` selects it. */
const STATES: Readonly<Record<CatalogArgs['state'], CatalogState>> = {
  stored: storedState,
  found: foundState,
  fetched: fetchedState,
  tested: testedState,
  copied: copiedState,
};

/** The arguments of every state; the others are each state's own (`takes`). */
const EVERY_STATE: readonly string[] = ['state', 'storage', 'root', 'kind', 'host', 'id'];

/** The arguments of the catalog module, whatever the state; the per-state rules are added below. */
const ARGUMENTS = {
  type: 'object',
  additionalProperties: false,
  required: ['state', 'storage', 'root', 'kind'],
  description: 'The backup catalog on a storage host (docs/backups.md): store what produce writes as a verified backup with its manifest (unless it equals the newest), find one (and whether the host still matches it), fetch one to this host, checksums verified, or record that one passed a restore test.',
  properties: {
    state: {
      enum: ['stored', 'found', 'fetched', 'tested', 'copied'],
      description: 'stored: what produce writes is a verified backup in the catalog (nothing changes when it equals the newest); found: look one up, read-only; fetched: its files are in dest on this host; tested: the backup has a restore-test record (restore-test.json beside its manifest), written after it was restored and compared; copied: the backup has a verified off-site copy in Swift (offsite).',
    },
    storage: {
      type: 'string',
      description: 'Inventory name of the storage host that keeps the catalog.',
    },
    root: {
      type: 'string',
      description: 'The catalog folder on the storage host (the inventory var backup_root).',
    },
    kind: {
      type: 'string',
      description: 'db, files, or a kind of your own.',
    },
    host: {
      type: 'string',
      description: "The host whose backups are meant; default: this step's host.",
    },
    id: {
      type: 'string',
      description: "A backup id, or latest (the newest verified one). stored: the new backup's id.",
    },
    produce: {
      type: 'string',
      minLength: 1,
      description: "stored, found: a shell command that writes the backup's files into $OUT (an empty private folder on this host), deterministically (gzip -n, tar --sort=name), so equal sha256s mean equal data.",
    },
    stdin: {
      type: 'string',
      description: 'Fed to produce on its standard input: credentials (mysqldump --defaults-extra-file=/dev/stdin); never on a command line.',
    },
    dest: {
      type: 'string',
      description: 'fetched: the folder on this host to put the files in.',
    },
    only: {
      type: ['array', 'string'],
      items: {
        type: 'string',
      },
      description: 'fetched: only the files whose name before the first dot is one of these (database names: nova, nova_api; etc-nova), or a reference to such a list ("{{params.databases}}").',
    },
    source_digest: {
      type: 'string',
      description: 'stored: a digest of the source as read, recorded so an unchanged source is recognised.',
    },
    contents: {
      type: 'object',
      description: 'stored: what the backup holds, in your words (databases, paths), kept in the manifest.',
    },
    depends_on: {
      type: 'string',
      description: 'stored: the id of a backup this one needs to be restored.',
    },
    required: {
      type: 'boolean',
      description: 'found, copied: fail when there is no such backup (default true).',
    },
    verify: {
      type: 'boolean',
      description: "found: recompute every file's sha256 on the storage host and fail on a mismatch (fetched always does).",
    },
    must_match: {
      type: 'boolean',
      description: "found: fail unless the files produce writes equal the backup's (a restore is verified this way).",
    },
    recipients: {
      type: ['array', 'string'],
      items: {
        type: 'string',
      },
      description: "stored: encrypt every file with age on this host, before it leaves it, to these public keys (age1..., ssh-ed25519 ..., ssh-rsa ...), or a reference to such a list (\"{{default host.vars.backup_age_recipients ''}}\"); empty: not encrypted. The manifest records the recipients; restoring needs one of their identities.",
    },
    identity: {
      type: 'string',
      description: 'fetched: the age identity (the contents of an identity file: a secret, "{{secrets.age_identity}}") that decrypts an encrypted backup on this host; it reaches age on standard input only. Not needed for a backup that is not encrypted.',
    },
    offsite: {
      ...OFFSITE_SCHEMA,
      description: 'copied: the Swift to copy to; found, fetched: where to look when the storage node has no such backup. From the inventory\'s offsite_swift_* vars and a secret key (docs/backups.md); an empty auth_url declares none.',
    },
    from: {
      type: 'string',
      description: 'found, fetched: which copy: auto (the default: the storage node\'s, else the off-site one), storage or offsite.',
    },
    force: {
      type: ['boolean', 'string'],
      description: 'tested: write a new restore-test record even when the backup has one (true, or a template such as "{{params.retest}}").',
    },
  },
} satisfies JsonSchema;

/** The arguments a state cannot use: those of other states it does not take. */
function refusedBy(state: CatalogState): string[] {
  return Object.keys(ARGUMENTS.properties).filter((key) => !EVERY_STATE.includes(key) && !(state.takes as readonly string[]).includes(key));
}

/**
 * One if/then per state, so an editor marks a key the state cannot use, or a missing one it
 * needs, at once. The loader says the same in the words of {@link catalogRules} (step rules
 * supersede the schema's if/then errors, see src/runbook/schema.ts).
 */
function perStateSchema(): JsonSchema[] {
  return Object.entries(STATES).map(([name, state]) => ({
    if: { properties: { state: { const: name } }, required: ['state'] },
    then: {
      ...(state.needs.length > 0 ? { required: [...state.needs] } : {}),
      properties: Object.fromEntries(refusedBy(state).map((key) => [key, false])),
    },
  }));
}

function catalogRules({ value: args, at, findings }: RulesInput): void {
  if (!isRecord(args) || typeof args.state !== 'string' || !Object.hasOwn(STATES, args.state)) return;
  const state = STATES[args.state as CatalogArgs['state']];
  for (const key of state.needs) if (args[key] === undefined) findings.add(at, `catalog with state: ${args.state} needs ${key}`, { at: 'key' });
  for (const key of refusedBy(state)) if (args[key] !== undefined) findings.add(`${at}.${key}`, `catalog ${key} does not go with state: ${args.state}`, { at: 'key' });
}

function showCatalog(args: CatalogArgs, words: ShowWords): string {
  const which = `${words.arg('kind')} backup ${args.id === undefined ? (args.state === 'stored' ? 'of this run' : '`latest`') : words.arg('id')}`;
  return STATES[args.state].show(args, words, which);
}

/**
 * `catalog`: the backup catalog on a storage host, seen from the host whose data it keeps
 * (docs/backups.md). Like `transfer` it reaches the storage host itself, so a runbook never needs
 * a step there and every decision stays with the host the data belongs to.
 *
 * `produce` is the bash script (run with -e -u -o pipefail) that writes the backup's files into
 * `$OUT`, an empty private folder on this host (a dump through gzip, a tar); `stdin` feeds it
 * (credentials). Producing is deterministic (`gzip -n`, `tar --sort=name`,
 * `mysqldump --skip-dump-date`), so equal sha256s mean equal data: that is how an unchanged
 * source is recognised.
 *
 * Five modules in one key, each in its own file under src/modules/catalog/: `stored` (a new
 * verified backup), `found` (look one up), `fetched` (its files here), `tested` (it has a
 * restore-test record), `copied` (it has a verified off-site copy in Swift).
 */
export const catalogModule = defineModule<CatalogArgs, CatalogPrior>({
  name: 'catalog',
  schema: { ...ARGUMENTS, allOf: perStateSchema() },
  load: ({ value }) => value as CatalogArgs,
  rules: catalogRules,
  show: showCatalog,
  shellFields: ['produce'],
  reaches: ['storage'],
  mutating: true,

  check: (ctx, args) => STATES[args.state].check(ctx, args),
  apply: (ctx, args, prior) => STATES[args.state].apply(ctx, args, prior),
  rollback: (ctx, args, prior) => STATES[args.state].rollback?.(ctx, args, prior) ?? Promise.resolve({ ok: true, commands: [] }),
  commit: (ctx, args, prior) => STATES[args.state].commit?.(ctx, args, prior) ?? Promise.resolve({ ok: true, commands: [] }),
});
