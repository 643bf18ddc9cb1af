// A mock SuperOffice agent for tests: an HTTP request handler that speaks the agent's SOAP
// dialect through the same operation codecs as the client. Generated `mock.ts` files wrap it
// (`createEMailMockServer`); the runtime index does not export it, so importing a client never
// pulls in a server.
//
// Typed structurally: the handler accepts node:http's IncomingMessage and ServerResponse (and
// anything shaped like them), and `listen()` loads node:http only when it is called, so the
// generated folder still compiles without @types/node and bundles without node:http.
//
// One request (on the service path only; any other path answers 404 naming it):
//   GET  ...?wsdl   the WSDL given as the `wsdl` option, its soap:address rewritten to this server
//   POST .../api/v1/Agents/{Agent}/{Method}   the REST Agents API (JSON, mock-rest.ts): the same
//                 handlers, the same recorded calls, answered as the Agents API answers
//   POST          dispatch on SOAPAction (SOAP 1.1) or the Content-Type action parameter (SOAP 1.2),
//                 else on the Body element; the envelope is read once, by the client's decoder
//                 (decode-request.ts decodeRequestOf), which picks the operation's request message as it
//                 meets the Body element -> record the call -> the handler -> encode its output
//                 with the headers Succeeded=true and TimeZone (echoed when the request sent one).
// A handler that throws a SoExceptionError (or any object with `soExceptionInfo`) produces what
// SuperOffice sends for a refused call: HTTP 200, Succeeded=false and the ExceptionInfo header
// around an empty response element. A thrown SoapFaultError is sent as that fault; any other
// thrown value becomes a Server/Receiver fault carrying its message only, never a stack trace.
// A missing handler answers 501 (not 500), and a handler gets handlerTimeoutMs to finish.
import { decodeXmlBytes, joinChunks } from './charset.js';
import { DecodeError, EncodeError, SoapFaultError, SoExceptionError, type SoExceptionInfoFields } from './errors.js';
import type { UnknownElements } from './decode.js';
import { decodeRequestOf, type DecodedRequest } from './decode-request.js';
import { MAX_TIMER_MS } from './agent.js';
import { Encoder } from './encode.js';
import { envelopeNamespace, writeEnvelope } from './envelope.js';
import type { AnyOperationCodec, InputOf, OutputOf, RequestHeadersOf, ResponseHeadersOf } from './operation.js';
import { schemaIndex, type MessageDesc, type SoapVersion } from './schema.js';
import { withoutOperation } from './transport.js';
import { escapeAttribute, escapeText } from './xml.js';
import { decodeRestRequest, restExceptionReply, restMethodOf, restOperationOf, restOutputReply, restReply, restRequestHeaders, type RestMockReply } from './mock-rest.js';

