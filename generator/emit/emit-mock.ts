// mock.ts: a typed mock server of one agent for tests, over the runtime's mock-server.ts. The
// WSDL is not embedded: a test that wants `?wsdl` served passes it as the mock's `wsdl` option,
// so neither the generated folder nor a user's dist/ carries a copy of it.
import { servicePath } from './emit-client.js';
import { agentVariable, commentText, propertyKey, stringLiteral } from './identifiers.js';
import { layout } from './layout.js';
import type { EmitPlan } from './plan.js';
import { template } from './templates.js';

export function emitMock(plan: EmitPlan, header: string): string {
  const first = plan.operations[0];
  const a = plan.agent;
  const serviceLiteral = stringLiteral(plan.service.name);
  const servicePathLiteral = stringLiteral(servicePath(plan.service.address, plan.service.name));
  return template('mock.ts.hbs')({
    signature: layout('', {
      open: `export function create${a}MockServer(`,
      items: [`handlers: ${a}MockHandlers = {}`, 'options: rtm.MockServerOptions = {}'],
      close: `): ${a}MockServer {`,
    }),
    // The options object stays on one line when the call is broken, as long as it fits there.
    call: layout('  ', {
      open: 'return rtm.createMockServer(',
      items: [plan.operationsConst, 'handlers', { open: '{', items: [`service: ${serviceLiteral}`, `servicePath: ${servicePathLiteral}`], close: '}', spaced: true }, 'options'],
      close: ');',
    }),
    header,
    agent: plan.agent,
    agentClass: plan.agentClass,
    instance: agentVariable(plan.agent),
    operationsConst: plan.operationsConst,
    // In its JSDoc: as comment text.
    service: plan.labels.service,
    wsdlFile: plan.labels.source,
    soapLabel: `SOAP ${plan.service.soapVersion}`,
    exampleKey: first ? commentText(propertyKey(first.op.name)) : 'Operation',
  });
}
