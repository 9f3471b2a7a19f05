/** ANSI colours, or none (NO_COLOR, not a terminal). */
export interface Style {
  ok(text: string): string;
  changed(text: string): string;
  failed(text: string): string;
  skipped(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

const wrap = (code: number) => (text: string) => `\u001b[${code}m${text}\u001b[0m`;
const same = (text: string): string => text;

export function createStyle(color: boolean): Style {
  if (!color) return { ok: same, changed: same, failed: same, skipped: same, bold: same, dim: same };
  return { ok: wrap(32), changed: wrap(33), failed: wrap(31), skipped: wrap(36), bold: wrap(1), dim: wrap(2) };
}

/** Colour only on a terminal and only when NO_COLOR is unset (https://no-color.org). */
export function wantsColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean {
  return Boolean(stream.isTTY) && env.NO_COLOR === undefined && env.CI === undefined;
}
