import type { Diagnostic } from './diagnostic.js';

/**
 * An expected failure as a value (wireit's Result): loaders, parsers and checks return one
 * instead of throwing, so the caller must look before it uses the value. Unexpected throws are
 * turned into messages at one boundary, the CLI's.
 */
export type Result<T, E = Diagnostic[]> = { ok: true; value: T } | { ok: false; error: E };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail<E>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}
