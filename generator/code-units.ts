// The one order of strings in what the generator writes and reports (names, QName keys, paths):
// by UTF-16 code unit, as `<` compares them. Not localeCompare, whose order depends on the ICU data
// and locale of the machine: the output must be the same bytes everywhere. Here, not in emit/ or
// output/, as both use it and neither may depend on the other.

/** A total order for sort(): negative, zero or positive. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
