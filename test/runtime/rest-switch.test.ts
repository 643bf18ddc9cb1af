// Switching is one option: the same consumer code runs against the generated mock over SOAP and
// over the REST Agents API (`transport: 'rest'`) and gets equal results, for every EMail operation
// the documentation fixtures cover. Each operation's data comes from its documented samples: the
// request and the handler's result are the REST sample decoded (leniently: properties newer than
// the WSDL are skipped), or, where the REST sample has placeholder values, the SOAP envelope's.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DecodeError, EMailAgent, EMailOperations, SoExceptionError } from '../../generated/EMail/index.js';
import { SuperOfficeClient } from '../../generated/index.js';
import { restCodec } from '../../generated/runtime/index.js';
import { createEMailMockServer, type ListeningMock } from '../../generated/EMail/mock.js';
import { goldenDir } from '../support/paths.js';

const TICKET = '7T:c3dpdGNoIHRpY2tldA==';
const TOKEN = 'app-token-5w1tch';
const TIME_ZONE = { SoTimeZoneLocationCode: 'NO' };

type Codec = (typeof EMailOperations)[keyof typeof EMailOperations];

/** The body of a documented REST sample (after its HTTP head). */
function restSampleBody(file: string): string {
  const text = readFileSync(join(goldenDir, 'EMail', 'rest', file), 'utf8');
  const blank = text.indexOf('\n\n');
  return blank < 0 ? '' : text.slice(blank + 2).trim();
}

function queryOf(codec: Codec): string {
  try {
    const line = readFileSync(join(goldenDir, 'EMail', 'rest', `${codec.name}.query.http`), 'utf8').trim();
    return line.slice(line.indexOf('?') + 1);
  } catch {
    return '';
  }
}

function soapEnvelope(codec: Codec, direction: 'request' | 'response'): string {
  return readFileSync(join(goldenDir, 'EMail', 'envelopes', `${codec.name}.${direction}.xml`), 'utf8');
}

/** The documented request input: from the REST sample, else the SOAP envelope. */
function documentedInput(codec: Codec): unknown {
  try {
    return restCodec(codec).decodeRequest(queryOf(codec), restSampleBody(`${codec.name}.request.http`)).input;
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
    return codec.decodeRequest(soapEnvelope(codec, 'request')).input;
  }
}

/** The documented result: from the REST sample, else the SOAP envelope. */
function documentedOutput(codec: Codec): unknown {
  try {
    return restCodec(codec).decodeResponse(restSampleBody(`${codec.name}.response.http`)).output;
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
    return codec.decodeResponse(soapEnvelope(codec, 'response')).output;
  }
}

/** The generated method of an operation (`GetEMailAccount` → `getEMailAccount`). */
function methodOf(agent: EMailAgent, name: string): (input: unknown) => Promise<unknown> {
  const method = (agent as unknown as Record<string, unknown>)[name[0]!.toLowerCase() + name.slice(1)];
  assert.equal(typeof method, 'function', `EMailAgent has a method for ${name}`);
  return (method as (input: unknown) => Promise<unknown>).bind(agent);
}

describe('one consumer, two transports: the mock over SOAP and over REST', () => {
  const codecs = Object.values(EMailOperations) as Codec[];
  const handlers: Record<string, (input: unknown, ctx: { ticket: string | undefined; applicationToken: string | undefined; headers: unknown }) => unknown> = {};
  const seen: Record<string, { ticket: string | undefined; token: string | undefined; timeZone: unknown }[]> = {};
  for (const codec of codecs) {
    const output = documentedOutput(codec);
    handlers[codec.name] = (_input, ctx) => {
      (seen[codec.name] ??= []).push({ ticket: ctx.ticket, token: ctx.applicationToken, timeZone: (ctx.headers as { TimeZone?: unknown }).TimeZone });
      return output;
    };
  }
  const mock = createEMailMockServer(handlers as never);
  let listening: ListeningMock;
  before(async () => {
    listening = await mock.listen();
  });
  after(async () => {
    await listening.close();
  });

  /** The consumer's code: one agent, built from options; only `transport` differs between the runs. */
  const consumer = (transport: 'soap' | 'rest') =>
    new EMailAgent({ baseUrl: listening.baseUrl, ticket: TICKET, applicationToken: TOKEN, timeZone: TIME_ZONE, transport });

  for (const codec of codecs) {
    test(`${codec.name}: the same result and the same recorded call over SOAP and REST`, async () => {
      const input = documentedInput(codec);
      mock.reset();
      seen[codec.name] = [];
      const overSoap = await methodOf(consumer('soap'), codec.name)(input);
      const overRest = await methodOf(consumer('rest'), codec.name)(input);
      assert.deepEqual(overRest, overSoap);
      const calls = mock.callsTo(codec.name as keyof typeof EMailOperations);
      assert.equal(calls.length, 2);
      assert.deepEqual(calls[1]!.input, calls[0]!.input, 'the handler received the same input');
      assert.deepEqual(calls[1]!.headers, calls[0]!.headers, 'the same ticket, token and time zone');
      assert.deepEqual(seen[codec.name], [
        { ticket: TICKET, token: TOKEN, timeZone: TIME_ZONE },
        { ticket: TICKET, token: TOKEN, timeZone: TIME_ZONE },
      ]);
    });
  }

  test('a SuperOffice exception is the same SoExceptionError on both transports', async () => {
    mock.handlers.GetEMailAccount = () => {
      throw new SoExceptionError({ ExceptionType: 'SoNotFoundException', Message: 'EMailAccount id 546 not found', Source: 'SuperOffice.Services' });
    };
    const errors: SoExceptionError[] = [];
    for (const transport of ['soap', 'rest'] as const) {
      const err = await consumer(transport).getEMailAccount({ EMailAccountId: 546 }).then(
        () => assert.fail('expected a SoExceptionError'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof SoExceptionError, `${transport}: ${String(err)}`);
      errors.push(err);
    }
    const [soap, rest] = errors as [SoExceptionError, SoExceptionError];
    assert.equal(rest.message, soap.message);
    assert.equal(rest.exceptionType, 'SoNotFoundException');
    assert.equal(rest.source, soap.source);
    assert.equal(rest.operation, 'GetEMailAccount');
  });

  test('a session switches every agent with the same one option', async () => {
    mock.handlers.GetEMailAccount = (input) => ({ Response: { EMailAccountId: input.EMailAccountId, EMailAddress: 'anna@example.com' } });
    const results = [];
    for (const transport of ['soap', 'rest'] as const) {
      const so = new SuperOfficeClient({ baseUrl: listening.baseUrl, ticket: TICKET, transport });
      results.push(await so.email.getEMailAccount({ EMailAccountId: 7 }));
    }
    assert.deepEqual(results[1], results[0]);
    assert.deepEqual(results[0], { EMailAccountId: 7, EMailAddress: 'anna@example.com' });
  });
});
