import { Transform, type TransformCallback } from 'node:stream';
import { PGID_MARKER } from './wrap.js';

/** The longest first line we wait for before giving up on finding the marker. */
const MAX_HEADER = 256;

/**
 * Strips the `__RUNBOOK_PGID__ <pgid>` line that {@link sessionCommand} prints first and passes
 * every later byte through untouched. `pgid` resolves with the group id, or undefined when the
 * stream ended or started without the marker (then the bytes are passed on as they are).
 */
export class PgidSplitter extends Transform {
  readonly pgid: Promise<number | undefined>;
  private resolvePgid!: (pgid: number | undefined) => void;
  private header: Buffer | undefined = Buffer.alloc(0);

  constructor() {
    super();
    this.pgid = new Promise((resolve) => (this.resolvePgid = resolve));
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.header === undefined) return callback(null, chunk);
    const data = Buffer.concat([this.header, chunk]);
    const newline = data.indexOf(0x0a);
    if (newline < 0 && data.length < MAX_HEADER) {
      this.header = data;
      return callback();
    }
    this.header = undefined;
    const line = data.subarray(0, Math.max(newline, 0)).toString('latin1');
    const match = newline >= 0 ? new RegExp(`^${PGID_MARKER} (\\d+|-)$`).exec(line) : null;
    if (!match) {
      this.resolvePgid(undefined);
      return callback(null, data);
    }
    const id = Number(match[1]);
    this.resolvePgid(Number.isInteger(id) && id > 1 ? id : undefined);
    callback(null, data.subarray(newline + 1));
  }

  override _flush(callback: TransformCallback): void {
    const rest = this.header;
    this.header = undefined;
    this.resolvePgid(undefined);
    callback(null, rest && rest.length > 0 ? rest : undefined);
  }
}
