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
        const channel = await this.exec(command);
        this.pending--;
        return this.track(channel, onClose);
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

  private exec(command: string): Promise<Ssh2Channel> {
    return new Promise((resolve, reject) => {
      this.client.exec(command, (error, channel) => (error ? reject(error) : resolve(channel)));
    });
  }

  private track(channel: Ssh2Channel, onClose: () => void): StartedProcess {
    this.open++;
    let exitCode: number | null = null;
    channel.on('exit', (code: number | null) => (exitCode = typeof code === 'number' ? code : null));
    const closed = new Promise<number | null>((resolve) =>
      channel.once('close', () => {
        this.open--;
        onClose();
        const waiting = this.waiters;
        this.waiters = [];
        for (const wake of waiting) wake();
        resolve(exitCode);
      }),
    );
    const stdout = new PgidSplitter();
    channel.pipe(stdout);
    return { stdin: channel, stdout, stderr: channel.stderr, closed, pgid: stdout.pgid, destroy: () => channel.close() };
  }
}
