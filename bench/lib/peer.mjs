// node-soap (the `soap` dev dependency) set up the way the benchmark compares it: a client built
// from EMail.wsdl whose HTTP client only records the request. node-soap's `_invoke` builds the
// whole envelope synchronously and then hands it to `httpClient.request(url, body, callback, …)`;
// our stand-in keeps the body and never answers, so a call measures exactly "args → envelope
// string" with no network, no socket and no response parsing.
import { emailWsdl, REQUEST_HEADERS, requireFromRoot, TNS } from './common.mjs';

/** A recording stand-in for node-soap's HttpClient. `last` is the last request body. */
class CaptureHttpClient {
  constructor() {
    this.last = undefined;
    this.count = 0;
  }
  request(_url, data) {
    this.last = data;
    this.count++;
    return undefined;
  }
}

const PEER_ENDPOINT = 'http://127.0.0.1:9/Remote/Services86/EMail.svc';

/** createClientAsync on EMail.wsdl with the recording HTTP client and the standard headers. */
export async function createPeerClient(soap = requireFromRoot('soap')) {
  const httpClient = new CaptureHttpClient();
  const client = await soap.createClientAsync(emailWsdl, { httpClient, endpoint: PEER_ENDPOINT });
  addPeerHeaders(client);
  return { client, httpClient };
}

/** The SOAP headers SuperOffice wants (application token, ticket), as node-soap header objects. */
function addPeerHeaders(client) {
  client.addSoapHeader({ ApplicationToken: REQUEST_HEADERS.ApplicationToken }, '', 'tns', TNS);
  client.addSoapHeader({ Credentials: { Ticket: REQUEST_HEADERS.Credentials.Ticket } }, '', 'tns', TNS);
}

/** Calls `client[op](args)`; returns the request envelope node-soap built (synchronously). */
export function peerRequest(client, httpClient, op, args) {
  const before = httpClient.count;
  client[op](args, noop);
  if (httpClient.count !== before + 1) throw new Error(`node-soap did not build the ${op} request synchronously`);
  return httpClient.last;
}

function noop() {}
