// One error type for everything the generator refuses. It carries the place (file, line, column,
// element path) so the CLI can print one precise line; it never carries a stack to the user.
import type { SourceLocation } from './model/types.js';

export class GenerateError extends Error {
  readonly location: SourceLocation | undefined;
  /** The file the error is about when there is no finer location (missing file, empty file). */
  readonly file: string | undefined;

  constructor(message: string, where?: SourceLocation | { file: string }) {
    super(message);
    this.name = 'GenerateError';
    this.location = where && 'line' in where ? where : undefined;
    this.file = where?.file;
  }

  /**
   * One form for every place: `wsdl/EMail.wsdl:1:2345: <message> (at /definitions/types/schema[1]/…)`;
   * the line and column only when known (`file:line:` without a column, `file:` without a line),
   * never `0:0`.
   */
  describe(): string {
    const loc = this.location;
    if (loc) {
      const path = loc.path ? ` (at ${loc.path})` : '';
      return `${placeOf(loc)}: ${this.message}${path}`;
    }
    return this.file ? `${this.file}: ${this.message}` : this.message;
  }
}

/** Several inputs failed: every error, in input order. `describe()` gives one line per error. */
export class GenerateErrors extends GenerateError {
  readonly errors: readonly GenerateError[];

  constructor(errors: readonly GenerateError[]) {
    super(errors.map((e) => e.describe()).join('\n'));
    this.name = 'GenerateErrors';
    this.errors = errors;
  }
}

/** One error as is; several as GenerateErrors. */
export function combineErrors(errors: readonly GenerateError[]): GenerateError {
  return errors.length === 1 ? errors[0]! : new GenerateErrors(errors);
}

/** `file:line:column`, `file:line` without a column, `file` without a line: never `0:0`. */
function placeOf(loc: SourceLocation): string {
  return loc.line > 0 ? (loc.column > 0 ? `${loc.file}:${loc.line}:${loc.column}` : `${loc.file}:${loc.line}`) : loc.file;
}

/**
 * The error for a name declared a second time, at `later`: `what` (`type "X" is declared twice in
 * namespace N`), then where the first is: `line 12, column 5` in the same file, `Other.xsd:12:5`
 * in another.
 */
export function declaredTwice(what: string, earlier: SourceLocation, later: SourceLocation): GenerateError {
  const place = earlier.file === later.file && earlier.line > 0 ? `line ${earlier.line}, column ${earlier.column}` : placeOf(earlier);
  return new GenerateError(`${what} (the first at ${place})`, later);
}

/** The 1-based line and column of `offset` in `text` (lines end at '\n'), for an error's location. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * How a text that should be XML starts, for its "not XML" error (a local file's, a fetched
 * answer's); undefined when it starts with '<'. Only its first character is told: a file given by
 * mistake may be a key or a .env file, and an answer may carry a token.
 */
export function notXmlStart(text: string): string | undefined {
  const start = text.trimStart();
  if (start.startsWith('<')) return undefined;
  if (start === '') return 'holds only white space';
  const first = String.fromCodePoint(start.codePointAt(0)!);
  return `starts with ${JSON.stringify(first)}${first === '{' || first === '[' ? ' (JSON?)' : ''}, not '<'`;
}
