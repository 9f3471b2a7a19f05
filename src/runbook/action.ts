import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDuration } from './duration.js';
import type { ArchiveArgs, AssertArgs, CopyArgs, RetentionArgs, TemplateArgs, TransferArgs, WaitForArgs } from './module-args.js';
import { ACTION_KEYS, type ModuleKey, type RawStep, RUN_COMPANIONS, STDIN_KEY } from './raw.js';
import type { ProbeArgs, RunArgs, StepAction } from './types.js';

type Args = Record<string, unknown>;

/** A checked step's one action, with its arguments in the shape of module-args.ts. */
export function actionOf(raw: RawStep, runbookDir: string): StepAction {
  const module = ACTION_KEYS.find((k) => raw[k] !== undefined) ?? 'run';
  if (module === 'run') return { module, args: runArgs(raw) as unknown as Args };
  if (module === 'probe') return { module, args: probeArgs(raw) as unknown as Args };
  return { module, args: moduleArgs(module, { ...(raw[module] as Args) }, runbookDir) };
}

function runArgs(raw: RawStep): RunArgs {
  const args: RunArgs = { run: raw.run as string };
  for (const key of RUN_COMPANIONS) if (typeof raw[key] === 'string') args[key] = raw[key];
  if (typeof raw[STDIN_KEY] === 'string') args.stdin = raw[STDIN_KEY];
  return args;
}

function probeArgs(raw: RawStep): ProbeArgs {
  return { probe: raw.probe as string, ...(typeof raw[STDIN_KEY] === 'string' ? { stdin: raw[STDIN_KEY] } : {}) };
}

function moduleArgs(module: ModuleKey, args: Args, runbookDir: string): Args {
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
    case 'retention': {
      const { max_age: maxAge, ...rest } = args;
      // A template ("{{params.max_age}}") is parsed by the module once it is rendered.
      if (isTemplate(maxAge)) return { ...rest, max_age: maxAge } satisfies Partial<RetentionArgs>;
      return { ...rest, ...(maxAge === undefined ? {} : { maxAgeMs: parseDuration(maxAge as string | number) }) } satisfies Partial<RetentionArgs>;
    }
    case 'catalog':
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

const isTemplate = (value: unknown): value is string => typeof value === 'string' && value.includes('{{');
