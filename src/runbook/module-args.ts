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
export interface TemplateArgs extends FileAttributes {
  /** As written, for display. */
  src: string;
  dest: string;
  content: string;
}

export interface ArchiveArgs {
  /** Always a list, even when the YAML gave one path. */
  path: string[];
  dest: string;
  exclude: string[];
  format: 'tar.gz';
}

export interface ExtractArgs {
  src: string;
  dest: string;
  creates?: string;
}

export interface TransferArgs {
  src: string;
  dest: string;
  /** Inventory name of the receiving host. */
  to: string;
  checksum: 'sha256';
}

/** Exactly one of port, path, command (the loader checked). */
export interface WaitForArgs {
  port?: number;
  host?: string;
  path?: string;
  command?: string;
  state?: 'started' | 'stopped' | 'present' | 'absent';
  /** From `timeout:`; undefined means the module's default. */
  timeoutMs?: number;
}

export interface AssertArgs {
  /** Shell commands that must each exit 0; always a list. */
  that: string[];
  msg?: string;
}
