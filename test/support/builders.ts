import type { CommandResult, Connection } from '../../src/connection/connection.js';
import type { Host, Inventory } from '../../src/inventory/types.js';
import type { Plan } from '../../src/plan/types.js';
import type { Runbook, Step } from '../../src/runbook/types.js';

/** A host for tests that never leave the process. */
export function host(name: string, groups: string[] = []): Host {
  return { name, address: name, port: 22, user: 'root', become: false, connection: 'local', groups, vars: {} };
}

/** A normalised step with defaults, as the loader would produce it. */
export function step(id: string, action: Step['action'], extra: Partial<Step> = {}): Step {
  return {
    id,
    name: id,
    hosts: 'all',
    runOnce: false,
    become: false,
    env: {},
    retries: { attempts: 1, delayMs: 0 },
    onFailure: 'rollback',
    action,
    position: { file: 'test.yaml', line: 1, column: 1 },
    ...extra,
  };
}

export function runbook(steps: Step[], extra: Partial<Runbook> = {}): Runbook {
  return {
    apiVersion: 'runbook/v1',
    name: 'test',
    version: '1.0.0',
    description: 'test runbook',
    hosts: 'all',
    params: {},
    vars: {},
    secrets: {},
    steps,
    source: { file: '/tmp/test.yaml', text: '', sha256: '0'.repeat(64), positionOf: () => ({ file: '/tmp/test.yaml', line: 1, column: 1 }), valuePositionOf: () => ({ file: '/tmp/test.yaml', line: 1, column: 1 }) },
    ...extra,
  };
}

export function inventory(hosts: Host[]): Inventory {
  return { file: '/tmp/inventory.yaml', sha256: '0'.repeat(64), hosts, groups: new Map(), knownHostsFile: '/dev/null', hostKeyPolicy: 'strict' };
}

/** A plan where every step runs on every host (or on the hosts given per step id). */
export function plan(rb: Runbook, hosts: Host[], params: Record<string, unknown> = {}, perStep: Record<string, Host[]> = {}): Plan {
  return {
    runbook: rb,
    inventory: inventory(hosts),
    params,
    steps: rb.steps.map((s, index) => ({ step: s, index, hosts: perStep[s.id] ?? (s.runOnce ? hosts.slice(0, 1) : hosts) })),
    hosts,
    touchedHosts: hosts,
    lockHost: hosts[0],
  };
}

/** A connection that answers every command with exit 0 and records it. */
export function recordingConnection(name: string, log: string[]): Connection {
  const result = (command: string): CommandResult => ({ command, exitCode: 0, stdout: '', stderr: '', durationMs: 0, timedOut: false, aborted: false });
  return {
    host: name,
    exec: async (command) => {
      log.push(`${name}: ${command}`);
      return result(command);
    },
    stream: async () => {
      throw new Error('not scripted');
    },
    close: async () => undefined,
  };
}
