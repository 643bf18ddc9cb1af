// SOAP envelopes: writing them (version from the binding) and reading them (SOAP 1.1 or 1.2,
// any prefixes, header blocks in Header or — as SuperOffice's documentation shows them —
// directly under Envelope). A Fault in the body becomes a SoapFaultError.
import { DecodeError, SoapFaultError } from './errors.js';
import type { SoapVersion } from './schema.js';
import type { SchemaIndex } from './schema-index.js';
import { XSD_NS, XSI_NS } from './schema-index.js';
import { escapeAttribute, escapeText, parseXml, XmlSyntaxError, type XmlElement } from './xml.js';

export const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';

export function envelopeNamespace(version: SoapVersion): string {
  return version === '1.2' ? SOAP12_NS : SOAP11_NS;
}

/** A whole envelope around already-encoded header blocks and body element. */
export function writeEnvelope(index: SchemaIndex, version: SoapVersion, headerBlocks: string, body: string): string {
  let decls = `xmlns:s="${envelopeNamespace(version)}" xmlns:xsi="${XSI_NS}" xmlns:xsd="${XSD_NS}"`;
  index.schema.namespaces.forEach((ns, i) => {
    decls += ` xmlns:${index.prefixes[i]}="${escapeAttribute(ns)}"`;
  });
  const header = headerBlocks ? `<s:Header>${headerBlocks}</s:Header>` : '';
  return `<?xml version="1.0" encoding="utf-8"?><s:Envelope ${decls}>${header}<s:Body>${body}</s:Body></s:Envelope>`;
}

export interface FaultFields {
  /** faultcode / Code Value, as a QName string; for 1.1 use e.g. `s:Server`, for 1.2 `s:Receiver`. */
  readonly code: string;
  readonly reason: string;
  /** Plain text placed in the detail element. */
  readonly detail?: string;
}

/** A SOAP Fault envelope (used by servers and mocks). */
export function writeFault(version: SoapVersion, fault: FaultFields): string {
  const body =
    version === '1.2'
      ? `<s:Fault><s:Code><s:Value>${escapeText(fault.code)}</s:Value></s:Code><s:Reason><s:Text xml:lang="en">${escapeText(fault.reason)}</s:Text></s:Reason>${fault.detail !== undefined ? `<s:Detail>${escapeText(fault.detail)}</s:Detail>` : ''}</s:Fault>`
      : `<s:Fault><faultcode>${escapeText(fault.code)}</faultcode><faultstring>${escapeText(fault.reason)}</faultstring>${fault.detail !== undefined ? `<detail>${escapeText(fault.detail)}</detail>` : ''}</s:Fault>`;
  return `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="${envelopeNamespace(version)}"><s:Body>${body}</s:Body></s:Envelope>`;
}

export interface ParsedEnvelope {
  readonly version: SoapVersion;
  readonly envelope: XmlElement;
  /** Header blocks: children of Header, then other non-Body children of Envelope. */
  readonly headers: readonly XmlElement[];
  /** The first element in Body (a Fault has already been thrown). */
  readonly body: XmlElement;
}

/** Parses an envelope; throws DecodeError (not XML, not SOAP) or SoapFaultError. */
export function readEnvelope(xml: string, operation?: string, maxDepth?: number): ParsedEnvelope {
  let root: XmlElement;
  try {
    root = parseXml(xml, maxDepth !== undefined ? { maxDepth } : {});
  } catch (err) {
    if (err instanceof XmlSyntaxError) throw new DecodeError(`the message is not well-formed XML: ${err.message}`, '', operation);
    throw err;
  }
  const version: SoapVersion | undefined = root.ns === SOAP11_NS ? '1.1' : root.ns === SOAP12_NS ? '1.2' : undefined;
  if (root.local !== 'Envelope' || !version) {
    const what = root.local === 'Envelope' ? `an Envelope in namespace "${root.ns}"` : `<${root.local}>`;
    throw new DecodeError(`not a SOAP envelope: the root element is ${what}`, '', operation);
  }
  const headers: XmlElement[] = [];
  const direct: XmlElement[] = [];
  let body: XmlElement | undefined;
  for (const child of root.children) {
    if (child.ns === root.ns && child.local === 'Header') headers.push(...child.children);
    else if (child.ns === root.ns && child.local === 'Body') body = child;
    else direct.push(child);
  }
  if (!body) throw new DecodeError('the SOAP envelope has no Body', 'Envelope', operation);
  const first = body.children[0];
  if (!first) throw new DecodeError('the SOAP Body is empty', 'Envelope/Body', operation);
  if (first.ns === root.ns && first.local === 'Fault') throw readFault(first, version, operation);
  return { version, envelope: root, headers: [...headers, ...direct], body: first };
}

function child(el: XmlElement, ns: string, local: string): XmlElement | undefined {
  return el.children.find((c) => c.local === local && c.ns === ns);
}

function textContent(el: XmlElement): string {
  return el.children.length === 0 ? el.text : el.text + el.children.map(textContent).join('');
}

/** The SoapFaultError a Fault element (SOAP 1.1 or 1.2) describes. */
export function readFault(fault: XmlElement, version: SoapVersion, operation?: string): SoapFaultError {
  if (version === '1.1') {
    // SOAP 1.1 fault children are unqualified.
    const code = child(fault, '', 'faultcode');
    const reason = child(fault, '', 'faultstring');
    const detail = child(fault, '', 'detail');
    return new SoapFaultError(
      { code: code?.text.trim() ?? '', reason: reason?.text ?? '', detail: detail ? textContent(detail).trim() : undefined },
      operation,
    );
  }
  const codeEl = child(fault, SOAP12_NS, 'Code');
  const value = codeEl && child(codeEl, SOAP12_NS, 'Value');
  const reasonEl = child(fault, SOAP12_NS, 'Reason');
  const text = reasonEl && child(reasonEl, SOAP12_NS, 'Text');
  const detail = child(fault, SOAP12_NS, 'Detail');
  return new SoapFaultError(
    { code: value?.text.trim() ?? '', reason: text?.text ?? '', detail: detail ? textContent(detail).trim() : undefined },
    operation,
  );
}
