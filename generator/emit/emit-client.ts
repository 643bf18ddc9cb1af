// operations.ts, client.ts and index.ts: fixed scaffolding filled from the plan through the
// handlebars templates in templates/. The view models below hold every decision; what may not fit
// on a line (a call, a signature, an export list) they describe as a List, which layout.ts lays out
// at the indentation given here, and the templates insert it at the start of a line.
import { GenerateError } from '../errors.js';
import { qnameKey, type ElementField, type MessagePart, type Operation, type OperationMessage } from '../model/types.js';
import { compareCodeUnits } from '../code-units.js';
import { enumValueNames, fieldLine } from './emit-metadata.js';
import { agentVariable, docLines, jsDocBlock, propertyKey, stringLiteral } from './identifiers.js';
import { layout, type List } from './layout.js';
import { restBinding } from './rest-binding.js';
import { SHARED_FOLDER, type EmitPlan, type PlannedOperation, type PlannedType } from './plan.js';
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
  return fieldLine(plan, { name: el.name.local, ns: el.name.ns, type: el.type, minOccurs: 1, maxOccurs: 1, nillable: false }, typeName);
}

/** A named list of header descriptors, defined once in operations.ts and shared by the operations using it. */
interface HeaderSet {
  readonly name: string;
  readonly doc: string;
  readonly fields: readonly string[];
}

/** The descriptor of a header block: a function of its element alone. */
function headerField(plan: EmitPlan, elementKey: string): string {
  const el = plan.service.elements.get(elementKey)!;
  return fieldLine(plan, { name: el.name.local, ns: el.name.ns, type: el.type, minOccurs: 0, maxOccurs: 1, nillable: el.nillable });
}

/** The name most often given (the first of equals): an agent's usual header list. */
function mostCommon(names: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  let best: string | undefined;
  for (const [n, c] of counts) if (best === undefined || c > counts.get(best)!) best = n;
  return best;
}

export function emitOperations(plan: EmitPlan, header: string): string {
  // Header descriptor lists, each defined once: usually one for requests and one for responses.
  const sets = new Map<string, HeaderSet>();
  const counts = { request: 0, response: 0 };
  // Every operation has header messages of its own, but they name the same few header elements
  // (ApplicationToken, Credentials, …): each element's descriptor is worked out once per agent, not
  // once per operation (56 Services86 WSDLs: 10,217 header parts, 335 distinct elements).
  const fieldsByElement = new Map<string, string>();
  const headerFieldOf = (part: MessagePart): string => {
    const key = qnameKey(part.element);
    let field = fieldsByElement.get(key);
    if (field === undefined) fieldsByElement.set(key, (field = headerField(plan, key)));
    return field;
  };
  const headerSet = (direction: 'request' | 'response', parts: readonly MessagePart[]): string => {
    if (parts.length === 0) return '[]';
    const fields = parts.map(headerFieldOf);
    const key = `${direction}:${fields.join('\n')}`;
    let set = sets.get(key);
    if (!set) {
      const n = ++counts[direction];
      const names = parts.map((p) => p.name).join(', ');
      set = {
        name: `${direction}Headers${n === 1 ? '' : n}`,
        doc: jsDocBlock([`SOAP header blocks of ${plan.agent} ${direction}s (${names}), shared by the operations below.`], '', { compact: true }),
        fields,
      };
      sets.set(key, set);
    }
    return set.name;
  };
  // WCF's SOAPAction is `{namespace}/{portType}/{operation}`: the factory is given that base once,
  // and only an operation whose action differs from it spells its action out. The same for the
  // header lists: the factory is given the usual ones, an operation names only others.
  const actionBase = commonActionBase(plan.operations.map(({ op }) => op));
  const inputHeaders = plan.operations.map(({ op }) => headerSet('request', op.input.headers));
  const outputHeaders = plan.operations.map(({ op }) => (op.output ? headerSet('response', op.output.headers) : undefined));
  const defaultInput = mostCommon(inputHeaders) ?? '[]';
  const defaultOutput = mostCommon(outputHeaders.filter((h) => h !== undefined)) ?? '[]';
  const operations = plan.operations.map((planned, i) => {
    const { op } = planned;
    const input = bodyType(plan, op, op.input);
    const output = op.output ? bodyType(plan, op, op.output) : undefined;
    const rest = restBinding(op.name, input.shape.def);
    const { resultType, returns } = methodResult(plan, planned);
    const key = propertyKey(op.name);
    const types = [T(input.name), output ? T(output.name) : 'undefined', resultType];
    // The runtime names an operation as its request element unless told otherwise (WCF's convention).
    const extras = [
      ...(op.name === op.input.body.local ? [] : [`name: ${stringLiteral(op.name)}`]),
      ...(op.soapAction === actionBase + op.name ? [] : [`soapAction: ${stringLiteral(op.soapAction)}`]),
      ...(inputHeaders[i] === defaultInput ? [] : [`inputHeaders: ${inputHeaders[i]}`]),
      ...(outputHeaders[i] === undefined || outputHeaders[i] === defaultOutput ? [] : [`outputHeaders: ${outputHeaders[i]}`]),
      ...(rest.query.length > 0 ? [`query: [${rest.query.map(stringLiteral).join(', ')}]`] : []),
      ...(rest.entity === undefined ? [] : [`entity: ${stringLiteral(rest.entity)}`]),
    ];
    const type: List = { open: `${key}: Codec<`, items: types, close: '>;', trailingComma: false };
    // One argument per line, always: the operations read as a table.
    const value: List = {
      open: `${key}: operation(`,
      items: [
        bodyCall(plan, op.input, input.name),
        op.output && output ? bodyCall(plan, op.output, output.name) : 'undefined',
        stringLiteral(returns),
        ...(extras.length > 0 ? [{ open: '{', items: extras, close: '}', spaced: true }] : []),
      ],
      close: '),',
      broken: true,
    };
    return { type: layout('  ', type), value: layout('  ', value) };
  });
  const headersArg = defaultInput === '[]' && defaultOutput === '[]' ? '' : `{ input: ${defaultInput}, output: ${defaultOutput} }`;
  const factoryArgs = [
    plan.schemaConst,
    `'${plan.service.soapVersion}'`,
    ...(actionBase !== '' || headersArg !== '' ? [stringLiteral(actionBase)] : []),
    ...(headersArg !== '' ? [headersArg] : []),
  ];
  // The object's type, named once: what a declaration file states of it (isolatedDeclarations
  // cannot infer a property's type from a call), and its codecs' types (the factory's are untyped).
  // An object type, not an interface: SoapAgent and the mock take a Record<string, codec>, which an
  // interface (no implicit index signature) does not satisfy.
  const codecsType = `${plan.agent}OperationCodecs`;
  return template('operations.ts.hbs')({
    header,
    agent: plan.agent,
    agentClass: plan.agentClass,
    schemaConst: plan.schemaConst,
    operationsConst: plan.operationsConst,
    codecsType,
    codecAlias: layout('', {
      open: 'type Codec<I, O, R> = ri.OperationCodec<',
      items: ['I', 'O', `T.${plan.requestHeadersType}`, `T.${plan.responseHeadersType}`, 'R'],
      close: '>;',
      trailingComma: false,
    }),
    soapLabel: `SOAP ${plan.service.soapVersion}`,
    withActionBase: actionBase !== '',
    withHeaders: headersArg !== '',
    factory: layout('', { open: 'const operation = ri.operationFactory(', items: factoryArgs, close: ');' }),
    headerSets: [...sets.values()],
    operations,
  });
}

