// Which generated files the consumer's compiler skips, and the line that tells it so.
//
// The runtime (runtime/*.ts, copied) and the metadata tables (<Agent>/metadata.ts, shared/metadata.ts)
// are library code: a consumer cannot edit them, and re-checking them in every build of every
// consumer costs about a quarter of that build's type-check (all 56 agents) while proving nothing new —
// as `skipLibCheck` skips a library's .d.ts. They carry `// @ts-nocheck` (TypeScript 3.7+ honours it
// in a .ts file, among the comments before the first statement; 5.0, 5.9 and 7 are tested). A consumer
// with stricter flags or another TypeScript version gets no errors in files they cannot fix.
// Skipping the check changes no type: what the files export is still read, and every export of a
// metadata table that a checked file uses (the agent's table, the enumerations' value lists) is
// annotated, so no consumer-facing type is inferred from an unchecked literal.
// Where they ARE checked: gen-services86's own tests compile every output with this line blanked
// (test/support/no-check.ts), strict plus the stricter flags, with TypeScript 5.0, 5.9 and 7.
// client.ts, types.ts, operations.ts, index.ts and mock.ts are the consumer-facing types: checked.

/**
 * The directive and its reason, one line (TypeScript 5.0 reads `// @ts-nocheck` followed by a space
 * and text, not by a colon; one line, as the runtime's line count is a goal). Placed after the
 * header's empty line, so it counts as code for `--check`; the tests blank exactly this line.
 */
export const NO_CHECK_LINE =
  "// @ts-nocheck — library code: your compiler skips it as skipLibCheck skips a .d.ts; gen-services86's own tests type-check it (strict, TS 5.0, 5.9, 7).";
