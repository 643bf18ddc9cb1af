// How the output is type-checked (generator/emit/no-check.ts): the runtime and metadata files carry
// `// @ts-nocheck`, so a consumer's compiler skips them as skipLibCheck skips a library's .d.ts; our
// tests check them anyway, with that line blanked (test/support/tsc.ts). Over the committed
// generated/ (EMail.wsdl), in two programs:
// - ours (typeCheck): the metadata table (the build compiles generated/ but now skips it; the
//   runtime's sources it compiles in templates/runtime/) and the runtime files it imports, strict
//   plus the stricter flags the output promises and the repository's own noUnusedLocals. Two
//   deliberately broken copies — a runtime file and a metadata table — must fail it: proof that the
//   blanking reaches them. All 56 agents, every file, in one such program: all-wsdls.slow.test.ts.
// - a consumer's (consumerView, the files as generated) with flags stricter than we promise
//   (noUnusedParameters, noImplicitReturns …): the output compiles cleanly, the broken copies are
//   skipped (the directive is honoured), and wrong uses of the agent still fail — the public types
//   bite although the files behind them are not re-checked. Without fetch typings, the entry
//   point's FetchTypings fails instead of the runtime's types silently turning any.
// TypeScript 5.0 and 7 do the same in the slow tier (consumer.slow.test.ts).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { NO_CHECK_LINE } from '../../generator/emit/no-check.js';
import { repoRoot } from '../support/paths.js';
import { tempDir } from '../support/temp-dir.js';
import { consumerView, PICKY, STRICTEST, typeCheck, withoutNoCheck, type Diagnostic } from '../support/tsc.js';

const generatedDir = join(repoRoot, 'generated');

/** Every .ts file below `dir`, absolute. */
function tsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * A consumer's file: right uses, and wrong ones each marked `// error TSnnnn` on the line before.
 * Imports by absolute path into generated/.
 */
