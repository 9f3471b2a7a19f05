import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { LabHandle } from '../../lab/api.js';
import { RUNBOOK_DB_USER } from '../../lab/seed/index.js';
import { type CliResult, runCli } from './cli.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/** How the integration tests drive the shipped runbooks on a lab, as an operator would. */
export interface LabRuns {
  /** `runbook ARGS` from the repository, with the lab's database password in the environment. */
  cli: (...args: string[]) => Promise<CliResult>;
  /** `runbook exec RUNBOOK -i <the lab's inventory> --state-dir <the test's own> ARGS`. */
  exec: (runbook: string, ...args: string[]) => Promise<CliResult>;
  /** A command on a lab host that must exit 0; its stdout. */
  ssh: (host: string, command: string) => Promise<string>;
}

/** The lab and the state folder are set in beforeAll, hence the getters. */
export function labRuns(lab: () => LabHandle, stateDir: () => string): LabRuns {
  const env = { ...process.env, RUNBOOK_DB_PASSWORD: RUNBOOK_DB_USER.password };
  const cli = (...args: string[]) => runCli(args, { cwd: repo, env });
  return {
    cli,
    exec: (runbook, ...args) => cli('exec', runbook, '-i', lab().inventory, '--state-dir', stateDir(), ...args),
    ssh: async (host, command) => {
      const result = await lab().ssh(host, command);
      expect(result.code, `${command}\n${result.stderr}`).toBe(0);
      return result.stdout;
    },
  };
}

/** The sum of `changed=N` over the recap's lines. */
export const changedCount = (stdout: string): number => [...stdout.matchAll(/changed=(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
