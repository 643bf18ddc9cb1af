// The runtime's names that are not application API, in one place for tools and tests: the schema
// table (`schema` of type forms) of generated metadata.ts files and operationFactory of generated
// operations.ts files; `field` and `defineOperation` for hand-written tables and operations.
// Generated files import the module that defines them (`import * as ri from '../runtime/schema.js'`,
// `'../runtime/operation.js'`) rather than this list, which would be one more module to load;
// either way `rt.` (the public index.ts) completes only to what an application uses.
export {
  field,
  fieldLine,
  schema,
  type FieldDesc,
  type MessageDesc,
  type OperationDesc,
  type SchemaDesc,
  type TypeDesc,
  type TypeForm,
} from './schema.js';
export { defineOperation, operationFactory, type HeaderLines, type OperationExtras, type Returns } from './operation.js';
