// The runtime and metadata files of every output carry `// @ts-nocheck` (generator/emit/no-check.ts):
// a consumer's compiler skips them. Ours must not, so the tests compile them with that exact line
// blanked — to a comment of the same length, so every line and column stays where it was.
import { NO_CHECK_LINE } from '../../generator/emit/no-check.js';

const blanked = `//${' '.repeat(NO_CHECK_LINE.length - 2)}`;

/** `text` with each `// @ts-nocheck …` line of the generator blanked: the file as TypeScript checks everything else. */
export function withoutNoCheck(text: string): string {
  return text
    .split('\n')
    .map((line) => (line === NO_CHECK_LINE ? blanked : line))
    .join('\n');
}
