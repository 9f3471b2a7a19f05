import { Duplex, PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ChannelOpener } from '../../../src/connection/ssh-channels.js';
import type { Ssh2Channel, Ssh2Client } from '../../../src/connection/ssh2-types.js';

/** A channel whose command has already finished: no output, then 'exit' and 'close'. */
function finishedChannel(): Ssh2Channel {
  const channel = new Duplex({ read() {}, write(_chunk, _encoding, done) { done(); } }) as unknown as Ssh2Channel;
  (channel as unknown as { stderr: PassThrough }).stderr = new PassThrough();
  (channel as unknown as { close: () => void }).close = () => undefined;
  return channel;
}

/**
 * A client that, like ssh2 reading one TCP chunk, calls the exec callback and then emits the
 * exit status in the same tick, before any awaiting caller resumes; 'close' follows later.
 */
function fastClient(code: number): Ssh2Client {
  return {
    exec(_command, callback) {
      const channel = finishedChannel();
      callback(undefined, channel);
      channel.emit('exit', code);
      channel.push(null);
      (channel as unknown as { stderr: PassThrough }).stderr.end();
      setImmediate(() => channel.emit('close'));
      return true;
    },
    on() {
      return this;
    },
    end() {},
    setNoDelay() {},
  };
}

describe('ChannelOpener', () => {
  it('keeps the exit status that arrives in the same tick as the exec reply', async () => {
    const opener = new ChannelOpener('h1', fastClient(3));
    const started = await opener.start('true', () => undefined);
    started.stdout.resume();
    expect(await started.closed).toBe(3);
  });
});
