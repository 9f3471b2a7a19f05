import { createHash } from 'node:crypto';

/** A small seeded PRNG (mulberry32): the same seed gives the same lab on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A deterministic UUID (v4 layout) named by its parts. */
export function uuidOf(...parts: Array<string | number>): string {
  const h = createHash('sha256').update(parts.join('/')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A deterministic hex string (ids of keystone, checksums of glance). */
export function hexOf(length: number, ...parts: Array<string | number>): string {
  let out = '';
  for (let i = 0; out.length < length; i++) out += createHash('sha256').update(`${parts.join('/')}#${i}`).digest('hex');
  return out.slice(0, length);
}

const BASE = Date.UTC(2024, 0, 15, 8, 0, 0);

/** A deterministic DATETIME literal, `minutes` after the lab's epoch (2024-01-15 08:00). */
export function timeAt(minutes: number): string {
  return new Date(BASE + minutes * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** Deterministic bytes of any length (image files, ring files). */
export function bytesOf(length: number, ...parts: Array<string | number>): Buffer {
  const out = Buffer.alloc(length);
  let off = 0;
  for (let i = 0; off < length; i++) {
    const block = createHash('sha512').update(`${parts.join('/')}#${i}`).digest();
    off += block.copy(out, off);
  }
  return out;
}
