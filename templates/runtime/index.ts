// The runtime of generated gen-services86 clients. Generated files import it as
// `import * as rt from '../runtime/index.js'`, so none of its names can clash with schema names.
export { SoapAgent, type AgentOptions, type CallOptions, type CallResult, type ServiceInfo } from './agent.js';
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
export {
  defineOperation,
  type AnyOperationCodec,
  type DecodeOptions,
  type InputOf,
  type OperationCodec,
  type OutputOf,
  type RequestHeadersOf,
  type ResponseHeadersOf,
} from './operation.js';
export { field, type FieldDesc, type OperationDesc, type SchemaDesc, type SoapVersion, type TypeDesc } from './schema.js';
