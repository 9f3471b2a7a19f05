/*
 * The arguments of each module as the loader hands them over in `StepAction.args` (templates
 * not yet rendered). Where they differ from the YAML, the loader normalised them: files on the
 * control node are read, single values become lists, durations become milliseconds.
 */

/** Ownership and permissions, shared by the modules that write files. */
export interface FileAttributes {
  /** Octal, as a string: "0640". */
  mode?: string;
  owner?: string;
  group?: string;
}

export interface ServiceArgs {
  name: string;
  state: 'started' | 'stopped' | 'restarted';
  enabled?: boolean;
}

export interface FileArgs extends FileAttributes {
  path: string;
  state: 'directory' | 'absent' | 'link' | 'file' | 'touch';
  /** Link target, only with state: link. */
  src?: string;
  recurse?: boolean;
}

/**
 * Exactly one of `content` (inline, templated) or `fileContent` (`src:` in the YAML, a
 * control-node file read by the loader, copied verbatim).
 */
export interface CopyArgs extends FileAttributes {
  dest: string;
  content?: string;
  fileContent?: string;
  backup?: boolean;
}

/** The template file (src, relative to the runbook) arrives read into content, not yet rendered. */
export interface TemplateArgs extends CopyArgs {
  /** The template file as written in the runbook, for display. */
  src: string;
  content: string;
}

export interface ArchiveArgs {
  /** Paths on the host, always a list; absolute ones are stored without their leading `/`. */
  path: string[];
  /** The archive file to write on the host. */
  dest: string;
  /** tar --exclude patterns, matched against member names (a leading `/` is dropped). */
  exclude: string[];
  format: 'tar.gz';
  /** Write it again even when dest exists. */
  force?: boolean;
}

export interface ExtractArgs {
  /** A tar.gz on the host. */
  src: string;
  /** The directory its members are relative to (`/` for what `archive` made of absolute paths). */
  dest: string;
  /** Done when this path exists; otherwise done when dest holds exactly the archive's content. */
  creates?: string;
}

export interface TransferArgs {
  /** A regular file on the step's host. */
  src: string;
  /** The path on the receiving host. */
  dest: string;
  /** Inventory name of the receiving host. */
  to: string;
  checksum: 'sha256';
}

/** Exactly one of port, path, command (the loader checked). */
export interface WaitForArgs {
  port?: number;
  /** Address for `port`, as seen from the step's host; default 127.0.0.1. */
  host?: string;
  path?: string;
  /** A shell command: `started` waits for exit 0, `stopped` for a non-zero exit. */
  command?: string;
  state?: 'started' | 'stopped' | 'present' | 'absent';
  /** From `timeout:`; undefined means the module's default. */
  timeoutMs?: number;
  /** Wait this long before the first poll (Ansible's `delay`): a duration. */
  delay?: string | number;
}

export interface AssertArgs {
  /** Shell commands that must each exit 0 (the loader makes a single one a list). */
  that: string[];
  /** Said when an assertion does not hold, before the failing command. */
  msg?: string;
}

/** The backup catalog on a storage host (docs/backups.md), from the step's host's side. */
export interface CatalogArgs {
  /**
   * stored: the files of `src` are a verified backup; found: look one up; fetched: in `dest`
   * here; tested: the backup has a restore-test record.
   */
  state: 'stored' | 'found' | 'fetched' | 'tested';
  /** Inventory name of the storage host. */
  storage: string;
  /** The catalog folder on the storage host. */
  root: string;
  kind: string;
  /** Whose backups; default the step's host. */
  host?: string;
  /** A backup id or `latest`; stored: the new backup's id (default: the run's id). */
  id?: string;
  /** stored, found: the command that writes the backup's files into `$OUT` on this host. */
  produce?: string;
  /** Fed to `produce` on its standard input (credentials); never on a command line. */
  stdin?: string;
  dest?: string;
  /** fetched: only files whose name before the first dot is one of these. */
  only?: string[] | string;
  source_digest?: string;
  contents?: Record<string, unknown>;
  depends_on?: string;
  /** found: fail when there is none (default true). */
  required?: boolean;
  /** found: recompute the files' sha256 on the storage host. */
  verify?: boolean;
  /** found: fail unless what `produce` writes equals the backup's files of the same names. */
  must_match?: boolean;
  /** tested: write a new record even when the backup has one (a string once templated). */
  force?: boolean | string;
}

/** Retention of the catalog on the step's (storage) host. */
export interface RetentionArgs {
  root: string;
  /** The counts are numbers, or strings once a template (`"{{params.keep_last}}"`) is rendered. */
  keep_last?: number | string;
  daily?: number | string;
  weekly?: number | string;
  monthly?: number | string;
  /** From `max_age:`, a duration. */
  maxAgeMs?: number;
  /** `max_age:` when it is a template: parsed by the module once rendered. */
  max_age?: string;
  kind?: string;
  host?: string;
}
