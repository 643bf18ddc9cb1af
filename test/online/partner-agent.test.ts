// The runtime's PartnerSystemUserService client is this generator's own output: the committed
// templates/runtime/partner-system-user-service.ts must equal what
// `node scripts/partner-system-user-agent.mjs` assembles from a fresh generation of the WSDL.
// When it fails: run that command and commit the module.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../support/paths.js';

test('partner-system-user-service.ts is up to date with the generator output for PartnerSystemUserService.wsdl', async () => {
  const script = (await import(pathToFileURL(join(repoRoot, 'scripts', 'partner-system-user-agent.mjs')).href)) as {
    generateModule(): Promise<string>;
    modulePath: string;
  };
  const fresh = await script.generateModule();
  assert.match(fresh, /export class IPartnerSystemUserServiceAgent extends SoapAgent</);
  // The SOAPAction is the factory's base plus the operation name (WCF's convention).
  assert.match(fresh, /operationFactory\(\s*IPartnerSystemUserServiceSchema,\s*'1\.1',\s*'http:\/\/www\.superoffice\.com\/superid\/partnersystemuser\/0\.1\/IPartnerSystemUserService\/',\s*\{ input: psuRequestHeaders, output: \[\] \},?\s*\)/);
  // Its types are named once, and its name is given as it is not its request element's.
  assert.match(fresh, /^ {2}Authenticate: Codec<PartnerSystemUserAuthenticateRequest, PartnerSystemUserAuthenticationResponse, PartnerSystemUserAuthenticationResponse>;$/m);
  assert.match(fresh, /Authenticate: psuOperation\(\s*'AuthenticationRequest 0 AuthenticateRequest',[^)]*\{ name: 'Authenticate' \},\s*\),/);
  assert.equal(readFileSync(script.modulePath, 'utf8'), fresh, 'run `node scripts/partner-system-user-agent.mjs` and commit the module');
});
