// The runtime of generated gen-services86 clients. Generated files import it as
// `import * as rt from '../runtime/index.js'`, so none of its names can clash with schema names.
export {
  SoapAgent,
  SoapSession,
  type AgentOptions,
  type CallOptions,
  type CallResult,
  type ServiceInfo,
  type SessionOptions,
  type TicketSource,
} from './agent.js';
export { charsetParameter, decodeXmlBytes } from './charset.js';
export {
  DecodeError,
  EncodeError,
  HttpError,
  redact,
  SoapError,
  SoapFaultError,
  SoExceptionError,
  TransportError,
  type SoExceptionInfoFields,
  type TransportFailure,
} from './errors.js';
export { readEnvelope, writeEnvelope, writeFault, SOAP11_NS, SOAP12_NS, type FaultFields, type ParsedEnvelope } from './envelope.js';
export { type DecodeOptions, type UnknownElements } from './decode.js';
export { type JsonDecodeOptions, type JsonOperationCodec, type JsonQuery, type JsonRequest } from './json-operation.js';
export { type TransportKind } from './transport.js';
export {
  defineOperation,
  operationFactory,
  type MessageSpec,
  type OperationSpec,
  type Returns,
  type AnyOperationCodec,
  type InputOf,
  type OperationCodec,
  type OutputOf,
  type RequestHeadersOf,
  type ResponseHeadersOf,
} from './operation.js';
export {
  array,
  complex,
  dictionary,
  enumeration,
  extension,
  field,
  fieldLine,
  list,
  restricted,
  schema,
  type FieldDesc,
  type MessageDesc,
  type OperationDesc,
  type SchemaDesc,
  type SoapVersion,
  type TypeDesc,
  type TypeForm,
} from './schema.js';
