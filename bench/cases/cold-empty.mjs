// Baseline for whole-process times: a Node process that does nothing but print one JSON line.
process.stdout.write(JSON.stringify({ inProcessMs: 0, sinceNodeStartMs: performance.now() }) + '\n');
