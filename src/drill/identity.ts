import { IDENTITY_SECRET, RECIPIENTS_VAR, parseRecipients } from '../catalog/encryption.js';
import type { Inventory } from '../inventory/types.js';
import type { Runbook } from '../runbook/types.js';

/**
 * A drill against an inventory whose backups are encrypted (backup_age_recipients) recovers only
 * with the identity: when a runbook it calls declares the `age_identity` secret and it is not set,
 * the drill is refused before the fault, not left half-way with the lab broken.
 */
export function missingIdentityProblem(runbook: Runbook, secrets: Record<string, string>, inventory: Inventory): string | undefined {
  const source = runbook.secrets[IDENTITY_SECRET];
  if (!source || secrets[IDENTITY_SECRET] !== '') return undefined;
  const encrypting = inventory.hosts.filter((h) => {
    const parsed = parseRecipients(h.vars[RECIPIENTS_VAR]);
    return parsed.ok && parsed.value.length > 0;
  });
  if (encrypting.length === 0) return undefined;
  const where = 'env' in source ? `the environment variable ${source.env}` : `the file ${source.file}`;
  return `the inventory encrypts the backups of ${encrypting.map((h) => h.name).join(', ')} (${RECIPIENTS_VAR}), and the secret ${IDENTITY_SECRET} (${where}) is not set: the recovery could not decrypt them. Nothing was touched.`;
}
