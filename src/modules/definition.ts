import type { Findings } from '../runbook/findings.js';
import type { StepModule } from './module.js';

/** A JSON Schema (draft-07) fragment, as it sits in schemas/runbook.schema.json. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** A module's arguments as the loader hands them over (rendered by the engine before each use). */
export type StepArgs = Record<string, unknown>;

/** What a definition's `load` reads: its key's value in the step (schema-valid, rules passed). */
export interface LoadInput {
  /** The value under the module's key: a mapping for most modules, the command for `run`. */
  value: unknown;
  /** The whole step, for modules whose companions are keys of the step itself (`run`'s check). */
  step: Readonly<Record<string, unknown>>;
  /** The runbook's folder, against which control-node files (copy's src) are read. */
  runbookDir: string;
}

/** What a definition's `rules` check: its key's value, where it is, and where to say what is wrong. */
export interface RulesInput {
  value: unknown;
  step: Readonly<Record<string, unknown>>;
  /** Key path of the value (`steps[2].copy`). */
  at: string;
  /** Key path of the step (`steps[2]`), for rules about step-level keys. */
  stepAt: string;
  /** How messages name the step: `step 'restart'`. */
  label: string;
  findings: Findings;
}

/** How `runbook show` writes values: inline code that survives backticks, one line. */
export interface ShowWords {
  code(text: string): string;
  /** The argument `key` as inline code (JSON for a value that is not a string). */
  arg(key: string): string;
}

/** The other action of a step that has one of a definition's step keys it cannot take. */
export interface OtherAction {
  key: string;
  /** Its keys are keys of the step (run, probe), not a mapping of its own. */
  stepLevel: boolean;
  mutating: boolean;
}

/** A key of the step itself that belongs to an action (`run`'s `check`, `stdin` of run and probe). */
export interface StepKey {
  schema: JsonSchema;
  /** Why `other` cannot take the key, in the words after "'check' only goes with run; ". */
  refusedBecause(other: OtherAction): string;
}

/**
 * Everything a runbook needs to know about one module, in the module's own file: the step key
 * that selects it, the JSON Schema of its arguments (schemas/runbook.schema.json is generated
 * from these), how the loader turns the YAML into typed args, the rules a schema cannot say,
 * how `runbook show` reads it, and the module itself (check, apply, verify, rollback, commit).
 * The registry (registry.ts) lists the definitions; nothing else knows module names.
 */
export interface ModuleDefinition<Args, Prior> extends StepModule<Args, Prior> {
  /** The step key, also the module's name. */
  readonly name: string;
  /** The JSON Schema of the value under the key (for `run`, of the command). */
  readonly schema: JsonSchema;
  /**
   * Keys of the step itself that are this action's arguments (`run`'s check, creates, ...):
   * allowed only beside this key, or beside another definition that declares the same key.
   */
  readonly stepKeys?: Readonly<Record<string, StepKey>>;
  /** The YAML value -> typed args: control-node files read, single values listed, durations parsed. */
  load(input: LoadInput): Args;
  /**
   * Cross-field rules of the arguments, beyond the schema's types; each finding names
   * file:line:col. An if/then in `schema` is for editors only (the loader drops ajv's words for
   * it): say the same rule here.
   */
  rules?(input: RulesInput): void;
  /** What the step does, in the words of `runbook show`. */
  show(args: Args, words: ShowWords): string;
  /** `runbook show`'s "already done when"; absent: built into the module. */
  showDone?(args: Args, words: ShowWords): string;
  /** `runbook show`'s "undone by"; absent: built into the module. */
  showUndo?(args: Args, words: ShowWords): string;
  /** Further lines of `runbook show` about the step (`verified by ...`). */
  showNotes?(args: Args, words: ShowWords): string[];
  /** Keys users of other tools write for this one (Ansible's `command:` for `run:`): "did you mean" names it. */
  readonly aliases?: readonly string[];
  /** Argument keys lint reads as shell text besides `shellFields` (run's creates/removes, tested by a shell). */
  readonly lintedAsShell?: readonly string[];
  /**
   * For a module that cannot read the host's state by itself (`run`): what its author declares
   * instead, which lint asks for (run-without-check, run-without-rollback,
   * destructive-without-confirm) and `runbook diff` compares.
   */
  readonly authored?: AuthoredKeys;
}

/** The argument keys through which an author tells a module what it cannot know by itself. */
export interface AuthoredKeys {
  /** The command the step runs, scanned for what destroys data. */
  readonly command: string;
  /** One of these tells whether the step is done (check, creates, removes). */
  readonly checks: readonly string[];
  /** A path the step is done once it exists: a redirect into it truncates nothing of value. */
  readonly creates?: string;
  /** The post-condition the author writes. */
  readonly verify?: string;
  /** The command that undoes the step. */
  readonly rollback: string;
  /** The author's reason nothing can undo it, instead of a rollback. */
  readonly irreversible: string;
}

/** A definition, checked against {@link ModuleDefinition}; the identity otherwise. */
export function defineModule<Args extends StepArgs, Prior>(definition: ModuleDefinition<Args, Prior>): ModuleDefinition<Args, Prior> {
  return definition;
}

/** The default words of `runbook show` for a module that checks and rolls back by itself. */
export function builtIn(name: string): { done: string; undo: string } {
  return { done: `built into \`${name}\` (reads the host's state first)`, undo: `built into \`${name}\` (restores the state it found)` };
}

/** A YAML value that may be one item or a list of them, as a list. */
export function asList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}
