#!/usr/bin/env node
// The gen-services86 program: runCommand (command-line.ts) on the process's arguments and output.
// Over many WSDLs it first starts the reader threads (parallel/threads.ts), then loads the
// generator while they start: a thread takes longer to start than this one takes to load the
// generator, and with a static import every module would be loaded before the first line here
// runs. (Measured on all 56 Services86 WSDLs: see the note in generate-all of the bench.)
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { prestartWorkers } from './parallel/threads.js';

export type { CliOutput } from './command-line.js';

/** Options that take a value (command-line.ts): their value is not an input. */
const VALUE_OPTIONS = new Set(['-o', '--out', '--config', '--allow-origin', '--fetch-timeout', '--max-bytes']);

/**
 * How many inputs the command line names, read roughly: the arguments that are neither options nor
 * their values. It only decides how many threads start early; the run's own parse decides the rest.
 */
function inputsNamed(args: readonly string[]): number {
  let inputs = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (VALUE_OPTIONS.has(a)) i++;
    else if (!a.startsWith('-')) inputs++;
  }
  return inputs;
}

/** True when this module is the program node was started with (through npm's bin link, too). */
function isEntryPoint(): boolean {
  const started = process.argv[1];
  if (started === undefined) return false;
  try {
    return realpathSync(started) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

const program = isEntryPoint();
if (program) prestartWorkers(inputsNamed(process.argv.slice(2)));

export const { runCommand } = await import('./command-line.js');

if (program) {
  const code = await runCommand(process.argv.slice(2), { out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t) }, { program: true });
  if (code !== 0) process.exit(code);
}