const CONSUMER_TS = `import { EMailAgent, EMailOperations, ETableRightItemValues, EMailSchema, type EMailAccount } from '${generatedDir}/EMail/index.js';
import type { CallOptions, EMailRequestHeaders, EMailResponseHeaders, SyncEmailAccountRequest, SyncEmailAccountResponse } from '${generatedDir}/EMail/index.js';
import { SuperOfficeClient, systemUserTicket, usernamePasswordTicket, type Hooks, type RetryOptions } from '${generatedDir}/index.js';
import { createEMailMockServer, type EMailMockHandlers } from '${generatedDir}/EMail/mock.js';
import { SoExceptionError, TenantResolver, type InputOf, type OutputOf, type RequestHeadersOf, type ResponseHeadersOf } from '${generatedDir}/runtime/index.js';

const email = new EMailAgent({ baseUrl: 'http://127.0.0.1:1', ticket: async () => 'ticket' });
const so = new SuperOfficeClient({ baseUrl: 'http://127.0.0.1:1', ticket: async () => 'ticket' });

export async function right(): Promise<string> {
  const account = await email.getEMailAccount({ EMailAccountId: 1 });
  const viaSession: EMailAccount | null = await so.email.getEMailAccount({ EMailAccountId: 2 });
  const xml = EMailOperations.GetEMailAccount.encodeRequest({ EMailAccountId: 3 });
  const right: 'Select' | 'Update' | 'Insert' | 'Delete' | 'Filtering' | 'RestrictedUpdate' | undefined = ETableRightItemValues[0];
  return \`\${account?.EMailAddress ?? ''}\${viaSession?.AssociateId ?? 0}\${xml}\${right ?? ''}\${EMailSchema.namespaces.length}\`;
}

// Options passed on from values that may be undefined, under exactOptionalPropertyTypes: each
// option is declared '?: T | undefined' (the runtime treats undefined as not given), or this
// common code would need a spread per option.
export async function passedOn(env: Record<string, string | undefined>, signal: AbortSignal | undefined, timeoutMs: number | undefined): Promise<void> {
  const agent = new EMailAgent({ baseUrl: env['SO_URL'], ticket: env['SO_TICKET'], applicationToken: env['SO_APP_TOKEN'], timeoutMs });
  const session = new SuperOfficeClient({ baseUrl: env['SO_URL'], endpoints: undefined, ticket: env['SO_TICKET'], hooks: undefined });
  await agent.getEMailAccount({ EMailAccountId: 1 }, { signal, timeoutMs });
  await session.email.getEMailAccount({ EMailAccountId: 1 }, { signal, headers: undefined });
  // The nested option objects too: retry, credentialRefusal and timeZone.
  const retrying = new EMailAgent({ retry: { maxAttempts: timeoutMs, maxTotalMs: timeoutMs, safeOperations: undefined }, credentialRefusal: { httpStatuses: undefined }, timeZone: { SoTimeZoneId: timeoutMs } });
  await retrying.getEMailAccount({ EMailAccountId: 1 });
  // The operations' own optional (minOccurs=0) elements too: the encoders omit undefined.
  await agent.saveEMailAccount({ EMailAccount: { EMailAccountId: timeoutMs, EMailAddress: env['SO_MAIL'], IncomingCredentials: undefined } });
}

// The same for the options of everything else a user constructs: tickets, retries, tenant
// routing, the mock and its listen(), the time zone (undefined = not given, in the runtime too).
export async function passedOnToHelpers(n: number | undefined, s: string | undefined, f: (() => number) | undefined, exchange: 'rest' | undefined): Promise<void> {
  const retry: RetryOptions = { maxAttempts: n, baseDelayMs: n, maxDelayMs: n, maxTotalMs: n, maxRetryAfterMs: n, safeOperations: undefined, random: f };
  const ticket = systemUserTicket({ systemUserToken: 't', privateKey: s ?? '', exchange, publicKey: undefined, clockSkewMs: n, timeoutMs: n, slidingWindowMs: n, renewBeforeMs: n, now: f });
  const principal = { authenticateUsernamePassword: async () => ({ Credentials: { Ticket: s }, AuthenticationSucceeded: undefined }) };
  const onsite = usernamePasswordTicket({ principal, userName: 'u', password: 'p', now: f });
  const resolver = new TenantResolver({ environment: 'online', tenant: 'Cust1', fetch, timeoutMs: n, now: f });
  const hooks: Hooks = { onCall: undefined };
  new SuperOfficeClient({ environment: 'online', tenant: 'Cust1', tenantResolver: resolver, ticket: s === undefined ? onsite : ticket, retry, hooks, timeZone: { SoTimeZoneId: n, SoTimeZoneLocationCode: s } });
  const mock = createEMailMockServer({ GetCurrentAccount: undefined, GetEMailAccount: () => { throw new SoExceptionError({ Message: s, Source: s, InnerException: undefined }); } }, { record: undefined, maxRequestBytes: n, onError: undefined, unknownElements: undefined, wsdl: s, path: s, handlerTimeoutMs: n });
  await (await mock.listen({ port: n, host: s, headersTimeoutMs: n, requestTimeoutMs: n })).close();
}

// The types are exactly the schema's, not merely assignable to them: an operation's codec (as the
// operations object's type states them, for declaration files), its mock handler and its method.
type Exact<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
const exact = <E extends true>(same: E): E => same;
type Sync = typeof EMailOperations.SyncEmailAccount;
exact<Exact<InputOf<Sync>, SyncEmailAccountRequest>>(true);
exact<Exact<OutputOf<Sync>, SyncEmailAccountResponse>>(true);
exact<Exact<RequestHeadersOf<Sync>, EMailRequestHeaders>>(true);
exact<Exact<ResponseHeadersOf<Sync>, EMailResponseHeaders>>(true);
exact<Exact<ReturnType<Sync['result']>, void>>(true);
exact<Exact<ReturnType<typeof EMailOperations.GetEMailAccount.result>, EMailAccount | null>>(true);
exact<Exact<Parameters<NonNullable<EMailMockHandlers['SyncEmailAccount']>>[0], SyncEmailAccountRequest>>(true);
exact<Exact<Parameters<EMailAgent['syncEmailAccount']>, [input?: SyncEmailAccountRequest, options?: CallOptions]>>(true);
exact<Exact<ReturnType<EMailAgent['syncEmailAccount']>, Promise<void>>>(true);
exact<Exact<ReturnType<EMailAgent['getEMailAccount']>, Promise<EMailAccount | null>>>(true);
// error TS2344
exact<Exact<InputOf<Sync>, SyncEmailAccountRequest | undefined>>(true);

export async function wrong(): Promise<number> {
  // error TS2322
  await email.getEMailAccount({ EMailAccountId: 'one' });
  // error TS2353
  await email.getEMailAccount({ NoSuchField: 1 });
  const account = await email.getEMailAccount({ EMailAccountId: 1 });
  // error TS18047
  const id: number | undefined = account.EMailAccountId;
  // error TS2322
  const address: number = account?.EMailAddress ?? '';
  // error TS2339
  await so.email.noSuchOperation();
  // error TS2322
  EMailOperations.GetEMailAccount.encodeRequest({ EMailAccountId: true });
  // error TS2322
  const value: 'Nope' | undefined = ETableRightItemValues[0];
  // error TS2322
  const namespaces: number = EMailSchema.namespaces;
  return (id ?? 0) + address + (value ? 1 : 0) + namespaces;
}
`;

