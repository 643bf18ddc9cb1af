// The one line-length rule of generated code. TypeScript's formatter (format.ts) never wraps a
// line, so the emitters decide where a list, a signature or a call breaks, and they decide it only
// here: a construct is written on one line when that line has at most MAX_LINE characters,
// otherwise one item per line. Comment lines (WSDL documentation) are not wrapped.

export const MAX_LINE = 160;

/** Whether `line` (with its indentation) may be written as one line. */
export function fits(line: string): boolean {
  return line.length <= MAX_LINE;
}
