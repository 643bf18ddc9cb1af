// mock.ts: a typed mock server of one agent for tests, over the runtime's mock-server.ts. The
// WSDL text is embedded (as one string literal) so the mock can serve `?wsdl` without reading
// files; it lives only in mock.ts, which index.ts does not export, so clients never carry it.
import { servicePath } from './emit-client.js';
import { propertyKey, stringLiteral } from './identifiers.js';
import type { EmitPlan } from './plan.js';
import { template } from './templates.js';

/**
 * A single-quoted string literal for arbitrary text: besides what `stringLiteral` escapes, control
 * characters and lone surrogates are written as `\uXXXX`, so the file is valid UTF-8 and the
 * literal holds exactly the text.
 */
export function textLiteral(text: string): string {
  return stringLiteral(text).replace(
    /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function emitMock(plan: EmitPlan, templatesDir: string, header: string, wsdlText: string | undefined): string {
  const first = plan.operations[0];
  return template(templatesDir, 'mock.ts.hbs')({
    header,
    agent: plan.agent,
    agentClass: plan.agentClass,
    instance: plan.agent.toLowerCase(),
    operationsConst: plan.operationsConst,
    service: plan.service.name,
    wsdlFile: plan.service.sourceFile,
    soapLabel: `SOAP ${plan.service.soapVersion}`,
    exampleKey: first ? propertyKey(first.op.name) : 'Operation',
    serviceLiteral: stringLiteral(plan.service.name),
    servicePathLiteral: stringLiteral(servicePath(plan.service.address, plan.service.name)),
    wsdlLiteral: wsdlText !== undefined ? textLiteral(wsdlText) : '',
  });
}
