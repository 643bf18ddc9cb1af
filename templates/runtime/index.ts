// The public API of the runtime of generated gen-services86 clients: what an application uses.
// The generated session file (index.ts at the top of the output) imports it as
// `import * as rt from './runtime/index.js'` (so none of its names can clash with schema names); an
// agent's files do not: they import agent.ts and errors.ts, so that importing one agent loads
// neither the Online sign-in modules nor this list. Each name below is listed in README.md ("How it
// works", the runtime-public-api block), and test/generator/runtime-files.test.ts compares the two lists.
//
// Not here, on purpose: the schema table (`schema`) and operationFactory that generated metadata.ts and
// operations.ts call (schema.ts and operation.ts; internal.ts lists them), the mock server (mock-server.ts, imported by generated mock.ts
// only), and the reader, encoder and decoder internals (each in its own file).
export { SoapAgent, type AgentOptions, type CallOptions, type CallResult, type OnlineEnvironment, type ServiceInfo, type TicketSource } from './agent.js';
export { SoapSession, type SessionOptions } from './session.js';
export { charsetParameter, decodeXmlBytes } from './charset.js';
export { type CallEvent, type HookRequestInfo, type Hooks, type XmlEvent } from './hooks.js';
export { JwtError } from './online-jwt.js';
export { KeyFormatError, type RsaKeyInput } from './online-keys.js';
export { usernamePasswordTicket, UsernamePasswordSignInError, type UsernamePasswordAuthenticator, type UsernamePasswordTicketOptions } from './onsite-ticket.js';
export { type RetryOptions } from './retry.js';
export { systemUserTicket, SystemUserSignInError, type SystemUserTicketOptions } from './system-user.js';
export { TenantNotRunningError, TenantResolver, type TenantResolverOptions } from './tenant.js';
export {
  DEFAULT_CREDENTIAL_REFUSALS,
  isCredentialRefusal,
  renewingTicket,
  type CredentialRefusalList,
  type RenewingTicketOptions,
  type TicketContext,
  type TicketProvider,
} from './ticket-source.js';
export {
  DecodeError,
  EncodeError,
  HttpError,
  OnlineError,
  SoapError,
  SoapFaultError,
  SoExceptionError,
  TransportError,
  type SoExceptionInfoFields,
  type TransportFailure,
} from './errors.js';
export { type DecodeOptions, type UnknownElements } from './decode.js';
export { redact } from './redact.js';
export { restCodec, type JsonDecodeOptions, type JsonOperationCodec, type JsonQuery, type JsonRequest } from './json.js';
export { type TransportKind } from './transport.js';
export {
  type AnyOperationCodec,
  type InputOf,
  type OperationCodec,
  type OutputOf,
  type RequestHeadersOf,
  type ResponseHeadersOf,
} from './operation.js';
export { type SchemaDesc, type SoapVersion } from './schema.js';
