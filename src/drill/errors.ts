import type { Diagnostic } from '../diagnostics/diagnostic.js';

/**
 * Why a drill refused to start: bad files (diagnostics) or a safety rule (a message). Either
 * way nothing was touched and the command exits 2; src/commands/drill.ts renders it.
 */
export type DrillRefusal = { kind: 'invalid'; diagnostics: readonly Diagnostic[] } | { kind: 'unsafe'; message: string } | { kind: 'usage'; message: string };
