import type { Duplex, Readable } from 'node:stream';

/*
 * The few ssh2 shapes we use. ssh2 ships no type declarations and @types/ssh2 is not a
 * dependency; these mirror ssh2 1.x's Client and ClientChannel for exactly what ssh.ts calls.
 */

/** An exec channel: readable stdout, writable stdin, `stderr`, 'exit' then 'close'. */
export interface Ssh2Channel extends Duplex {
  stderr: Readable;
  close(): void;
}

/** An authenticated ssh2 Client. */
export interface Ssh2Client {
  exec(command: string, callback: (error: Error | undefined, channel: Ssh2Channel) => void): boolean;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'close', listener: () => void): this;
  end(): void;
  /** TCP_NODELAY on the underlying socket. */
  setNoDelay(noDelay?: boolean): void;
}

/** The whole client as ssh.ts drives it: connected with `connect`, usable once it emitted 'ready'. */
export interface Ssh2Connecting extends Ssh2Client {
  connect(config: object): void;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'close' | 'ready', listener: () => void): this;
  once(event: 'close' | 'ready', listener: () => void): this;
  removeListener(event: 'error' | 'close' | 'ready', listener: (...args: never[]) => void): this;
  /** Drops the socket at once, whatever state the connection is in. */
  destroy(): void;
}

/** What `require('ssh2')` gives us. */
export interface Ssh2Module {
  Client: new () => Ssh2Connecting;
}
