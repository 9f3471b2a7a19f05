import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunEvent } from '../engine/events.js';
import type { Redactor } from '../secrets/redactor.js';

/** Where runs are journaled: `<stateDir>/runs/<run-id>.jsonl`. */
export function journalPath(stateDir: string, runId: string): string {
  return join(stateDir, 'runs', `${runId}.jsonl`);
}

/**
 * An append-only JSONL journal of one run. Every event passes the redactor once more before
 * it is written, so a secret that slipped into any field still never reaches the disk.
 */
export class RunJournal {
  private constructor(
    readonly path: string,
    private readonly stream: WriteStream,
    private readonly redactor: Redactor,
  ) {}

  static async open(stateDir: string, runId: string, redactor: Redactor): Promise<RunJournal> {
    const path = journalPath(stateDir, runId);
    await mkdir(join(stateDir, 'runs'), { recursive: true });
    const stream = createWriteStream(path, { flags: 'a', mode: 0o600 });
    await new Promise<void>((resolve, reject) => stream.once('open', () => resolve()).once('error', reject));
    return new RunJournal(path, stream, redactor);
  }

  write(event: RunEvent): void {
    this.stream.write(`${JSON.stringify(this.redactor.value(event))}\n`);
  }

  /** Flushes and closes; resolves once every line is on disk. */
  close(): Promise<void> {
    return new Promise((resolve, reject) => this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
}

/** A sortable, readable run id: `20261121-183012-a1b2`. */
export function newRunId(now: Date = new Date(), random: () => number = Math.random): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const suffix = Math.floor(random() * 0x10000).toString(16).padStart(4, '0');
  return `${stamp}-${suffix}`;
}
