// The value rules of simple types (enumeration values, xs:list items, restriction patterns) in one
// place for the XML encoder and decoder and the JSON codec (json.ts), so that a bad value gets the
// same message on SOAP and on REST. Each check returns what is wrong (the codec adds the element
// path and throws its own error), or undefined when the value is allowed; parseSimple reads a
// simple type's text into its value.
import { parseScalar, ScalarError, shortText } from './scalars.js';
import { scalarKind, type EnumDesc, type ListDesc, type RestrictedDesc, type ScalarKind, type SchemaIndex } from './schema.js';

const patternCache = new Map<string, RegExp>();

/** Restriction patterns are compiled once per process. */
function compiledPattern(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (!re) {
    re = new RegExp(pattern);
    patternCache.set(pattern, re);
  }
  return re;
}

/**
 * `value` as one of an enumeration's `values`: the text of an XML element, or a typed or JSON value
 * (which may be anything: a number is not an enumeration value, whatever its digits).
 */
export function enumProblem(values: readonly string[], value: unknown): string | undefined {
  if (typeof value !== 'string') return `${shown(value)} is not a string (expected one of ${values.join(', ')})`;
  if (values.includes(value)) return undefined;
  return `"${shortText(value)}" is not a known value (expected one of ${values.join(', ')})`;
}

/** The lexical form `text` against every pattern of a restriction. */
export function patternProblem(patterns: readonly string[], text: string): string | undefined {
  for (const p of patterns) {
    if (!compiledPattern(p).test(text)) return `"${shortText(text)}" does not match the pattern ${p}`;
  }
  return undefined;
}

/**
 * The text `raw` of a restriction of the scalar `kind` against its patterns: a string's text as it
 * is, another type's without its leading and trailing whitespace (XSD's whiteSpace collapse).
 */
export function restrictionProblem(kind: ScalarKind, patterns: readonly string[], raw: string): string | undefined {
  return patterns.length === 0 ? undefined : patternProblem(patterns, kind === 'string' ? raw : raw.trim());
}

/** One item of an xs:list as written: items are separated by whitespace, so none can hold any. */
export function listItemProblem(text: string): string | undefined {
  return text === '' || /[ \t\n\r]/.test(text) ? 'a list item cannot be empty or contain whitespace' : undefined;
}

/** The items of an xs:list's text (whitespace-separated; none when the text is blank). */
function listItems(text: string): string[] {
  const t = text.trim();
  return t === '' ? [] : t.split(/[ \t\n\r]+/);
}

/** A ScalarError in item `item` of an xs:list. */
export class ListItemError extends ScalarError {
  readonly item: number;
  constructor(message: string, item: number) {
    super(message);
    this.item = item;
  }
}

/**
 * The value of the text `raw` of an enumeration (the value), xs:list (its items) or restriction
 * (its base's scalar, matching every pattern). Throws ScalarError, ListItemError for an item.
 */
export function parseSimple(index: SchemaIndex, desc: EnumDesc | ListDesc | RestrictedDesc, raw: string): unknown {
  switch (desc.kind) {
    case 'enum':
      return enumValue(desc, raw.trim());
    case 'list': {
      const item = index.type(desc.item);
      const kind = scalarKind(desc.item);
      return listItems(raw).map((text, i) => {
        try {
          if (kind !== undefined) return parseScalar(kind, text);
          if (item?.kind === 'enum') return enumValue(item, text);
          if (item?.kind === 'restricted') return restrictedValue(item, text);
          throw new Error(`internal: list item type ${desc.item} is not simple`);
        } catch (err) {
          throw err instanceof ScalarError ? new ListItemError(err.message, i) : err;
        }
      });
    }
    case 'restricted':
      return restrictedValue(desc, raw);
  }
}

function enumValue(desc: EnumDesc, text: string): string {
  const problem = enumProblem(desc.values, text);
  if (problem !== undefined) throw new ScalarError(problem);
  return text;
}

function restrictedValue(desc: RestrictedDesc, raw: string): unknown {
  const kind = scalarKind(desc.base);
  if (kind === undefined) throw new Error(`internal: restriction base ${desc.base} is not a scalar`);
  const value = parseScalar(kind, raw);
  const problem = restrictionProblem(kind, desc.patterns, raw);
  if (problem !== undefined) throw new ScalarError(problem);
  return value;
}

/** A value that is not a string, as quoted in a message: its JSON, else its type (a BigInt, a function). */
function shown(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    // a BigInt, or an object that refers to itself
  }
  return shortText(text ?? typeof value);
}
