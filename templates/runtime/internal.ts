// What generated metadata.ts and operations.ts files call to describe a schema and define its
// operations. These names are not application API: generated files import them as
// `import * as ri from '../runtime/internal.js'`, so that `rt.` (the public index.ts) completes
// only to what an application uses.
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
  type TypeDesc,
  type TypeForm,
} from './schema.js';
export { defineOperation, operationFactory, type MessageSpec, type OperationSpec, type Returns } from './operation.js';
