// The value rules of simple types, in one place for the encoder and the decoder: enumeration
// values, xs:list items and restriction patterns. Each check returns what is wrong (the codec adds
// the element path and throws its own error), or undefined when the text is allowed.

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

/** `text` as one of an enumeration's `values`. */
export function enumProblem(values: readonly string[], text: string): string | undefined {
  if (values.includes(text)) return undefined;
  return `"${short(text)}" is not a known value (expected one of ${values.join(', ')})`;
}

/** The lexical form `text` against every pattern of a restriction. */
export function patternProblem(patterns: readonly string[], text: string): string | undefined {
  for (const p of patterns) {
    if (!compiledPattern(p).test(text)) return `"${short(text)}" does not match the pattern ${p}`;
  }
  return undefined;
}

/** One item of an xs:list as written: items are separated by whitespace, so none can hold any. */
export function listItemProblem(text: string): string | undefined {
  return text === '' || /[ \t\n\r]/.test(text) ? 'a list item cannot be empty or contain whitespace' : undefined;
}

/** The items of an xs:list's text (whitespace-separated; none when the text is blank). */
export function listItems(text: string): string[] {
  const t = text.trim();
  return t === '' ? [] : t.split(/[ \t\n\r]+/);
}

/** A value as quoted in a message: at most 40 characters. */
function short(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
