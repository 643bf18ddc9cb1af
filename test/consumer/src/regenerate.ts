// The programmatic API, typed from the package's own declarations: `import { generate } from
// 'gen-services86'` must compile under strict without a TS7016 "no declaration file". Compiled by
// the build, never run (main.ts does not import it).
import { generate, GenerateError, type GenerateOptions, type GenerateResult } from 'gen-services86';

const options: GenerateOptions = { wsdl: ['EMail.wsdl'], outDir: 'src/generated', check: true, timeoutMs: 10_000 };

/** True when src/generated/ is what EMail.wsdl generates. */
export async function isUpToDate(): Promise<boolean> {
  try {
    const result: GenerateResult = await generate(options);
    for (const s of result.stale) console.error(`${s.reason} ${s.path}`);
    return result.stale.length === 0;
  } catch (err) {
    if (err instanceof GenerateError) {
      console.error(err.describe());
      return false;
    }
    throw err;
  }
}

/** The declarations are precise, not `any`: a wrong option is a compile error. */
export function typeErrors(): void {
  // @ts-expect-error wsdl is a list of paths or URLs, not one string
  void generate({ wsdl: 'EMail.wsdl' });
  // @ts-expect-error there is no option "output"
  void generate({ wsdl: ['EMail.wsdl'], output: 'x' });
}
