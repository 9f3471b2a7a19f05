import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CommandResult, Connection } from '../connection/connection.js';
import { sh } from '../command/command.js';
import type { ActionOutcome, ModuleContext } from './module.js';
import { parseSha256, sha256Command } from './remote.js';

/** What a stream reports besides the commands: what went through the control node. */
export interface Streamed extends ActionOutcome {
  /** sha256 of the bytes that went through the control node. */
  sha256?: string;
  /** How many bytes went through. */
  bytes?: number;
  /** With `verify`: sha256 of the temporary file on the receiving host, read back once written. */
  arrived?: string;
}

/**
 * Pipes `cat src` on one host into `cat > temp` on another, through the control node.
 * pipeline() carries backpressure from the receiving channel back to the sending one, so memory
 * stays constant whatever the size; a failure on either side aborts both remote commands so
 * neither waits forever for the other. Returns the sha256 of the bytes that went through.
 *
 * With `verify`, the receiving command also hashes the temporary file once it is written (in the
 * same command, no extra round trip), and the outcome fails unless that equals what was sent.
 */
export async function streamFile(
  ctx: ModuleContext,
  source: { from: Connection; src: string },
  target: { to: Connection; temp: string; dest: string; verify?: boolean },
): Promise<Streamed> {
  const stop = new AbortController();
  const signal = AbortSignal.any([ctx.signal, stop.signal]);
  const options = { ...ctx.options, signal };
  const write = sh`mkdir -p -- ${posix.dirname(target.dest)} && umask 077 && cat > ${target.temp}`;
  // Re-reading the file just written comes from the page cache; on this project's 2-core hosts
  // that costs less than hashing beside the write (`tee | sha256sum` copies every byte through
  // one more pipe, 8 KiB at a time), and it hashes what the file holds, not what tee was given.
  const receive = target.verify ? sh`${write} && ${sha256Command(target.temp)}` : write;
  const receiver = await target.to.stream(receive.text, options);
  const sender = await source.from.stream(sh`exec cat -- ${source.src}`.text, options);
  const reply = collectText(receiver.stdout);
  const hash = createHash('sha256');
  let bytes = 0;
  // A listener beside pipe() instead of a Transform in the pipeline: one stream hop less per chunk.
  sender.stdout.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    bytes += chunk.length;
  });
  const piped = await pipeline(sender.stdout, receiver.stdin).then(() => undefined, (error: unknown) => error);
  if (piped !== undefined) stop.abort();
  const commands: CommandResult[] = await Promise.all([sender.done, receiver.done]);
  const sha256 = hash.digest('hex');
  const ok = piped === undefined && commands.every((c) => c.exitCode === 0);
  if (piped instanceof Error) return { ok, commands, sha256, bytes, message: `stream from ${source.from.host} to ${target.to.host} broke: ${piped.message}` };
  if (!target.verify || !ok) return { ok, commands, sha256, bytes };
  const arrived = parseSha256(await reply);
  if (arrived === sha256) return { ok, commands, sha256, bytes, arrived };
  return {
    ok: false,
    commands,
    sha256,
    bytes,
    ...(arrived ? { arrived } : {}),
    message: `${target.temp} on ${target.to.host} has sha256 ${arrived ?? '(none)'}, not the ${sha256} of the ${bytes} bytes sent from ${source.from.host}`,
  };
}

/** The whole (short) text a stream carries; consuming it also keeps its channel window open. */
function collectText(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve) => {
    let settled = false;
    const done = (): void => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    for (const event of ['end', 'close', 'error']) stream.once(event, done);
  });
}
