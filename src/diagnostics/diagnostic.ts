/** A position in a user's file, 1-based like editors show it. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

/** One problem found in a user's input, drawn by `renderDiagnostics` (print.ts). */
export interface Diagnostic {
  severity: 'error' | 'warning';
  message: string;
  file: string;
  /** 1-based; absent when the problem is about the whole file (e.g. it cannot be read). */
  line?: number;
  column?: number;
  /** Key path inside the document, e.g. `steps[2].hosts`. */
  path?: string;
}

/** Where a host-side failure happened; transport stages first, then execution. */
export type HostErrorStage = 'connect' | 'auth' | 'hostkey' | 'timeout' | 'channel' | 'lock' | 'exec';

/** A failure that belongs to one host (and, once running, one step). */
export class HostError extends Error {
  readonly host: string;
  readonly stage: HostErrorStage;
  readonly step: string | undefined;
  constructor(host: string, stage: HostErrorStage, message: string, step?: string) {
    super(message);
    this.name = 'HostError';
    this.host = host;
    this.stage = stage;
    this.step = step;
  }
}
