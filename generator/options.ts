// The command line's options as node:util's parseArgs reads them: names, short forms, and which take
// a value. command-line.ts's quick parse reads it; yargs' OPTIONS there use the same names.
export const OPTION_SYNTAX = {
  out: { type: 'string', short: 'o' },
  config: { type: 'string' },
  check: { type: 'boolean' },
  watch: { type: 'boolean', short: 'w' },
  'allow-origin': { type: 'string', multiple: true },
  'fetch-timeout': { type: 'string' },
  'max-bytes': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
} as const;
