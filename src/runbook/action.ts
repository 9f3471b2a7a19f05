import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDuration } from './duration.js';
import type { ArchiveArgs, AssertArgs, CopyArgs, TemplateArgs, TransferArgs, WaitForArgs } from './module-args.js';
import { ACTION_KEYS, type ActionKey, type RawStep, RUN_COMPANIONS } from './raw.js';
import type { RunArgs, StepAction } from './types.js';

type Args = Record<string, unknown>;

/** A checked step's one action, with its arguments in the shape of module-args.ts. */
export function actionOf(raw: RawStep, runbookDir: string): StepAction {
  const module: ActionKey = ACTION_KEYS.find((k) => raw[k] !== undefined) ?? 'run';
  if (module === 'run') return { module, args: runArgs(raw) as unknown as Args };
  return { module, args: moduleArgs(module, { ...(raw[module] as Args) }, runbookDir) };
}

function runArgs(raw: RawStep): RunArgs {
  const args: RunArgs = { run: raw.run as string };
  for (const key of RUN_COMPANIONS) if (typeof raw[key] === 'string') args[key] = raw[key];
  return args;
}

function moduleArgs(module: Exclude<ActionKey, 'run'>, args: Args, runbookDir: string): Args {
  switch (module) {
    case 'copy':
      return copyArgs(args, runbookDir) as unknown as Args;
    case 'template':
      return { ...args, content: readFileSync(resolve(runbookDir, args.src as string), 'utf8') } satisfies Partial<TemplateArgs>;
    case 'archive':
      return { ...args, path: asList(args.path), exclude: (args.exclude as string[] | undefined) ?? [], format: 'tar.gz' } satisfies Partial<ArchiveArgs>;
    case 'transfer':
      return { ...args, checksum: 'sha256' } satisfies Partial<TransferArgs>;
    case 'wait_for': {
      const { timeout, ...rest } = args;
      const timeoutMs = timeout === undefined ? undefined : parseDuration(timeout as string | number);
      return { ...rest, ...(timeoutMs === undefined ? {} : { timeoutMs }) } satisfies Partial<WaitForArgs>;
    }
    case 'assert':
      return { ...args, that: asList(args.that) } satisfies Partial<AssertArgs>;
    case 'service':
    case 'file':
    case 'extract':
      return args;
    default: {
      const unreachable: never = module;
      throw new Error(`no arguments for module ${String(unreachable)}`);
    }
  }
}

/**
 * `copy.src` names a file on the control node, relative to the runbook: read it now (a missing
 * file fails validation, not the run) into `fileContent`, which is copied as it is, never
 * rendered as a template (as Ansible's copy). Inline `content:` is templated like any value.
 */
function copyArgs(args: Args, runbookDir: string): CopyArgs {
  const { src, ...rest } = args;
  if (typeof src !== 'string') return rest as unknown as CopyArgs;
  return { ...(rest as Omit<CopyArgs, 'fileContent'>), fileContent: readFileSync(resolve(runbookDir, src), 'utf8') };
}

function asList(value: unknown): string[] {
  return Array.isArray(value) ? (value as string[]) : [value as string];
}
