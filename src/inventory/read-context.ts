import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { checkVar } from './vars.js';
import { type VaultSecret, decryptVault } from './vault.js';
import { UnsafeText, VaultCiphertext } from './yaml11.js';

/** What every reader of one inventory shares: where problems go, and the vault passwords. */
export interface ReadContext {
  diagnostics: Diagnostic[];
  vault: readonly VaultSecret[];
  /** Check ansible_* and runbook_* values runbook acts on (off for `runbook inventory`, which only shows). */
  checkConnectionVars: boolean;
  /** Every decrypted vault value: secrets, masked wherever they would be shown. */
  secrets: Set<string>;
  /** Decrypted value -> the vault text it came from, so listings can show the ciphertext as Ansible does. */
  vaulted: Map<string, string>;
  /** `!unsafe` texts, which listings mark as ansible-inventory does. */
  unsafe: Set<string>;
}

export function newReadContext(vault: readonly VaultSecret[] = [], checkConnectionVars = true): ReadContext {
  return { diagnostics: [], vault, checkConnectionVars, secrets: new Set(), vaulted: new Map(), unsafe: new Set() };
}

/**
 * A variable's value with `!vault` values decrypted; `report` gets a problem with the value
 * (a vault it cannot open, a connection variable runbook cannot use).
 */
export function revealValue(name: string, value: unknown, ctx: ReadContext, report: (message: string) => void): unknown {
  const revealed = reveal(value, ctx, report);
  const problem = ctx.checkConnectionVars ? checkVar(name, revealed) : undefined;
  if (problem) report(problem);
  return revealed;
}

function reveal(value: unknown, ctx: ReadContext, report: (message: string) => void): unknown {
  if (value instanceof VaultCiphertext) {
    const plain = decryptVault(value.ciphertext, ctx.vault);
    if (!plain.ok) {
      report(plain.error);
      return null;
    }
    ctx.secrets.add(plain.value);
    ctx.vaulted.set(plain.value, value.ciphertext);
    return plain.value;
  }
  if (value instanceof UnsafeText) {
    ctx.unsafe.add(value.text);
    return value.text;
  }
  if (Array.isArray(value)) return value.map((v) => reveal(v, ctx, report));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v, ctx, report)]));
  return value;
}
