import { spawn } from 'node:child_process';
import { userInfo } from 'node:os';
import type { Host } from '../inventory/types.js';
import type { Connection, ExecOptions } from './connection.js';
import { type StartedProcess, type Transport, runStreaming, runToCompletion } from './process.js';
import { killGroupCommand, onHost, wrapCommand } from './wrap.js';

/** Polling step while waiting for a TERM'd group to go away before sending KILL. */
const POLL_MS = 50;
const GRACE_MS = 1_000;

/** Spawns `sh -c payload` as the leader of a new process group (detached), so kill(-pid) reaches all. */
function startLocal(payload: string): Promise<StartedProcess> {
  const child = spawn('sh', ['-c', payload], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  const closed = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  return Promise.resolve({
    stdin: child.stdin,
    stdout: child.stdout,
    stderr: child.stderr,
    closed,
    pgid: Promise.resolve(child.pid),
    destroy: () => child.kill('SIGKILL'),
  });
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** TERM the group, wait up to a second for it to go, then KILL. */
async function killLocalGroup(pgid: number, become: boolean, user: string): Promise<void> {
  if (become && user !== 'root') {
    // Root-owned processes need a root kill; sudo -n fails fast rather than prompting.
    const sudo = spawn('sudo', ['-n', 'sh', '-c', killGroupCommand(pgid)], { stdio: 'ignore' });
    await new Promise((resolve) => sudo.once('close', resolve).once('error', resolve));
    return;
  }
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  for (let waited = 0; waited < GRACE_MS && groupAlive(pgid); waited += POLL_MS) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  if (groupAlive(pgid)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // raced with exit
    }
  }
}

/**
 * A connection to the control node itself (ansible_connection: local): the same `sh -c`
 * wrapping, env/cwd/become handling and process-group kill as over SSH, without a network.
 */
export function connectLocal(host: Host, options: { user?: string } = {}): Promise<Connection> {
  const user = options.user ?? userInfo().username;
  const transport: Transport = {
    start: startLocal,
    killGroup: (pgid, become) => killLocalGroup(pgid, become, user),
  };
  let closed = false;
  const guard = (): void => {
    if (closed) throw new Error(`connection to ${host.name} is closed`);
  };
  const connection: Connection = {
    host: host.name,
    exec: (command: string, given: ExecOptions = {}) => {
      guard();
      const opts = onHost(given, host);
      return runToCompletion(transport, command, wrapCommand(command, opts, { user }), opts);
    },
    stream: (command, given = {}) => {
      guard();
      const opts = onHost(given, host);
      return runStreaming(transport, command, wrapCommand(command, opts, { user }), opts);
    },
    close: () => {
      closed = true;
      return Promise.resolve();
    },
  };
  return Promise.resolve(connection);
}
