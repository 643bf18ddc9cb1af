#!/usr/bin/env node
// Arguments → generate() → exit code. Nothing else lives here.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { GenerateError, generate, packageRoot } from './generate.js';
import { interruptedWrite } from './output/write.js';

const NAME = 'gen-services86';

function version(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function fail(message: string): never {
  process.stderr.write(`${NAME}: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const argv = await yargs(hideBin(process.argv))
    .scriptName(NAME)
    .usage('$0 <wsdl...> [options]\n\nGenerate typed TypeScript SOAP clients from SuperOffice Services86 WSDLs.')
    .command('$0 <wsdl...>', false)
    .positional('wsdl', { type: 'string', array: true, demandOption: true, describe: 'WSDL file(s) to read' })
    .option('out', { alias: 'o', type: 'string', default: 'generated', describe: 'Output folder', requiresArg: true })
    .option('check', { type: 'boolean', default: false, describe: 'Write nothing; exit 1 if the output is stale' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print nothing on success' })
    .example('$0 EMail.wsdl', 'writes generated/EMail/ and generated/runtime/')
    .example('$0 wsdl/*.wsdl -o src/superoffice', 'several agents in one run')
    .example('$0 EMail.wsdl --check', 'in CI: fail when generated code is out of date')
    .strict()
    .version(version())
    .help()
    .alias('h', 'help')
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((message, err) => {
      // yargs reports its own usage errors (e.g. a missing option value) through err as well.
      if (err && err.name !== 'YError') throw err;
      fail(`${message ?? err?.message}\nRun "${NAME} --help" for usage.`);
    })
    .parseAsync();

  const wsdl = (argv.wsdl ?? []) as string[];
  const out = argv.out;
  let result;
  try {
    result = await generate({ wsdl, outDir: out, check: argv.check });
  } catch (err) {
    if (err instanceof GenerateError) fail(err.describe());
    const e = err as NodeJS.ErrnoException;
    if (e && typeof e.code === 'string' && typeof e.message === 'string') fail(`cannot write ${out}: ${e.message}`);
    fail(`internal error: ${(err as Error)?.stack ?? String(err)}`);
  }
  const outLabel = relative(process.cwd(), out) || '.';
  if (argv.check) {
    if (result.stale.length > 0) {
      if (interruptedWrite(out)) {
        process.stderr.write(`${NAME}: an earlier run writing ${outLabel} was interrupted; a normal run recovers it first\n`);
      }
      process.stderr.write(
        `${NAME}: ${outLabel} is stale (${plural(result.stale.length, 'file')}); run "${NAME} ${wsdl.join(' ')}${out === 'generated' ? '' : ` -o ${out}`}":\n` +
          result.stale.map((s) => `  ${s.reason.padEnd(8)} ${s.path}\n`).join(''),
      );
      process.exit(1);
    }
    if (!argv.quiet) process.stdout.write(`${NAME}: ${outLabel} is up to date (${result.files.length} files)\n`);
    return;
  }
  if (!argv.quiet) {
    for (const a of result.agents) {
      process.stdout.write(
        `${a.wsdl} → ${outLabel}/${a.agent}/: ${plural(a.types, 'type')}, ${plural(a.operations, 'operation')}, ${plural(a.files, 'file')}, ${a.ms} ms\n`,
      );
    }
  }
}

main().catch((err: unknown) => fail(`internal error: ${(err as Error)?.stack ?? String(err)}`));
