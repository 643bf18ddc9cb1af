// One error type for everything the generator refuses. It carries the place (file, line, column,
// element path) so the CLI can print one precise line; it never carries a stack to the user.
import type { ImportLink, SourceLocation } from './model/types.js';

/**
 * Where an error is: a place in a document, or a file alone (missing, empty, not XML); in a
 * document the WSDL imports, with the import that brought it in.
 */
export type ErrorPlace = SourceLocation | { readonly file: string; readonly importedBy?: ImportLink };

export class GenerateError extends Error {
  readonly location: SourceLocation | undefined;
  /** The file the error is about when there is no finer location (missing file, empty file). */
  readonly file: string | undefined;

  constructor(message: string, where?: ErrorPlace) {
    const told = fromTheWsdl(message, where);
    super(told.message);
    this.name = 'GenerateError';
    this.location = told.where && 'line' in told.where ? told.where : undefined;
    this.file = told.where?.file;
  }

  /**
   * One form for every place: `wsdl/EMail.wsdl:1:2345: <message> (at /definitions/types/schema[1]/…)`;
   * the line and column only when known (`file:line:` without a column, `file:` without a line),
   * never `0:0`.
   */
  describe(): string {
    return described(this.message, this.location ?? (this.file === undefined ? undefined : { file: this.file }));
  }
}

/** `message` at `where` in describe()'s form. */
function described(message: string, where: ErrorPlace | undefined): string {
  if (where && 'line' in where) return `${placeOf(where)}: ${message}${where.path ? ` (at ${where.path})` : ''}`;
  return where?.file ? `${where.file}: ${message}` : message;
}

/**
 * `message` at `where`, told from the WSDL when `where` is in a document the WSDL imports: at each
 * import back to the WSDL, outermost first, the import's place before what it names and its path
 * after: `main.wsdl:9:7: xs:import schemaLocation "a.xsd": a.xsd:3:3: xs:import schemaLocation
 * "b.xsd": b.xsd:5:5: <message> (at <its path>) (at <a.xsd's import>) (at <main.wsdl's import>)`.
 * Done here, the one place every error passes, so an error reads alike whichever stage finds it
 * (reading, planning, emitting: each gives the location of what it is about, which carries its
 * document's import); the place kept is the WSDL's. A link's `at` is in a document opened before
 * the one it brought in, so the links end at the WSDL.
 */
function fromTheWsdl(message: string, where: ErrorPlace | undefined): { message: string; where: ErrorPlace | undefined } {
  for (let link = where?.importedBy; link !== undefined; link = link.at.importedBy) {
    message = `${link.what}: ${described(message, where)}`;
    where = link.at;
  }
  return { message, where };
}

/**
 * `err`, about a document that `link` brought in but found before the document's locations could
 * carry the link (the document does not parse, or could not be fetched), told from the WSDL as
 * every other error in that document is.
 */
export function inImportedDocument(err: GenerateError, link: ImportLink): GenerateError {
  return new GenerateError(err.message, { ...(err.location ?? { file: err.file ?? '' }), importedBy: link });
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
