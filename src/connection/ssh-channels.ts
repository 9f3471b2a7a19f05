import { HostError } from '../diagnostics/diagnostic.js';
import { PgidSplitter } from './pgid.js';
import type { StartedProcess } from './process.js';
import type { Ssh2Channel, Ssh2Client } from './ssh2-types.js';

/** A channel could not be opened; `refused` when the server said no (its session limit). */
export class ChannelRefused extends HostError {
  readonly refused: boolean;
  constructor(host: string, cause: unknown, refused: boolean) {
    super(host, 'channel', `${host}: cannot open a channel: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.refused = refused;
  }
}

/** A channel just opened, with what was heard of it before anyone awaited it. */
interface Opened {
  channel: Ssh2Channel;
  exitCode: number | null;
  closed: Promise<void>;
}

/** How often one command may wait for another channel to close and try again. */
const MAX_OPEN_RETRIES = 100;

/**
 * Opens exec channels on one client. When the server refuses a channel while others are open
 * (its MaxSessions is lower than our cap), the open waits for one of ours to close and retries,
 * so a hardened sshd (MaxSessions 2, say) slows commands down instead of failing them.
 */
export class ChannelOpener {
  private open = 0;
  private pending = 0;
  private waiters: Array<() => void> = [];
  private lost: string | undefined;

  constructor(
    private readonly host: string,
    private readonly client: Ssh2Client,
  ) {}

  /** Marks the connection dead: later opens fail with this reason at once. */
  markLost(reason: string): void {
    this.lost ??= reason;
  }

  get lostReason(): string | undefined {
    return this.lost;
  }

  /**
   * Opens a channel for `command`; `onClose` runs once when it closes. With `wait` false a
   * refusal fails at once (with stage 'channel' and `refused` set) instead of queueing.
   */
  async start(command: string, onClose: () => void, wait = true): Promise<StartedProcess> {
    for (let attempt = 0; ; attempt++) {
      if (this.lost) throw new HostError(this.host, 'channel', `${this.host}: ${this.lost}`);
      this.pending++;
      try {
        const opened = await this.exec(command);
        this.pending--;
        return this.track(opened, onClose);
      } catch (error) {
        this.pending--;
        const refused = error instanceof Error && /Channel open failure/.test(error.message);
        // Only a refusal while other channels of ours exist is the server's session limit.
        if (!refused || !wait || this.open + this.pending === 0 || attempt >= MAX_OPEN_RETRIES) {
          throw new ChannelRefused(this.host, error, refused);
        }
        await this.nextClose();
      }
    }
  }

  /** Resolves when one of our channels closes (or soon, if only opens are in flight). */
  private nextClose(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      if (this.open === 0) setTimeout(resolve, 50);
    });
  }

  /**
   * Opens the channel and listens for its exit status in the same tick: a fast command's
   * exit-status can arrive in the same TCP read as the exec reply, and ssh2 emits it before
   * any awaiting caller could add a listener (the run saw "exit code null" for `mkdir`).
   */
  private exec(command: string): Promise<Opened> {
    return new Promise((resolve, reject) => {
      this.client.exec(command, (error, channel) => {
        if (error) return reject(error);
        const opened: Opened = { channel, exitCode: null, closed: new Promise((done) => channel.once('close', done)) };
        channel.on('exit', (code: number | null) => (opened.exitCode = typeof code === 'number' ? code : null));
        resolve(opened);
      });
    });
  }

  private track(opened: Opened, onClose: () => void): StartedProcess {
    this.open++;
    const { channel } = opened;
    const closed = opened.closed.then(() => {
      this.open--;
      onClose();
      const waiting = this.waiters;
      this.waiters = [];
      for (const wake of waiting) wake();
      return opened.exitCode;
    });
    const stdout = new PgidSplitter();
    channel.pipe(stdout);
    return { stdin: channel, stdout, stderr: channel.stderr, closed, pgid: stdout.pgid, destroy: () => channel.close() };
  }
}
