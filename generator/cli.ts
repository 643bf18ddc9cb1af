#!/usr/bin/env node
// The gen-services86 program: runCommand (command-line.ts) on the process's arguments and output.
// Over many WSDLs it first starts the reader threads (parallel/threads.ts), then loads the
// generator while they start: a thread takes longer to start than this one takes to load the
// generator, and with a static import every module would be loaded before the first line here
// runs. (Seen in profiles; A/B runs of generate-all could not separate it from loading first, see
// the README's performance notes: a claim without a bench case, so a candidate to go.)
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { OPTION_SYNTAX } from './options.js';
import { prestartWorkers } from './parallel/threads.js';

/** Options that take a value (options.ts): their value is not an input. */
const VALUE_OPTIONS = new Set(
  Object.entries(OPTION_SYNTAX).flatMap(([name, o]) => (o.type === 'string' ? [`--${name}`, ...('short' in o ? [`-${o.short}`] : [])] : [])),
);

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

/**
 * Tunes V8 for a process that generates once and exits (the CLI started as a program, not
 * --watch). Such a run is over in about a second, most of it code that runs only once per WSDL;
 * V8's optimising compiler (TurboFan) would compile the reader and the emitters on background
 * threads — on the two cores the reading threads use — and the run would end before most of that
 * code paid back. A ~15× larger interrupt budget leaves optimising to the functions that are
 * really hot (the scanner on a very large WSDL still gets it). Measured on all 56 Services86 WSDLs
 * (whole process, 8 alternating rounds with and without, on a shared 2-core machine): 1.43× less
 * wall time, 1.28× less CPU; a 10 MB WSDL as fast as before (turning TurboFan off, --max-opt=1,
 * gained as much on the 56 but made the 10 MB WSDL ≈ 20 % slower). Flags apply to the whole
 * process, and a worker thread takes them when it starts: so this runs before the reader threads
 * start. A test running the CLI in process, or --watch, which runs long enough to gain from
 * TurboFan, keeps V8's defaults.
 */
/** The V8 versions tuneForOneRun's flag is known and measured on. */
const MEASURED_V8 = /^11\./;

function tuneForOneRun(): void {
  // Only on the V8 this was measured on (11.x, Node 20): V8's internal flags come and go between
  // versions, and an unknown one makes V8 print "Error: unrecognized flag" on stderr, on every run.
  if (MEASURED_V8.test(process.versions.v8)) setFlagsFromString('--interrupt-budget=1000000');
}

/** Whether the command line asks for --watch (or -w, alone or among other short flags), read roughly as inputsNamed. */
function watching(args: readonly string[]): boolean {
  return args.some((a) => a.startsWith('--watch') || /^-[a-z]*w/.test(a));
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
if (program && !watching(process.argv.slice(2))) tuneForOneRun();
if (program) prestartWorkers(inputsNamed(process.argv.slice(2)));

export const { runCommand } = await import('./command-line.js');

if (program) {
  const code = await runCommand(process.argv.slice(2), { out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t) });
  if (code !== 0) process.exit(code);
}
