// One operation's codecs: whole request and response envelopes to and from typed values, made by
// generated `operations.ts` files through operationFactory (by tests through defineOperation).
// The client, mock servers and tests all go through them. The JSON side, for the REST Agents
// API, is `restCodec(codec)` of json.ts, a module only REST users load.
import { decodeEnvelope, type DecodeOptions } from './decode.js';
import { DecodeError } from './errors.js';
import { Encoder } from './encode.js';
import { writeEnvelope } from './envelope.js';
import { fieldLine, schemaIndex, type FieldDesc, type MessageDesc, type OperationDesc, type SchemaDesc, type SchemaIndex, type SoapVersion } from './schema.js';

/** What an agent's method returns of a response: nothing, the output, or its Response element (`?? null`: null when absent). */
export type Returns = 'nothing' | 'output' | 'Response' | 'Response ?? null';

/** `R`: what the agent's method returns (`result`), so a generated method is one call. Its name, soapAction and soapVersion are `desc`'s, without making it. */
export interface OperationCodec<I, O, IH, OH, R = O> extends Pick<OperationDesc, 'name' | 'soapAction' | 'soapVersion'> {
  readonly desc: OperationDesc;
  readonly schema: SchemaDesc;
  /** A whole request envelope. */
  encodeRequest(input: I, headers?: IH): string;
  decodeRequest(xml: string, options?: DecodeOptions): { input: I; headers: IH };
  /** A whole response envelope. */
  encodeResponse(output: O, headers?: OH): string;
  /** Throws SoapFaultError for a Fault, DecodeError for anything the schema does not allow (whatever the headers say); never SoExceptionError: Succeeded and ExceptionInfo are headers it returns. */
  decodeResponse(xml: string, options?: DecodeOptions): { output: O; headers: OH };
  /** What the agent's method returns of a decoded output (see `Returns`). */
  result(output: O): R;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
export type AnyOperationCodec = OperationCodec<any, any, any, any, any>;
export type InputOf<C> = C extends OperationCodec<infer I, any, any, any, any> ? I : never;
export type OutputOf<C> = C extends OperationCodec<any, infer O, any, any, any> ? O : never;
export type RequestHeadersOf<C> = C extends OperationCodec<any, any, infer H, any, any> ? H : never;
export type ResponseHeadersOf<C> = C extends OperationCodec<any, any, any, infer H, any> ? H : never;
/* eslint-enable @typescript-eslint/no-explicit-any */

export function defineOperation<I, O, IH, OH, R = O>(schema: SchemaDesc, desc: OperationDesc, returns: Returns = 'output'): OperationCodec<I, O, IH, OH, R> {
  return codec(schema, desc.name, desc.soapAction, desc.soapVersion, () => desc, returns);
}

/**
 * The codec of one operation, whose description `descOf` makes on first use: an agent's module
 * defines all its operations at import, and most programs use a few (bench case cold-start).
 */
function codec<I, O, IH, OH, R>(schema: SchemaDesc, name: string, soapAction: string, soapVersion: SoapVersion, descOf: () => OperationDesc, returns: Returns): OperationCodec<I, O, IH, OH, R> {
  // The schema index is shared by all operations of a service and built on first use.
  const index = (): SchemaIndex => schemaIndex(schema);
  return {
    name,
    soapAction,
    soapVersion,
    get desc() {
      return descOf();
    },
    schema,
    encodeRequest: (input, headers) => encodeMessage(index(), descOf(), 'input', input, headers),
    decodeRequest: (xml, options) => {
      const { body, headers } = decodeEnvelope(index(), descOf().input, xml, name, options);
      return { input: body as I, headers: headers as IH };
    },
    encodeResponse: (output, headers) => encodeMessage(index(), descOf(), 'output', output, headers),
    decodeResponse: (xml, options) => {
      const { body, headers } = decodeEnvelope(index(), responseMessage(descOf()), xml, name, options);
      return { output: body as O, headers: headers as OH };
    },
    result: (output) => resultOf(returns, output) as R,
  };
}

/** The operation's response message; a DecodeError for a one-way operation (SOAP and REST codecs alike). */
export function responseMessage(desc: OperationDesc): MessageDesc {
  if (!desc.output) throw new DecodeError('the operation is one-way: it has no response', '', desc.name);
  return desc.output;
}

function resultOf(returns: Returns, output: unknown): unknown {
  if (returns === 'nothing') return undefined;
  if (returns === 'output') return output;
  const response = (output as { Response?: unknown }).Response;
  return returns === 'Response' ? response : (response ?? null);
}

/** An agent's SOAP header blocks as `fieldLine` strings: those of its requests and of its responses. */
export interface HeaderLines {
  readonly input: readonly string[];
  readonly output: readonly string[];
}

/**
 * What a generated operation states besides its body elements and result, when it has it: its OperationDesc's
 * soapAction (absent when it is the factory's `actionBase` followed by the name: WCF's convention), query and entity.
 */
export interface OperationExtras extends Partial<Pick<OperationDesc, 'soapAction' | 'query' | 'entity'>> {
  /** The operation's name; absent when it is its request element's (document/literal wrapped: WCF's convention). */
  readonly name?: string;
  /** Header blocks other than the factory's (`HeaderLines`). */
  readonly inputHeaders?: readonly string[];
  readonly outputHeaders?: readonly string[];
}

/**
 * What a generated operations.ts calls once: an operation definer for one agent, its schema, SOAP
 * version and header blocks fixed, so each operation only names its body elements (`fieldLine`
 * strings; no output: one-way) and what its method returns. Its codecs are untyped: their types are
 * the operations object's declared type (`<Agent>OperationCodecs`), which a consumer's compiler
 * reads rather than infers for each of the 1,500 generated calls (inferring cost 8 % more tsc time).
 */
export function operationFactory(
  schema: SchemaDesc,
  soapVersion: SoapVersion,
  actionBase = '',
  headers: HeaderLines = { input: [], output: [] },
): (input: string, output: string | undefined, returns: Returns, extras?: OperationExtras) => AnyOperationCodec {
  const headerLists = new Map<readonly string[], readonly FieldDesc[]>();
  const message = (body: string, lines: readonly string[]): MessageDesc => {
    let parsed = headerLists.get(lines);
    if (!parsed) headerLists.set(lines, (parsed = lines.map(fieldLine)));
    return { body: fieldLine(body), headers: parsed };
  };
  return (input: string, output: string | undefined, returns: Returns, extras: OperationExtras = {}) => {
    const name = extras.name ?? input.slice(0, input.indexOf(' '));
    const soapAction = extras.soapAction ?? actionBase + name;
    let desc: OperationDesc | undefined;
    const descOf = (): OperationDesc =>
      (desc ??= {
        name,
        soapAction,
        soapVersion,
        input: message(input, extras.inputHeaders ?? headers.input),
        ...(output !== undefined ? { output: message(output, extras.outputHeaders ?? headers.output) } : {}),
        ...(extras.query ? { query: extras.query } : {}),
        ...(extras.entity !== undefined ? { entity: extras.entity } : {}),
      });
    return codec(schema, name, soapAction, soapVersion, descOf, returns);
  };
}

function encodeMessage(index: SchemaIndex, op: OperationDesc, which: 'input' | 'output', value: unknown, headers: unknown): string {
  const msg = which === 'input' ? op.input : responseMessage(op);
  const encoder = new Encoder(index, op.name);
  const headerXml = encoder.headerBlocks(msg.headers, headers as Record<string, unknown> | null | undefined);
  const body = encoder.element(msg.body, value === undefined ? {} : value, { parent: undefined, name: msg.body.name, index: -1 });
  return writeEnvelope(index, op.soapVersion, headerXml, body);
}