/** The `// error TSnnnn` marks of a file: `line TSnnnn` of the line after each. */
function expectedErrors(path: string, text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    const m = /^\s*\/\/ error (TS\d+)$/.exec(line);
    if (m) out.push(`${path}:${i + 2} ${m[1]}`);
  });
  return out;
}

/** `file:line TSnnnn` of each diagnostic whose file is below `prefix`. */
function codes(diagnostics: readonly Diagnostic[], prefix: string): string[] {
  return diagnostics.filter((d) => d.file?.startsWith(prefix)).map((d) => /^(\S+ TS\d+)/.exec(d.text)![1]!);
}

let work: string;
let generatedFiles: string[];
let broken: { runtime: string; metadata: string; consumer: string; inferred: string };
/** EMail's SoCredentials with a form that is not a TypeForm (an object among its elements). */
const BROKEN_FORM = "export const SoCredentials: ri.TypeForm = ['complex', 'SoCredentials', 0, [{ Ticket: 'xs:string' }]]";
let ours: Diagnostic[];
let theirs: Diagnostic[];

before(() => {
  work = tempDir('output-check');
  generatedFiles = tsFiles(generatedDir);
  // A runtime file (errors.ts: no imports) with one error added at its end.
  const runtime = join(work, 'runtime-errors.ts');
  writeFileSync(runtime, `${readFileSync(join(generatedDir, 'runtime', 'errors.ts'), 'utf8')}\nexport const brokenOnPurpose: number = 'text';\n`);
  // EMail's metadata table with one form that is not a TypeForm (an object among its elements),
  // importing the committed runtime and types.
  const meta = readFileSync(join(generatedDir, 'EMail', 'metadata.ts'), 'utf8')
    .replace("from '../runtime/schema.js'", `from '${generatedDir}/runtime/schema.js'`)
    .replace("from './types.js'", `from '${generatedDir}/EMail/types.js'`);
  const form = "export const SoCredentials: ri.TypeForm = ['complex', 'SoCredentials', 0, [\n  'Ticket 0 xs:string optional nillable',\n]];";
  assert.ok(meta.includes(form), 'EMail/metadata.ts declares SoCredentials as this test expects');
  const metadata = join(work, 'metadata.ts');
  writeFileSync(metadata, meta.replace(form, `${BROKEN_FORM};`));
  const consumer = join(work, 'consumer.ts');
  writeFileSync(consumer, CONSUMER_TS);
  // A @ts-nocheck file (as the runtime's) with an export whose type a declaration file cannot infer.
  const inferred = join(work, 'inferred.ts');
  writeFileSync(inferred, `${NO_CHECK_LINE}\nexport const inferredOnPurpose = [1];\n`);
  broken = { runtime, metadata, consumer, inferred };
  // The runtime's sources (templates/runtime/) are compiled by the build, and its copies in
  // generated/runtime/ are those files under a header (the golden test); the metadata table, which
  // the build now skips, is compiled here, with the runtime files it imports.
  // The README's tsconfig: lib ES2022 and @types/node (no DOM: 2 MB less to parse).
  const lib = ['lib.es2022.d.ts'];
  ours = typeCheck([join(generatedDir, 'EMail', 'metadata.ts'), runtime, metadata], repoRoot, { ...STRICTEST, noUnusedLocals: true, lib });
  theirs = consumerView([...generatedFiles, runtime, metadata, consumer, inferred], repoRoot, { ...PICKY, lib });
});

