#!/usr/bin/env node
// The gen-services86 program: runCommand (command-line.ts) on the process's arguments and output,
// with V8 tuned for a run that generates once and exits.
import { existsSync, realpathSync } from 'node:fs';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runCommand, type RunProgress } from './command-line.js';

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
 * process, and a worker thread takes them when it starts: runCommand calls this once the command
 * line is read, before the run starts its reader threads. A test running the CLI in process, or
 * --watch, which runs long enough to gain from TurboFan, keeps V8's defaults.
 */
function tuneForOneRun(): void {
  // Only on the V8 this was measured on (11.x, Node 20): V8's internal flags come and go between
  // versions, and an unknown one makes V8 print "Error: unrecognized flag" on stderr, on every run.
  if (/^11\./.test(process.versions.v8)) setFlagsFromString('--interrupt-budget=1000000');
}

/**
 * Ctrl-C (SIGINT) or SIGTERM during a run: one line saying that nothing was written, so the output
 * folder holds what it held, then the exit code a shell gives a process that signal ended (130,
 * 143). Without it the process ended silently. The writer is synchronous, and a signal handler
 * runs only between synchronous steps: a signal that comes while the output is written is handled
 * once the write is done, when the run has done its work and ends as it would have. So an
 * interrupt never leaves the folder mid-swap (SIGKILL or a crash can; the next run recovers it).
 */
function reportInterrupts(progress: RunProgress): void {
  const onSignal = (signal: NodeJS.Signals): void => {
    if (progress.done) return;
    const what = progress.out !== undefined && existsSync(progress.out) ? `nothing was written, ${progress.out} holds what it held before` : 'nothing was written';
    process.stderr.write(`gen-services86: interrupted (${signal}); ${what}\n`, () => process.exit(128 + constants.signals[signal]));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
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

/**
 * Ends the process with `code` once everything written to stdout and stderr is out (a write's
 * callback runs after the writes before it), rather than letting it end by itself: ending by
 * itself, Node tears its environment down first — it stops the reader threads and disposes of the
 * heap the run filled (a peak of ≈ 175 MB resident for the 56 Services86 WSDLs). When runCommand
 * returns, the files are written (synchronously) and every worker has posted its last result:
 * nothing is left to wait for. Measured on all 56 (8 alternating runs each, shared 2-core
 * machine), the time from Node's 'exit' event to the process being gone: medians 180 → 70 ms, and
 * 95 → 50 ms in a quieter spell.
 */
function exitWhenFlushed(code: number): void {
  process.exitCode = code; // the code also if the process should end by itself first
  let pending = 2;
  const flushed = (): void => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', flushed);
  process.stderr.write('', flushed);
}

if (isEntryPoint()) {
  const code = await runCommand(
    process.argv.slice(2),
    { out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t) },
    {
      beforeOneRun: (progress) => {
        tuneForOneRun();
        reportInterrupts(progress);
      },
    },
  );
  exitWhenFlushed(code);
}