interface MethodView {
  doc: string;
  method: string;
  /** Every element of the input is optional: so is the input (`input?:`). */
  inputOptional: boolean;
  /** `  send(input: T.Send, options?: rt.CallOptions): Promise<…> {`, laid out. */
  signature: string;
  /** The operation's WSDL name as a string literal (`'Send'`): what the method passes to `call`. */
  operationLiteral: string;
}

/**
 * What an operation's method returns, as a type and as the codec's `returns` (the runtime's
 * operation.ts): nothing; the reply's one Response element (null when absent and nillable: the
 * service sends nothing for a null Response); or the whole reply content.
 */
function methodResult(plan: EmitPlan, { op }: PlannedOperation): { resultType: string; returns: string; response: boolean } {
  const output = op.output ? bodyType(plan, op, op.output) : undefined;
  const outFields = output?.shape.def.fields ?? [];
  const response: ElementField | undefined = outFields.length === 1 && outFields[0]!.name === 'Response' ? outFields[0] : undefined;
  if (!output || outFields.length === 0) return { resultType: 'void', returns: 'nothing', response: false };
  if (!response) return { resultType: T(output.name), returns: 'output', response: false };
  const t = fieldExpression(plan, response, T);
  if (response.minOccurs === 0 && response.nillable) return { resultType: t, returns: 'Response ?? null', response: true };
  return { resultType: response.minOccurs === 0 ? `${t} | undefined` : t, returns: 'Response', response: true };
}

