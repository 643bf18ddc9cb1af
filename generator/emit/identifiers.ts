// Turning schema names into TypeScript identifiers and property keys. Names from a WSDL are
// data: they become identifiers only through `safeIdentifier`, and property keys only through
// `propertyKey`, so no WSDL text can ever become code.

const RESERVED_WORDS = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'implements interface let package private protected public static yield await as async from of get set ' +
    'declare module namespace require type abstract accessor satisfies keyof readonly unique infer is asserts out'
  ).split(' '),
);

/** Names a type alias or interface cannot take (predefined types). */
const PREDEFINED_TYPES = new Set(
  'any unknown never string number boolean bigint symbol object undefined void null this'.split(' '),
);

/**
 * Globals the generated files refer to by name (Date, Uint8Array, Record, Promise …) plus other
 * well-known ones: a schema type called `Date` must not shadow the real Date inside types.ts.
 * And the namespaces the files import the runtime and the types as (rt, ri, rtm, T): metadata.ts
 * declares a constant per type, so a type named `ri` made `export const ri` beside
 * `import * as ri`, a SyntaxError when the module loads.
 */
const GLOBALS = new Set(
  (
    'Array ArrayBuffer BigInt Boolean DataView Date Error EvalError Function Infinity JSON Map Math NaN Number ' +
    'Object Partial Pick Omit Promise Proxy RangeError ReadonlyArray Readonly Record ReferenceError Reflect ' +
    'RegExp Required Set String Symbol SyntaxError TypeError URIError Uint8Array WeakMap WeakSet globalThis ' +
    'undefined eval isFinite isNaN parseFloat parseInt arguments rt ri rtm T'
  ).split(' '),
);

export function isReservedTypeName(name: string): boolean {
  return RESERVED_WORDS.has(name) || PREDEFINED_TYPES.has(name) || GLOBALS.has(name);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * An identifier for `name`: characters outside [A-Za-z0-9_$] become `_`, a leading digit gets a
 * `_` prefix, and a reserved word or global gets a `_` suffix (`delete` → `delete_`).
 * With `allowReserved`, reserved words pass (for class methods, where `delete()` is legal).
 */
export function safeIdentifier(name: string, options: { allowReserved?: boolean } = {}): string {
  let id = name.replace(/[^A-Za-z0-9_$]/g, '_');
  if (id === '' || /^[0-9]/.test(id)) id = `_${id}`;
  if (!options.allowReserved && isReservedTypeName(id)) id = `${id}_`;
  return id;
}

/**
 * The session property of an agent: its name with the leading capitals lowercased, where a run
 * of three or more capitals followed by a word keeps the word's capital:
 * EMail → email, SoPrincipal → soPrincipal, CRMScript → crmScript, MDO → mdo, BLOB → blob.
 */
export function sessionProperty(agent: string): string {
  const run = /^[A-Z]*/.exec(agent)![0];
  if (run.length === 0) return agent;
  const rest = agent.slice(run.length);
  if (run.length >= 3 && /^[a-z]/.test(rest)) return run.slice(0, -1).toLowerCase() + run.slice(-1) + rest;
  return run.toLowerCase() + rest;
}

/**
 * The variable an agent's doc examples make it in: its session property (`email`, `blobManager`),
 * with a reserved word's `_` (`import_`: `const import = …` is a SyntaxError).
 */
export function agentVariable(agent: string): string {
  return safeIdentifier(sessionProperty(agent));
}

/** `item` → `Item`, `keyValuePair` → `KeyValuePair`, after making the segment identifier-safe. */
export function pascalSegment(segment: string): string {
  const id = segment.replace(/[^A-Za-z0-9_$]/g, '_');
  return id.charAt(0).toUpperCase() + id.slice(1);
}

/** A property key: bare when it is an identifier, otherwise a quoted string literal. */
export function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

const NEEDS_ESCAPE = /[\\'\r\n\u2028\u2029]/;

/** A string literal (for names, namespaces and actions taken from the WSDL). */
export function stringLiteral(value: string): string {
  // Nearly every value needs no escape: one test instead of six replacements (the emitters make
  // ≈ 30,000 literals for the 56 Services86 WSDLs).
  if (!NEEDS_ESCAPE.test(value)) return `'${value}'`;
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')}'`;
}

/**
 * The body of a JSDoc block from WSDL documentation. `*\/` cannot end the comment early, and
 * the text can neither start a new tag line nor smuggle in a closing sequence split over lines.
 */
export function docLines(text: string | undefined): string[] {
  if (!text) return [];
  return text
    .replace(/\*\//g, '*\\/')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trimEnd().replace(/^(\s*)@/, '$1\\@'));
}

/**
 * Text from a WSDL (a name, an address) or a file name as a piece of a comment line: `*\/` cannot
 * end the comment early, and a line break (which would end a `//` comment, or leave a JSDoc line
 * without its ` * `) becomes a space. Names are NCNames in a valid WSDL, but nothing checks that.
 */
export function commentText(text: string): string {
  return oneLine(text.replace(/\*\//g, '*\\/'));
}

/** `text` with each line break (CR, LF, CRLF, and U+2028/U+2029, which end a line in TypeScript too) made a space. */
export function oneLine(text: string): string {
  return text.replace(/\r\n?|[\n\u2028\u2029]/g, ' ');
}

/**
 * A JSDoc comment of `lines` at `indent`, without a trailing newline. With `compact`, a single
 * line is written as `/** line *\/`. Each line goes through commentText: a WSDL name in it (an
 * operation's, an element's) cannot end the comment.
 */
export function jsDocBlock(lines: readonly string[], indent = '', options: { compact?: boolean } = {}): string {
  const safe = lines.map(commentText);
  if (options.compact && safe.length === 1) return `${indent}/** ${safe[0]} */`;
  return `${indent}/**\n${safe.map((l) => `${indent} *${l ? ` ${l}` : ''}`).join('\n')}\n${indent} */`;
}
