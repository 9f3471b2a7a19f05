/** A template that cannot be rendered: an unknown variable, a syntax error, a helper misuse. */
export class TemplateError extends Error {
  /** The variable path that was not found, when that is the problem. */
  readonly variable: string | undefined;
  /** 1-based line and 0-based column inside the template text, when known. */
  readonly line: number | undefined;
  readonly column: number | undefined;
  constructor(message: string, details: { variable?: string; line?: number; column?: number } = {}) {
    super(message);
    this.name = 'TemplateError';
    this.variable = details.variable;
    this.line = details.line;
    this.column = details.column;
  }
}
