// The one line-layout rule of generated code. TypeScript's formatter (test/support/format-oracle.ts) never wraps a
// line, so every list that may grow past MAX_LINE (a call's arguments, a signature's parameters,
// a type's arguments, an object literal, an export list, a metadata form, a union) is described
// once, as a List or a union, and laid out only here: on one line when that line (its indentation
// included) has at most MAX_LINE characters, otherwise one item per line, indented one step more.
// The view models hand the laid-out text to the templates, which insert it at the start of a line.
// The templates write two kinds of lines themselves, on which no list grows past MAX_LINE:
// - blocks always written one item per line (a diff of one line per item; some are no List: an item
//   followed by a comment, members ended by ;), whose own lines are fixed text: the entry's runtime
//   exports, metadata.ts's shared imports and schema table (each namespace with its index in a
//   comment), types.ts's shared re-exports and interface members, operations.ts's header sets and
//   its codec type and table. Only an item grows, on a line of its own: a name or a literal, or a
//   list laid out here (a codec);
// - a line that one name or literal makes long: an import or export of one name (a list of one is
//   not broken: that would only move the name to a line of its own), a declaration's head (a class
//   with its base type, a type alias of one type argument, a constant with its type, a getter), a
//   property of one string (a SOAPAction). With a 120-character agent name, these are the only
//   code lines past MAX_LINE (test/generator/layout.test.ts).
// Comment lines (WSDL documentation, names in JSDoc and the header's) are not wrapped.

export const MAX_LINE = 160;

/** One level of indentation. */
const STEP = '  ';

/** Whether `line` (with its indentation) may be written as one line. */
export function fits(line: string): boolean {
  return line.length <= MAX_LINE;
}

/**
 * A comma-separated list between `open` and `close`, which carry the text around it on its first
 * and last line: `{ open: 'super(', items: [...], close: ');' }`. An item is text (never broken)
 * or a list of its own.
 */
export interface List {
  readonly open: string;
  readonly items: readonly (string | List)[];
  readonly close: string;
  /** `{ a, b }` on one line (object literals, export lists); `f(a, b)` and `[a, b]` have no spaces. */
  readonly spaced?: boolean;
  /** Broken, a comma after the last item too (default); type arguments have none (`Codec<…>`). */
  readonly trailingComma?: boolean;
  /** Always one item per line (so is a list holding it), for a diff of one item per item; empty, `[]`. */
  readonly broken?: boolean;
  /** When this list is broken, so are the lists among its items (fitting or not); otherwise each decides on its own line. */
  readonly breakInner?: boolean;
  /**
   * `[a, b, [` … `]]`: when the list does not fit but its first line up to its last item's `open`
   * does, only that last item (a non-empty list) is broken.
   */
  readonly hugLast?: boolean;
}

/** `list` laid out at `indent`: the text of its lines, the first with `indent` before it. */
export function layout(indent: string, list: List): string {
  return indent + laidOut(indent, list, '', false);
}

/**
 * `types` as a union after `head` (`export type X =`) and before `tail`: ` A | B` on one line when
 * it fits, else one `| T` per line. No types: `never`.
 */
export function union(indent: string, head: string, types: readonly string[], tail: string): string {
  const line = `${indent}${head} ${types.length === 0 ? 'never' : types.join(' | ')}${tail}`;
  if (types.length === 0 || fits(line)) return line;
  return `${indent}${head}${types.map((t) => `\n${indent}${STEP}| ${t}`).join('')}${tail}`;
}

/** The item on one line. */
function flat(item: string | List): string {
  if (typeof item === 'string') return item;
  const pad = item.spaced && item.items.length > 0 ? ' ' : '';
  return `${item.open}${pad}${item.items.map(flat).join(', ')}${pad}${item.close}`;
}

/** Whether the item is or holds a non-empty list that is always broken. */
function mustBreak(item: string | List): boolean {
  return typeof item !== 'string' && item.items.length > 0 && (item.broken === true || item.items.some(mustBreak));
}

/** The item at `indent` (not written), followed on its last line by `after` (not written either). */
function laidOut(indent: string, item: string | List, after: string, breakAll: boolean): string {
  if (typeof item === 'string') return item;
  const line = flat(item);
  if (item.items.length === 0 || (!breakAll && !mustBreak(item) && fits(`${indent}${line}${after}`))) return line;
  const last = item.items[item.items.length - 1]!;
  if (item.hugLast && typeof last !== 'string' && last.items.length > 0) {
    const head = item.open + [...item.items.slice(0, -1).map(flat), last.open].join(', ');
    if (fits(indent + head)) return `${head}${itemLines(indent, last, false)}${last.close}${item.close}`;
  }
  return `${item.open}${itemLines(indent, item, breakAll || item.breakInner === true)}${item.close}`;
}

/** A broken list's items, one per line one step deeper, between line breaks (the close goes back to `indent`). */
function itemLines(indent: string, list: List, breakAll: boolean): string {
  const inner = indent + STEP;
  const lines = list.items.map((item, i) => {
    const comma = list.trailingComma === false && i === list.items.length - 1 ? '' : ',';
    return `${inner}${laidOut(inner, item, comma, breakAll)}${comma}`;
  });
  return `\n${lines.join('\n')}\n${indent}`;
}
