import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CommandResult, Connection } from '../connection/connection.js';
import { shellQuote } from '../connection/quote.js';
import type { ActionOutcome, ModuleContext } from './module.js';

/**
 * Pipes `cat src` on one host into `cat > temp` on another, through the control node.
 * pipeline() carries backpressure from the receiving channel back to the sending one, so memory
 * stays constant whatever the size; a failure on either side aborts both remote commands so
 * neither waits forever for the other. Returns the sha256 of the bytes that went through.
 */
export async function streamFile(
  ctx: ModuleContext,
  source: { from: Connection; src: string },
  target: { to: Connection; temp: string; dest: string },
): Promise<ActionOutcome & { sha256?: string }> {
  const stop = new AbortController();
  const signal = AbortSignal.any([ctx.signal, stop.signal]);
  const options = { ...ctx.options, signal };
  const receive = `mkdir -p -- ${shellQuote(posix.dirname(target.dest))} && umask 077 && cat > ${shellQuote(target.temp)}`;
  const receiver = await target.to.stream(receive, options);
  const sender = await source.from.stream(`exec cat -- ${shellQuote(source.src)}`, options);
  const hash = createHash('sha256');
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const piped = await pipeline(sender.stdout, tap, receiver.stdin).then(() => undefined, (error: unknown) => error);
  if (piped !== undefined) stop.abort();
  const commands: CommandResult[] = await Promise.all([sender.done, receiver.done]);
  const ok = piped === undefined && commands.every((c) => c.exitCode === 0);
  const message = piped instanceof Error ? `stream from ${source.from.host} to ${target.to.host} broke: ${piped.message}` : undefined;
  return { ok, commands, sha256: hash.digest('hex'), ...(message ? { message } : {}) };
}
