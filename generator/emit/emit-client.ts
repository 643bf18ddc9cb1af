// operations.ts, client.ts and index.ts: fixed scaffolding filled from the plan through the
// handlebars templates in templates/. The view models below hold every decision; the templates
// hold only text.
import { GenerateError } from '../errors.js';
import { qnameKey, type ElementField, type MessagePart, type Operation, type OperationMessage } from '../model/types.js';
import { fieldCall } from './emit-metadata.js';
import { docLines, jsDocBlock, stringLiteral } from './identifiers.js';
import type { EmitPlan, PlannedOperation, PlannedType } from './plan.js';
import { template } from './templates.js';
import { fieldExpression } from './type-expressions.js';

const T = (name: string) => `T.${name}`;

/** The interface type of an operation's body wrapper element. */
function bodyType(plan: EmitPlan, op: Operation, msg: OperationMessage): PlannedType & { shape: { kind: 'interface' } } {
  const el = plan.service.elements.get(qnameKey(msg.body))!;
  const t = el.type.kind === 'named' ? plan.byKey.get(qnameKey(el.type.name)) : undefined;
  if (!t || t.shape.kind !== 'interface') {
    throw new GenerateError(
      `operation "${op.name}": body element "${msg.body.local}" must have a sequence type (document/literal wrapped)`,
      el.location,
    );
  }
  return t as PlannedType & { shape: { kind: 'interface' } };
}

function bodyCall(plan: EmitPlan, msg: OperationMessage, typeName: string): string {
  const el = plan.service.elements.get(qnameKey(msg.body))!;
  return fieldCall(plan, { name: el.name.local, ns: el.name.ns, type: el.type, minOccurs: 1, maxOccurs: 1, nillable: false }, typeName);
}

function headerCalls(plan: EmitPlan, parts: readonly MessagePart[]): string {
  return parts
    .map((p) => {
      const el = plan.service.elements.get(qnameKey(p.element))!;
      return fieldCall(plan, { name: el.name.local, ns: el.name.ns, type: el.type, minOccurs: 0, maxOccurs: 1, nillable: el.nillable });
    })
    .join(', ');
}

export function emitOperations(plan: EmitPlan, templatesDir: string, header: string): string {
  const operations = plan.operations.map(({ op }) => {
    const input = bodyType(plan, op, op.input);
    const output = op.output ? bodyType(plan, op, op.output) : undefined;
    return {
      doc: jsDocBlock([...docLines(op.documentation), ...(op.documentation ? [''] : []), `@xsd operation ${op.name}`], '  '),
      key: stringLiteral(op.name),
      nameLiteral: stringLiteral(op.name),
      soapActionLiteral: stringLiteral(op.soapAction),
      inputType: T(input.name),
      outputType: output ? T(output.name) : 'undefined',
      inputBody: bodyCall(plan, op.input, input.name),
      inputHeaders: headerCalls(plan, op.input.headers),
      outputBody: op.output && output ? bodyCall(plan, op.output, output.name) : '',
      outputHeaders: op.output ? headerCalls(plan, op.output.headers) : '',
    };
  });
  return template(templatesDir, 'operations.ts.hbs')({
    header,
    agent: plan.agent,
    schemaConst: plan.schemaConst,
    operationsConst: plan.operationsConst,
    requestHeadersType: plan.requestHeadersType,
    responseHeadersType: plan.responseHeadersType,
    soapVersion: plan.service.soapVersion,
    soapLabel: `SOAP ${plan.service.soapVersion}`,
    operations,
  });
}

interface MethodView {
  doc: string;
  method: string;
  inputType: string;
  inputDefault: boolean;
  returnType: string;
  returnsVoid: boolean;
  returnsResponse: boolean;
  nullDefault: boolean;
  opLiteral: string;
}

function methodView(plan: EmitPlan, { op, method }: PlannedOperation): MethodView {
  const input = bodyType(plan, op, op.input);
  const output = op.output ? bodyType(plan, op, op.output) : undefined;
  const outFields = output?.shape.def.fields ?? [];
  const response: ElementField | undefined = outFields.length === 1 && outFields[0]!.name === 'Response' ? outFields[0] : undefined;
  let returnType: string;
  let nullDefault = false;
  if (!output || outFields.length === 0) returnType = 'void';
  else if (response) {
    const t = fieldExpression(plan, response, T);
    if (response.minOccurs === 0 && response.nillable) {
      returnType = t; // absent is reported as null: the service sends nothing for a null Response
      nullDefault = true;
    } else returnType = response.minOccurs === 0 ? `${t} | undefined` : t;
  } else returnType = T(output.name);
  const returns =
    returnType === 'void'
      ? []
      : response
        ? ['@returns The Response element of the reply.']
        : [`@returns The ${op.output!.body.local} element's content.`];
  return {
    doc: jsDocBlock(
      [
        ...docLines(op.documentation),
        ...(op.documentation ? [''] : []),
        `@param input The content of the ${op.input.body.local} request element.`,
        '@param options Per-call options: abort signal, timeout, extra headers.',
        ...returns,
        `@xsd operation ${op.name}`,
      ],
      '  ',
    ),
    method,
    inputType: T(input.name),
    inputDefault: input.shape.def.fields.every((f) => f.minOccurs === 0),
    returnType,
    returnsVoid: returnType === 'void',
    returnsResponse: response !== undefined,
    nullDefault,
    opLiteral: stringLiteral(op.name),
  };
}

/** `Remote/Services86/EMail.svc` from the WSDL address: the part an installation's base URL is joined with. */
export function servicePath(address: string | undefined, agent: string): string {
  if (!address) return `${agent}.svc`;
  let path: string;
  try {
    path = new URL(address).pathname;
  } catch {
    path = address;
  }
  const remote = path.search(/\/Remote\//i);
  return remote >= 0 ? path.slice(remote + 1) : (path.split('/').filter(Boolean).pop() ?? `${agent}.svc`);
}

export function emitClient(plan: EmitPlan, templatesDir: string, header: string): string {
  const methods = plan.operations.map((o) => methodView(plan, o));
  const first = methods[0];
  const instance = plan.agent.toLowerCase();
  return template(templatesDir, 'client.ts.hbs')({
    header,
    operationsConst: plan.operationsConst,
    agentClass: plan.agentClass,
    instance,
    classDoc: [
      ...docLines(plan.service.documentation),
      ...(plan.service.documentation ? [''] : []),
      `Typed client of the ${plan.service.name} agent (${plan.service.sourceFile}, SOAP ${plan.service.soapVersion}).`,
      'One method per operation; each takes the request element\'s content and returns the reply.',
      "Calls go to the baseUrl or endpoint option; to the WSDL's soap:address only with useWsdlAddress: true.",
      `Errors: SoExceptionError (the service reported a failure), SoapFaultError, HttpError,`,
      'TransportError (timeout, abort, network), DecodeError / EncodeError (data that does not fit the schema).',
    ],
    exampleCall: first ? `const result = await ${instance}.${first.method}(${first.inputDefault ? '' : '{ … }'});` : '',
    serviceLiteral: stringLiteral(plan.service.name),
    endpointLiteral: plan.service.address !== undefined ? stringLiteral(plan.service.address) : 'undefined',
    servicePathLiteral: stringLiteral(servicePath(plan.service.address, plan.service.name)),
    methods,
  });
}

export function emitIndex(plan: EmitPlan, templatesDir: string, header: string): string {
  return template(templatesDir, 'index.ts.hbs')({
    header,
    schemaConst: plan.schemaConst,
    operationsConst: plan.operationsConst,
    agentClass: plan.agentClass,
  });
}