function methodView(plan: EmitPlan, planned: PlannedOperation): MethodView {
  const { op, method } = planned;
  const input = bodyType(plan, op, op.input);
  const { resultType: returnType, response } = methodResult(plan, planned);
  const returns =
    returnType === 'void'
      ? []
      : response
        ? ['@returns The Response element of the reply.']
        : [`@returns The ${op.output!.body.local} element's content.`];
  // Every element optional: the input may be left out. `input?:`, not `input = {}`: a consumer's
  // tsc checks no default value in 1,461 methods (bench case output), and the signature a caller
  // sees is the same; the encoders (SOAP and REST) read a left-out input as {}.
  const inputOptional = input.shape.def.fields.every((f) => f.minOccurs === 0);
  return {
    doc: jsDocBlock(
      [
        ...docLines(op.documentation),
        ...(op.documentation ? [''] : []),
        // The request element is named only when it is not the operation's (`@xsd operation` below
        // names that): the same name again under 1,461 methods was 0.8 % of an output of all 56 agents.
        `@param input The content of the ${op.input.body.local === op.name ? '' : `${op.input.body.local} `}request element.`,
        // `options` (rt.CallOptions) is documented once, on its type: the same line under 1,500
        // methods was 2.7 % of an output of all 56 agents (bench case output-bytes).
        ...returns,
        `@xsd operation ${op.name}`,
      ],
      '  ',
    ),
    method,
    inputOptional,
    signature: layout('  ', {
      open: `${method}(`,
      items: [`input${inputOptional ? '?' : ''}: ${T(input.name)}`, 'options?: rt.CallOptions'],
      close: `): Promise<${returnType}> {`,
    }),
    operationLiteral: stringLiteral(op.name),
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

/** The doc examples' call of an agent's first method (`{ ... }` when its input is required); '' for an agent without operations. */
function exampleCall(first: MethodView | undefined, instance: string): string {
  return first ? `const result = await ${instance}.${first.method}(${first.inputOptional ? '' : '{ ... }'});` : '';
}

/** The session's doc example: the first method of an agent, called through the session's property for it (`so.email`). */
export function sessionExampleCall(plan: EmitPlan, property: string): string {
  const first = plan.operations[0];
  return exampleCall(first && methodView(plan, first), `so.${property}`);
}

export function emitClient(plan: EmitPlan, header: string): string {
  const methods = plan.operations.map((o) => methodView(plan, o));
  const first = methods[0];
  const instance = agentVariable(plan.agent);
  const info: List = {
    open: '{',
    items: [
      `service: ${stringLiteral(plan.service.name)}`,
      `defaultEndpoint: ${plan.service.address !== undefined ? stringLiteral(plan.service.address) : 'undefined'}`,
      `servicePath: ${stringLiteral(servicePath(plan.service.address, plan.service.name))}`,
    ],
    close: '}',
    spaced: true,
  };
  return template('client.ts.hbs')({
    header,
    // When the call does not fit, the service's facts go one per line too.
    superCall: layout('    ', { open: 'super(', items: [plan.operationsConst, info, 'options'], close: ');', breakInner: true }),
    operationsConst: plan.operationsConst,
    agentClass: plan.agentClass,
    instance,
    classDoc: [
      ...docLines(plan.service.documentation),
      ...(plan.service.documentation ? [''] : []),
      `Typed client of the ${plan.labels.service} agent (${plan.labels.source}, SOAP ${plan.service.soapVersion}).`,
      'One method per operation; each takes the request element\'s content and returns the reply.',
      "Calls go to the baseUrl or endpoint option; to the WSDL's soap:address only with useWsdlAddress: true.",
      `Errors: SoExceptionError (the service reported a failure), SoapFaultError, HttpError,`,
      'TransportError (timeout, abort, network), DecodeError / EncodeError (data that does not fit the schema).',
    ],
    exampleCall: exampleCall(first, instance),
    methods,
  });
}

export function emitIndex(plan: EmitPlan, header: string): string {
  // The enumerations' `XValues` lists live with the type constants: in the agent's metadata.ts,
  // or in shared/metadata.ts when the run shares its types.
  const shared = plan.layout === 'shared';
  const values = enumValueNames(plan.types);
  const exportList = (names: readonly string[], from: string) => layout('', { open: 'export {', items: names, close: `} from '${from}';`, spaced: true });
  const metadataExports = [exportList(shared ? [plan.schemaConst] : [plan.schemaConst, ...values], './metadata.js')];
  if (shared && values.length > 0) metadataExports.push(exportList(values, `../${SHARED_FOLDER}/metadata.js`));
  return template('index.ts.hbs')({
    header,
    metadataExports,
    operationsConst: plan.operationsConst,
    agentClass: plan.agentClass,
  });
}

/** The SOAPAction prefix most operations share as `<prefix><operation name>` ('' when none does). */
function commonActionBase(ops: readonly Operation[]): string {
  const counts = new Map<string, number>();
  for (const op of ops) {
    if (op.soapAction.endsWith(op.name)) {
      const base = op.soapAction.slice(0, op.soapAction.length - op.name.length);
      counts.set(base, (counts.get(base) ?? 0) + 1);
    }
  }
  let best = '';
  let bestCount = 0;
  for (const [base, n] of [...counts].sort(([a], [b]) => compareCodeUnits(a, b))) {
    if (n > bestCount) [best, bestCount] = [base, n];
  }
  return best;
}