after(() => rmSync(work, { recursive: true, force: true }));

describe('the output as we check it: every file, the @ts-nocheck line blanked', () => {
  test('EMail/metadata.ts and the runtime files it imports compile under strict and the stricter flags', () => {
    assert.deepEqual(ours.filter((d) => !d.file?.startsWith(relative(repoRoot, work))).map((d) => d.text), []);
  });

  test('a broken runtime file and a broken metadata table fail it (the blanking reaches them)', () => {
    const where = (path: string) => relative(repoRoot, path);
    const runtimeLines = readFileSync(broken.runtime, 'utf8').split('\n').length;
    assert.deepEqual(codes(ours, where(broken.runtime)), [`${where(broken.runtime)}:${runtimeLines - 1} TS2322`]);
    // The form is wrong where it is declared: each constant is declared a TypeForm (which a
    // declaration file needs), as ri.schema's record takes them.
    const found = codes(ours, where(broken.metadata));
    assert.equal(found.length, 1, ours.map((d) => d.text).join('\n'));
    const [, line, code] = /:(\d+) (TS\d+)$/.exec(found[0]!)!;
    assert.equal(code, 'TS2322');
    assert.equal(readFileSync(broken.metadata, 'utf8').split('\n')[Number(line) - 1], `${BROKEN_FORM};`);
  });

  test('blanking keeps every line where it was and touches only the directive line', () => {
    const text = readFileSync(join(generatedDir, 'runtime', 'errors.ts'), 'utf8');
    const stripped = withoutNoCheck(text);
    assert.equal(stripped.length, text.length);
    assert.equal(stripped.split('\n').length, text.split('\n').length);
    assert.ok(text.includes(`\n${NO_CHECK_LINE}\n`) && !stripped.includes('@ts-nocheck'));
    // Only the generator's own line, whole: not a user's directive, not a line that merely contains it.
    for (const other of ['// @ts-nocheck', `  ${NO_CHECK_LINE}`, `${NO_CHECK_LINE} `]) assert.equal(withoutNoCheck(`${other}\n`), `${other}\n`);
  });
});

describe("the output as a consumer's compiler checks it: runtime and metadata skipped, flags stricter than ours", () => {
  test('generated/ compiles with noUnusedLocals, noUnusedParameters, noImplicitReturns, isolatedDeclarations …', () => {
    assert.deepEqual(
      theirs.filter((d) => !d.file?.startsWith(relative(repoRoot, work))).map((d) => d.text),
      [],
    );
  });

  test('with declaration and isolatedDeclarations (a library emitting .d.ts), which @ts-nocheck does not silence', () => {
    assert.equal(PICKY.isolatedDeclarations, true);
    // The generated files and the runtime state every export's type: no TS9010 … anywhere above
    // (the test before this one); a @ts-nocheck file that does not is reported all the same.
    const path = relative(repoRoot, broken.inferred);
    assert.deepEqual(codes(theirs, path), [`${path}:2 TS9017`]);
  });

  test('the broken runtime file and metadata table are skipped: the directive is honoured', () => {
    assert.deepEqual(codes(theirs, relative(repoRoot, broken.runtime)), []);
    assert.deepEqual(codes(theirs, relative(repoRoot, broken.metadata)), []);
  });

  test('without fetch typings (no DOM, no @types/node) the entry point fails, rather than the runtime\'s types turning any', () => {
    const bare = consumerView(generatedFiles, repoRoot, { ...PICKY, lib: ['lib.es2022.d.ts'], types: [] });
    const entry = readFileSync(join(generatedDir, 'index.ts'), 'utf8').split('\n');
    const line = entry.indexOf('export type FetchTypings = [typeof fetch, AbortSignal, Response];') + 1;
    assert.ok(line > 0, 'generated/index.ts declares FetchTypings');
    assert.deepEqual(
      bare.map((d) => d.text),
      ['fetch', 'AbortSignal', 'Response'].map((name) => `generated/index.ts:${line} TS2304 Cannot find name '${name}'.`),
    );
  });

  test('wrong uses of the agent, its operations and its metadata exports still fail; right ones compile', () => {
    const path = relative(repoRoot, broken.consumer);
    assert.deepEqual(codes(theirs, path), expectedErrors(path, CONSUMER_TS), theirs.map((d) => d.text).join('\n'));
  });
});