/** What the mock reads from an HTTP request (node:http's IncomingMessage fits). */
export interface MockHttpRequest extends AsyncIterable<Uint8Array | string> {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** What the mock writes an HTTP response to (node:http's ServerResponse fits). */
export interface MockHttpResponse {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body?: Uint8Array | string): unknown;
}

/** What a handler gets besides the decoded input. */
export interface MockContext<IH, OH> {
  /** The WSDL operation name. */
  readonly operation: string;
  /** The decoded SOAP request headers (ApplicationToken, Credentials, TimeZone ...). */
  readonly headers: IH;
  /** Credentials/Ticket from the request headers. */
  readonly ticket: string | undefined;
  /** The ApplicationToken request header. */
  readonly applicationToken: string | undefined;
  /** The SOAP action the request named (SOAPAction or the action parameter), if any. */
  readonly soapAction: string | undefined;
  /** The HTTP request (node:http's IncomingMessage when served by node:http). */
  readonly request: MockHttpRequest;
  /**
   * SOAP response headers to send: set e.g. `ExtraInfo` here. They are merged over the defaults
   * (`Succeeded`, and `TimeZone` echoed from the request).
   */
  readonly responseHeaders: OH;
}

/** What a handler returns: the response element's content; nothing when every element is optional. */
export type MockResult<O> = [O] extends [undefined] ? void : {} extends O ? O | void : O;

export type MockHandler<I, O, IH, OH> = (input: I, ctx: MockContext<IH, OH>) => MockResult<O> | Promise<MockResult<O>>;

/** One optional handler per operation, keyed by WSDL operation name (undefined: none, answered 501). */
export type MockHandlers<Ops extends Record<string, AnyOperationCodec>> = {
  [K in keyof Ops]?: MockHandler<InputOf<Ops[K]>, OutputOf<Ops[K]>, RequestHeadersOf<Ops[K]>, ResponseHeadersOf<Ops[K]>> | undefined;
};

/** A recorded call: what the handler received (recorded before the handler runs). */
export type MockCall<Ops extends Record<string, AnyOperationCodec>, K extends keyof Ops & string = keyof Ops & string> = {
  [N in K]: {
    readonly operation: N;
    readonly input: InputOf<Ops[N]>;
    readonly headers: RequestHeadersOf<Ops[N]>;
    readonly soapAction: string | undefined;
  };
}[K];

export interface MockServerOptions {
  /** Record every decoded call in `calls` (default true). */
  readonly record?: boolean | undefined;
  /** Largest request body accepted, in bytes (default 16 MiB); larger ones get HTTP 413. */
  readonly maxRequestBytes?: number | undefined;
  /** Called with every error a handler throws (also SoExceptionErrors), e.g. to log it. */
  readonly onError?: ((error: unknown, operation: string) => void) | undefined;
  /**
   * Request elements the WSDL does not declare: 'error' (the default: a Client fault naming the
   * element's path) or 'ignore' (skipped, as a tolerant server would). Strict by default because
   * the mock is where a test learns what its client really sends: an element the server would
   * silently drop is data the code under test believes it sent. Undeclared SOAP header blocks
   * (WS-Addressing ...) are ignored either way.
   */
  readonly unknownElements?: UnknownElements | undefined;
  /**
   * The WSDL to serve at `GET ?wsdl` (its soap:address set to the mock's URL): the text, or a
   * function returning it, called on each request (e.g. `() => readFile('EMail.wsdl', 'utf8')`).
   * Generated mocks do not carry their WSDL; without this option `?wsdl` answers 404.
   */
  readonly wsdl?: string | (() => string | Promise<string>) | undefined;
  /**
   * The path the mock answers on (default: `/` + the service path, e.g.
   * `/Remote/Services86/EMail.svc`, where `listen()` puts it). Any other path answers 404 naming
   * this one, as a real server would, so a test catches a client pointed at the wrong address.
   */
  readonly path?: string | undefined;
  /**
   * How long a handler may take, in milliseconds (default 10000; 0 = no limit). A handler still
   * running then gets a Server/Receiver fault (HTTP 500) naming this option, so a handler that
   * never resolves does not hold the client's connection open for good.
   */
  readonly handlerTimeoutMs?: number | undefined;
}

/** Default handler time limit: 10 s. */
const DEFAULT_HANDLER_TIMEOUT_MS = 10_000;

export interface ListenOptions {
  /** Default 0: a free port chosen by the system. */
  readonly port?: number | undefined;
  /** Default 127.0.0.1. */
  readonly host?: string | undefined;
  /** Time for a request's headers to arrive, in milliseconds (default 10000); then the connection is closed. */
  readonly headersTimeoutMs?: number | undefined;
  /** Time for a whole request (headers and body) to arrive, in milliseconds (default 30000). */
  readonly requestTimeoutMs?: number | undefined;
}

/** A mock listening on a port. */
export interface ListeningMock {
  /** The agent's endpoint, e.g. `http://127.0.0.1:41234/Remote/Services86/EMail.svc` (the `path` option, when given). */
  readonly url: string;
  /**
   * The installation URL for `AgentOptions.baseUrl`, e.g. `http://127.0.0.1:41234`; with a `path`
   * that ends in the service path, what comes before it (`/Cust1/Remote/Services86/EMail.svc`:
   * `http://127.0.0.1:41234/Cust1`), so that baseUrl + the service path is `url`.
   */
  readonly baseUrl: string;
  /** `url` + `?wsdl`. */
  readonly wsdlUrl: string;
  readonly port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/**
 * A mock agent: call it as a node:http request listener (`http.createServer(mock)`), or let it
 * listen itself with `await mock.listen()`.
 */
export interface MockServer<Ops extends Record<string, AnyOperationCodec>> {
  (request: MockHttpRequest, response: MockHttpResponse): void;
  readonly operations: Ops;
  /** The handlers given at creation; assign to change one between tests. */
  readonly handlers: MockHandlers<Ops>;
  /** Every decoded call, in arrival order (unless `record: false`). */
  readonly calls: MockCall<Ops>[];
  /** The recorded calls of one operation. */
  callsTo<K extends keyof Ops & string>(operation: K): MockCall<Ops, K>[];
  /** Forgets the recorded calls. */
  reset(): void;
  /** Answers one request; resolves when the response has been written. */
  handle(request: MockHttpRequest, response: MockHttpResponse): Promise<void>;
  /** Listens on 127.0.0.1 (port 0 = a free one) and returns the URLs. */
  listen(options?: ListenOptions): Promise<ListeningMock>;
}

export interface MockServiceInfo {
  readonly service: string;
  /** Path of the service below an installation's base URL (`Remote/Services86/EMail.svc`). */
  readonly servicePath: string;
}

/** Default request size limit: 16 MiB. */
const DEFAULT_MAX_REQUEST_BYTES = 16 * 1024 * 1024;

/** Thrown inside the request pipeline: becomes one HTTP response. */
class Reply {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly contentType: string,
    readonly extraHeaders: Readonly<Record<string, string>> = {},
  ) {}
}

interface Dispatch {
  readonly name: string;
  readonly codec: AnyOperationCodec;
}

/**
 * The operations a request may be for (all of them, or those of its SOAP action), by their
 * request element `{namespace}local`; `otherwise`: the one a request naming another element is
 * decoded as (the first of its action's), so the error names the element that operation expects.
 */
interface Candidates {
  readonly byElement: ReadonlyMap<string, Dispatch>;
  readonly messages: ReadonlyMap<string, MessageDesc>;
  readonly otherwise: Dispatch | undefined;
}

function candidatesOf(dispatches: readonly Dispatch[], elementOf: (d: Dispatch) => string, otherwise?: Dispatch): Candidates {
  const byElement = new Map<string, Dispatch>();
  const messages = new Map<string, MessageDesc>();
  for (const d of dispatches) {
    const element = elementOf(d);
    if (byElement.has(element)) continue; // the first operation with a request element answers it
    byElement.set(element, d);
    messages.set(element, d.codec.desc.input);
  }
  return { byElement, messages, otherwise };
}

export function createMockServer<Ops extends Record<string, AnyOperationCodec>>(
  operations: Ops,
  handlers: MockHandlers<Ops>,
  info: MockServiceInfo,
  options: MockServerOptions = {},
): MockServer<Ops> {
  const names = Object.keys(operations);
  const codecs: Dispatch[] = names.map((name) => ({ name, codec: operations[name]! }));
  // The binding decides the SOAP version; all operations of a generated agent share it, and its schema.
  const version: SoapVersion = codecs[0]?.codec.soapVersion ?? '1.1';
  const index = schemaIndex(codecs[0]?.codec.schema ?? { namespaces: [], types: {} });
  const other = codecs.find((d) => schemaIndex(d.codec.schema) !== index);
  if (other) throw new TypeError(`the operations of one mock must share one schema (one agent's), but ${other.name}'s differs from ${codecs[0]!.name}'s`);
  const elementOf = (d: Dispatch): string => `{${index.namespace(d.codec.desc.input.body.ns)}}${d.codec.desc.input.body.name}`;
  const actions = new Map<string, Dispatch[]>();
  for (const d of codecs) {
    if (d.codec.soapAction) actions.set(d.codec.soapAction, [...(actions.get(d.codec.soapAction) ?? []), d]);
  }
  const anyOperation = candidatesOf(codecs, elementOf);
  const byAction = new Map<string, Candidates>();
  for (const [action, ds] of actions) byAction.set(action, candidatesOf(ds, elementOf, ds[0]));
  const noOperation = candidatesOf([], elementOf);
  const record = options.record ?? true;
  const maxBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  const unknownElements = options.unknownElements ?? 'error';
  const calls: MockCall<Ops>[] = [];
  const soapContentType = version === '1.2' ? 'application/soap+xml; charset=utf-8' : 'text/xml; charset=utf-8';
  const ownPath = `/${info.servicePath.replace(/^\/+/, '')}`;
  if (options.path !== undefined && !options.path.startsWith('/')) throw new TypeError(`path must start with "/", got ${JSON.stringify(options.path)}`);
  const servicePath = options.path ?? ownPath;
  // The installation address the service path hangs below ('' for /Remote/Services86/EMail.svc): the REST API's base.
  const restPrefix = servicePath.toLowerCase().endsWith(ownPath.toLowerCase()) ? servicePath.slice(0, servicePath.length - ownPath.length) : '';
  const handlerTimeoutMs = options.handlerTimeoutMs ?? DEFAULT_HANDLER_TIMEOUT_MS;
  if (!Number.isFinite(handlerTimeoutMs) || handlerTimeoutMs < 0) throw new TypeError(`handlerTimeoutMs must be a finite number of at least 0, got ${handlerTimeoutMs}`);

  const fault = (client: boolean, reason: string, status?: number, code?: string, detail?: string): Reply => {
    const faultCode = code ?? (version === '1.2' ? (client ? 's:Sender' : 's:Receiver') : client ? 's:Client' : 's:Server');
    // SOAP 1.1 sends every fault with 500; SOAP 1.2 distinguishes sender (400) and receiver (500) faults.
    const httpStatus = status ?? (version === '1.2' && client ? 400 : 500);
    const body = writeFault(version, detail !== undefined ? { code: faultCode, reason, detail } : { code: faultCode, reason });
    return new Reply(httpStatus, body, soapContentType);
  };

  async function respond(request: MockHttpRequest): Promise<Reply> {
    const method = (request.method ?? 'GET').toUpperCase();
    const url = new URL(request.url ?? '/', 'http://mock.invalid');
    // The REST Agents API below the installation address (mock-rest.ts).
    const restMethod = restMethodOf(url.pathname, restPrefix, info.service);
    if (restMethod !== undefined) {
      if (method !== 'POST') return new Reply(405, `${info.service} mock: the Agents API takes POST, not ${method}\n`, 'text/plain; charset=utf-8', { Allow: 'POST' });
      const restBytes = await readBody(request, maxBytes);
      if (restBytes === undefined) return new Reply(413, `the request is larger than the limit of ${maxBytes} bytes\n`, 'text/plain; charset=utf-8');
      const restCoding = unsupportedCoding(request);
      if (restCoding !== undefined) return new Reply(415, `${restCoding}\n`, 'text/plain; charset=utf-8');
      return respondRest(request, url, restMethod, restBytes, headerValue(request, 'content-type') ?? '');
    }
    // Only the service's own path, as a real server: a client sent elsewhere must not pass its tests.
    if (url.pathname.toLowerCase() !== servicePath.toLowerCase()) {
      const asked = url.pathname.length > 200 ? `${url.pathname.slice(0, 200)}\u2026` : url.pathname;
      return new Reply(404, `${info.service} mock: nothing at ${asked}; this mock serves ${servicePath}\n`, 'text/plain; charset=utf-8');
    }
    if (method === 'GET' || method === 'HEAD') {
      const wantsWsdl = /^\?(?:[^#]*&)?(?:single)?wsdl(?:[=&]|$)/i.test(url.search);
      if (!wantsWsdl) {
        return new Reply(404, `${info.service} mock: send SOAP requests with POST; the WSDL is at ?wsdl\n`, 'text/plain; charset=utf-8');
      }
      return serveWsdl(request, url, info, options);
    }
    if (method !== 'POST') {
      return new Reply(405, `${info.service} mock: method ${method} is not allowed\n`, 'text/plain; charset=utf-8', { Allow: 'GET, POST' });
    }

    const bytes = await readBody(request, maxBytes);
    if (bytes === undefined) return fault(true, `the request is larger than the limit of ${maxBytes} bytes`, 413);
    const coding = unsupportedCoding(request);
    if (coding !== undefined) return fault(true, coding, 415);

    const contentType = headerValue(request, 'content-type') ?? '';
    // The same charset rules as the client's (charset.ts): BOM, charset parameter, XML declaration.
    let xml: string;
    try {
      xml = decodeXmlBytes(bytes, contentType);
    } catch (err) {
      if (err instanceof DecodeError) throw fault(true, err.message);
      throw err;
    }
    const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
    const action = soapActionOf(request, contentType);

    // One read of the envelope: the decoder takes the operation's request message from the Body
    // element as it meets it. What is no request at all (not XML, not SOAP, no Body, a Fault) is
    // refused first; then the operation, its SOAP version and Content-Type; then the message's
    // own errors (a value, a header block). An unknown action is reported after the envelope's
    // errors, so the envelope is read (against no message) for it too.
    const candidates = action ? (byAction.get(action) ?? noOperation) : anyOperation;
    let read: DecodedRequest;
    try {
      read = decodeRequestOf(index, candidates.messages, xml, { unknownElements, otherwise: candidates.otherwise?.codec.desc.input });
    } catch (err) {
      if (err instanceof SoapFaultError) throw fault(true, 'the request is a SOAP Fault');
      if (err instanceof DecodeError) throw fault(true, err.message);
      throw err;
    }
    if (candidates === noOperation) throw fault(true, `unknown operation: no ${info.service} operation has the SOAP action "${action}"`);
    const target = candidates.byElement.get(read.element) ?? candidates.otherwise;
    if (!target || !read.decoded) throw fault(true, `unknown operation: no ${info.service} operation has the request element ${read.element}`);
    const { name, codec } = target;

    if (read.version !== codec.soapVersion) {
      throw fault(true, `${name} uses SOAP ${codec.soapVersion}; the request is a SOAP ${read.version} envelope`, 500, `s:VersionMismatch`);
    }
    const expectedMedia = codec.soapVersion === '1.2' ? 'application/soap+xml' : 'text/xml';
    if (mediaType !== expectedMedia) {
      throw fault(true, `${name}: expected Content-Type ${expectedMedia} (SOAP ${codec.soapVersion}), got "${contentType}"`, 415);
    }
    // The decoder did not know the operation: its errors are named here, as the codec's would be.
    if (read.decoded instanceof DecodeError) throw fault(true, `${name}: ${read.decoded.message}`);
    const decoded = { input: read.decoded.body, headers: read.decoded.headers };
    const outcome = await runHandler(name, decoded, action, request);
    const declared = new Set((codec.desc.output?.headers ?? []).map((h) => h.name));
    if ('exception' in outcome) {
      const exception = outcome.exception;
      if (codec.desc.output && declared.has('Succeeded')) {
        const headers: Record<string, unknown> = { ...outcome.headers, Succeeded: false };
        if (exception.info !== undefined) headers['ExceptionInfo'] = exception.info;
        if (exception.info === undefined || declared.has('ExceptionInfo')) {
          try {
            return new Reply(200, encodeEmptyResponse(codec, headers), soapContentType);
          } catch (encodeErr) {
            if (encodeErr instanceof EncodeError) throw fault(false, `the ${name} handler threw exception info the schema does not allow: ${withoutOperation(encodeErr)}`);
            throw encodeErr;
          }
        }
      }
      throw fault(false, errorMessage(outcome.error));
    }
    if ('error' in outcome) {
      const err = outcome.error;
      // A SoapFaultError is sent as the fault it describes (code, reason, detail, HTTP status).
      if (err instanceof SoapFaultError) throw fault(false, err.reason, err.httpStatus, err.code, err.detail);
      // A missing handler answers HTTP 501 (a throwing one 500), so a test can tell them apart.
      if (outcome.missing) throw fault(false, `not implemented: ${name}`, 501, undefined, 'the mock has no handler for this operation');
      throw fault(false, errorMessage(err));
    }
    if (!codec.desc.output) return new Reply(202, '', 'text/plain; charset=utf-8');
    try {
      return new Reply(200, codec.encodeResponse(outcome.output ?? {}, outcome.headers), soapContentType);
    } catch (err) {
      if (err instanceof EncodeError) throw fault(false, `the ${name} handler returned a value the schema does not allow: ${withoutOperation(err)}`);
      throw err;
    }
  }

  /** The REST Agents API side (mock-rest.ts): the same handlers and records as SOAP, answered in JSON. */
  async function respondRest(request: MockHttpRequest, url: URL, method: string, bytes: Uint8Array, contentType: string): Promise<Reply> {
    const asReply = (r: RestMockReply): Reply => new Reply(r.status, r.body, r.contentType);
    const name = restOperationOf(operations, method);
    if (name === undefined) return asReply(restReply(404, `unknown operation: no ${info.service} operation is named "${method}"`));
    const codec = operations[name]!;
    let text: string;
    try {
      text = decodeXmlBytes(bytes, contentType);
    } catch (err) {
      if (err instanceof DecodeError) return asReply(restReply(400, err.message));
      throw err;
    }
    const decoded = decodeRestRequest(codec, url.search, contentType, text, unknownElements);
    if ('reply' in decoded) return asReply(decoded.reply);
    const headers = restRequestHeaders(codec, (h) => headerValue(request, h));
    const outcome = await runHandler(name, { input: decoded.input, headers }, undefined, request);
    if ('exception' in outcome) return asReply(restExceptionReply(outcome.exception.info));
    if ('error' in outcome) {
      const err = outcome.error;
      if (outcome.missing) return asReply(restReply(501, `not implemented: ${name}`));
      return asReply(restReply(err instanceof SoapFaultError ? (err.httpStatus ?? 500) : 500, err instanceof SoapFaultError ? err.reason : errorMessage(err)));
    }
    try {
      return asReply(restOutputReply(codec, outcome.output));
    } catch (err) {
      if (err instanceof EncodeError) return asReply(restReply(500, `the ${name} handler returned a value the schema does not allow: ${withoutOperation(err)}`));
      throw err;
    }
  }

  /**
   * Records the call and runs its handler: its output with the response headers to send, the
   * SuperOffice exception it threw, or the error it threw (`missing`: there is no handler).
   */
  async function runHandler(
    name: string,
    decoded: { input: unknown; headers: unknown },
    action: string | undefined,
    request: MockHttpRequest,
  ): Promise<
    | { output: unknown; headers: Record<string, unknown> }
    | { exception: { info: SoExceptionInfoFields | undefined }; headers: Record<string, unknown>; error: unknown }
    | { error: unknown; missing: boolean }
  > {
    const requestHeaders = (decoded.headers ?? {}) as Record<string, unknown>;
    if (record) {
      calls.push({ operation: name, input: decoded.input, headers: decoded.headers, soapAction: action } as unknown as MockCall<Ops>);
    }

    const defaults: Record<string, unknown> = {};
    const timeZone = requestHeaders['TimeZone'];
    if (timeZone !== undefined && timeZone !== null) defaults['TimeZone'] = timeZone;
    const responseHeaders: Record<string, unknown> = {};
    const credentials = requestHeaders['Credentials'] as { Ticket?: unknown } | null | undefined;
    const token = requestHeaders['ApplicationToken'];
    const ctx: MockContext<unknown, Record<string, unknown>> = {
      operation: name,
      headers: decoded.headers,
      ticket: typeof credentials?.Ticket === 'string' ? credentials.Ticket : undefined,
      applicationToken: typeof token === 'string' ? token : undefined,
      soapAction: action,
      request,
      responseHeaders,
    };

    const handler = Object.prototype.hasOwnProperty.call(handlers, name)
      ? (handlers as unknown as Record<string, MockHandler<unknown, unknown, unknown, Record<string, unknown>> | undefined>)[name]
      : undefined;
    if (typeof handler !== 'function') return { error: undefined, missing: true };

    try {
      const output = await withinTime(Promise.resolve(handler(decoded.input, ctx)), handlerTimeoutMs, () =>
        new MockHandlerLate(`the ${name} handler did not finish within ${handlerTimeoutMs} ms (handlerTimeoutMs)`),
      );
      return { output, headers: { ...defaults, Succeeded: true, ...responseHeaders } };
    } catch (err) {
      if (err instanceof MockHandlerLate) return { error: err, missing: false };
      options.onError?.(err, name);
      const exception = soExceptionInfoOf(err);
      if (exception) return { exception, headers: { ...defaults, ...responseHeaders }, error: err };
      return { error: err, missing: false };
    }
  }

  async function handle(request: MockHttpRequest, response: MockHttpResponse): Promise<void> {
    let reply: Reply;
    try {
      reply = await respond(request);
    } catch (err) {
      reply = err instanceof Reply ? err : fault(false, `internal mock error: ${errorMessage(err)}`);
    }
    const bytes = new TextEncoder().encode(reply.body);
    response.statusCode = reply.status;
    response.setHeader('Content-Type', reply.contentType);
    response.setHeader('Content-Length', String(bytes.byteLength));
    for (const [k, v] of Object.entries(reply.extraHeaders)) response.setHeader(k, v);
    if (reply.status === 413) response.setHeader('Connection', 'close');
    response.end((request.method ?? '').toUpperCase() === 'HEAD' ? undefined : bytes);
  }

  const server = ((request: MockHttpRequest, response: MockHttpResponse): void => {
    void handle(request, response).catch(() => undefined);
  }) as MockServer<Ops>;
  const callsTo = <K extends keyof Ops & string>(operation: K): MockCall<Ops, K>[] =>
    calls.filter((c): c is MockCall<Ops, K> => c.operation === operation);
  return Object.assign(server, {
    operations,
    handlers,
    calls,
    callsTo,
    reset: () => {
      calls.length = 0;
    },
    handle,
    listen: (listenOptions: ListenOptions = {}) => listen(server, servicePath, restPrefix, listenOptions),
  });
}

function headerValue(request: MockHttpRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** SOAPAction (SOAP 1.1, quoted or not) or the action parameter of the Content-Type (SOAP 1.2). */
function soapActionOf(request: MockHttpRequest, contentType: string): string | undefined {
  const header = headerValue(request, 'soapaction');
  if (header !== undefined) {
    const action = header.trim().replace(/^"(.*)"$/s, '$1');
    if (action) return action;
  }
  const param = /;\s*action\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(contentType);
  const action = param?.[1] ?? param?.[2];
  return action ? action : undefined;
}

/**
 * Why the body cannot be read when it is compressed (Content-Encoding other than identity), else
 * undefined. The mock reads bodies as sent; without this, gzip bytes were reported as invalid
 * UTF-8 or XML, which sent the user looking at the envelope instead of the compression.
 */
function unsupportedCoding(request: MockHttpRequest): string | undefined {
  const coding = headerValue(request, 'content-encoding')?.trim();
  if (coding === undefined || coding === '' || coding.toLowerCase() === 'identity') return undefined;
  const shown = coding.length > 100 ? `${coding.slice(0, 100)}\u2026` : coding;
  return `Content-Encoding "${shown}" is not supported; send the request uncompressed`;
}

/** The body's bytes; undefined when it is larger than `limit` bytes. */
async function readBody(request: MockHttpRequest, limit: number): Promise<Uint8Array | undefined> {
  const declared = Number(headerValue(request, 'content-length'));
  if (Number.isFinite(declared) && declared > limit) return undefined;
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for await (const chunk of request) {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    received += bytes.byteLength;
    if (received > limit) return undefined;
    chunks.push(bytes);
  }
  return joinChunks(chunks, received);
}

/** `GET ?wsdl`: the WSDL from the options, its address set to the URL asked for. */
async function serveWsdl(request: MockHttpRequest, url: URL, info: MockServiceInfo, options: MockServerOptions): Promise<Reply> {
  const source = options.wsdl;
  if (source === undefined) {
    return new Reply(404, `${info.service} mock: no WSDL to serve; pass its text as the mock's \`wsdl\` option\n`, 'text/plain; charset=utf-8');
  }
  const wsdl = typeof source === 'function' ? await source() : source;
  const host = headerValue(request, 'host');
  const origin = `http://${host !== undefined && /^[A-Za-z0-9.:[\]-]+$/.test(host) ? host : 'localhost'}`;
  return new Reply(200, rewriteAddress(wsdl, origin + url.pathname), 'text/xml; charset=utf-8');
}

/** Every soap:address / soap12:address location in `wsdl`, set to `endpoint`. */
function rewriteAddress(wsdl: string, endpoint: string): string {
  return wsdl.replace(
    /(<(?:[A-Za-z_][\w.-]*:)?address\b[^>]*?\blocation\s*=\s*)("[^"]*"|'[^']*')/g,
    (_, start: string) => `${start}"${escapeAttribute(endpoint)}"`,
  );
}

/** What a handler that outlives handlerTimeoutMs becomes (a Server fault on SOAP, HTTP 500 on REST). */
class MockHandlerLate extends Error {}

/** `promise`, or `late()` thrown when it has not settled within `ms` (0 = no limit). */
function withinTime<T>(promise: Promise<T>, ms: number, late: () => Error): Promise<T> {
  if (ms === 0) return promise;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(late()), Math.min(ms, MAX_TIMER_MS)); // Node fires a longer timer after 1 ms
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/** The ExceptionInfo a thrown value asks for, when it is a SoExceptionError or carries `soExceptionInfo`. */
function soExceptionInfoOf(err: unknown): { info: SoExceptionInfoFields | undefined } | undefined {
  if (err instanceof SoExceptionError) return { info: err.info };
  if (err !== null && typeof err === 'object' && 'soExceptionInfo' in err) {
    const info = (err as { soExceptionInfo: unknown }).soExceptionInfo;
    if (info === undefined || info === null) return { info: undefined };
    if (typeof info === 'object') return { info: info as SoExceptionInfoFields };
  }
  return undefined;
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  return 'the handler failed';
}

/** The response element with no content, under the given headers (what a refused call returns). */
function encodeEmptyResponse(codec: AnyOperationCodec, headers: Record<string, unknown>): string {
  const output = codec.desc.output!;
  const index = schemaIndex(codec.schema);
  const encoder = new Encoder(index, codec.name);
  return writeEnvelope(index, codec.soapVersion, encoder.headerBlocks(output.headers, headers), `<${index.slot(output.body).tag}/>`);
}

// The slice of node:http that listen() uses. It is loaded by a computed specifier so that
// neither type checking nor bundling needs node:http unless a mock actually listens.
interface NodeHttpServer {
  listen(port: number, host: string, callback: () => void): unknown;
  once(event: 'error', callback: (error: Error) => void): unknown;
  address(): { port: number } | string | null;
  close(callback: (error?: Error) => void): unknown;
  closeAllConnections?(): void;
}
interface NodeHttp {
  createServer(
    options: { headersTimeout: number; requestTimeout: number; connectionsCheckingInterval: number },
    listener: (request: MockHttpRequest, response: MockHttpResponse) => void,
  ): NodeHttpServer;
}
const NODE_HTTP: string = 'node:http';

/**
 * Serves `mock` over HTTP; `servicePath` is where it answers (MockServerOptions.path, or its own service
 * path), `installationPath` the part of it an agent's baseUrl holds ('' or e.g. '/Cust1').
 */
async function listen<Ops extends Record<string, AnyOperationCodec>>(
  mock: MockServer<Ops>,
  servicePath: string,
  installationPath: string,
  options: ListenOptions,
): Promise<ListeningMock> {
  const http = (await import(NODE_HTTP)) as NodeHttp;
  const host = options.host ?? '127.0.0.1';
  // Slow-drip headers or bodies are cut off (node:http checks at connectionsCheckingInterval).
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const requestTimeout = Math.max(options.requestTimeoutMs ?? 30_000, headersTimeout);
  const server = http.createServer(
    { headersTimeout, requestTimeout, connectionsCheckingInterval: Math.max(50, Math.min(1000, headersTimeout / 2)) },
    mock,
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 0);
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const url = `${origin}${servicePath}`;
  const baseUrl = `${origin}${installationPath}`;
  return {
    url,
    baseUrl,
    wsdlUrl: `${url}?wsdl`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections?.();
      }),
  };
}

interface FaultFields {
  /** faultcode / Code Value, as a QName string; for 1.1 use e.g. `s:Server`, for 1.2 `s:Receiver`. */
  readonly code: string;
  readonly reason: string;
  /** Plain text placed in the detail element. */
  readonly detail?: string;
}

/** A SOAP Fault envelope. */
function writeFault(version: SoapVersion, fault: FaultFields): string {
  const body =
    version === '1.2'
      ? `<s:Fault><s:Code><s:Value>${escapeText(fault.code)}</s:Value></s:Code><s:Reason><s:Text xml:lang="en">${escapeText(fault.reason)}</s:Text></s:Reason>${fault.detail !== undefined ? `<s:Detail>${escapeText(fault.detail)}</s:Detail>` : ''}</s:Fault>`
      : `<s:Fault><faultcode>${escapeText(fault.code)}</faultcode><faultstring>${escapeText(fault.reason)}</faultstring>${fault.detail !== undefined ? `<detail>${escapeText(fault.detail)}</detail>` : ''}</s:Fault>`;
  return `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="${envelopeNamespace(version)}"><s:Body>${body}</s:Body></s:Envelope>`;
}
