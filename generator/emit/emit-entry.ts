// <out>/index.ts: the one entry point of a generated folder. It re-exports every agent's index
// (agent classes, operations, schema types, errors; shared types are the same declarations in
// every agent, so the re-exports never clash) and declares the session class:
//   EMail.wsdl, Person.wsdl, SoPrincipal.wsdl →
//     export class SuperOfficeClient extends rt.SoapSession<'EMail' | 'Person' | 'SoPrincipal'> {
//       get email(): EMailAgent { … }  get person(): PersonAgent { … }  get soPrincipal(): SoPrincipalAgent { … }
//     }
import { compareCodeUnits } from '../code-units.js';
import { sessionExampleCall } from './emit-client.js';
import { sessionProperty, stringLiteral } from './identifiers.js';
import { layout, union } from './layout.js';
import { ENTRY_RUNTIME_TYPES, ENTRY_RUNTIME_VALUES, SESSION_CLASS, SESSION_OPTIONS, SESSION_SERVICE, type EmitPlan } from './plan.js';
import { template } from './templates.js';

/** Members of the runtime's SoapSession: an agent property must not shadow them. */
const SESSION_MEMBERS = new Set(['constructor', 'agent', 'options']);

export function emitEntry(plans: readonly EmitPlan[], header: string): string {
  const taken = new Set(SESSION_MEMBERS);
  const sorted = [...plans].sort((a, b) => compareCodeUnits(a.agent, b.agent));
  const agents = sorted.map((p) => {
    const base = sessionProperty(p.agent);
    let property = taken.has(base) ? `${base}_` : base;
    for (let i = 2; taken.has(property); i++) property = `${base}_${i}`;
    taken.add(property);
    return {
      folder: p.agent,
      agentClass: p.agentClass,
      property,
      // The getter's body: a call of two names of the WSDL, laid out like every other call.
      agentCall: layout('    ', { open: 'return this.agent(', items: [stringLiteral(p.service.name), p.agentClass], close: ');' }),
      wsdl: p.labels.source,
    };
  });
  const first = agents[0]!;
  return template('entry.ts.hbs')({
    header,
    sessionClass: SESSION_CLASS,
    sessionOptions: SESSION_OPTIONS,
    serviceType: SESSION_SERVICE,
    serviceUnion: union('', `export type ${SESSION_SERVICE} =`, sorted.map((p) => stringLiteral(p.service.name)), ';'),
    agents,
    runtimeExports: [...ENTRY_RUNTIME_VALUES, ...ENTRY_RUNTIME_TYPES.map((n) => `type ${n}`)],
    exampleCall: sessionExampleCall(sorted[0]!, first.property),
  });
}
