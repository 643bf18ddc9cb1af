// The mock server's view of a request envelope as a tree: its version, header blocks and body
// element, read before the operation is known (to dispatch on the body element). Only the mock
// and tests use it; the client reads envelopes with decode.ts.
import { DecodeError, SoapFaultError } from './errors.js';
import { CappedText, FAULT_CODE_CAP, FAULT_TEXT_CAP, SOAP11_NS, SOAP12_NS } from './envelope.js';
import type { SoapVersion } from './schema.js';
import { XmlSyntaxError } from './xml.js';
import { parseXml, type XmlElement } from './xml-tree.js';

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

function capped(text: string, cap: number, trim: boolean): string {
  const c = new CappedText(cap);
  c.add(text);
  return c.value(trim);
}

/** The SoapFaultError a Fault element (SOAP 1.1 or 1.2) describes; texts capped as by readFaultFrom. */
export function readFault(fault: XmlElement, version: SoapVersion, operation?: string): SoapFaultError {
  if (version === '1.1') {
    // SOAP 1.1 fault children are unqualified.
    const code = child(fault, '', 'faultcode');
    const reason = child(fault, '', 'faultstring');
    const detail = child(fault, '', 'detail');
    return new SoapFaultError(
      {
        code: capped(code?.text ?? '', FAULT_CODE_CAP, true),
        reason: capped(reason?.text ?? '', FAULT_TEXT_CAP, false),
        detail: detail ? capped(textContent(detail), FAULT_TEXT_CAP, true) : undefined,
      },
      operation,
    );
  }
  const codeEl = child(fault, SOAP12_NS, 'Code');
  const value = codeEl && child(codeEl, SOAP12_NS, 'Value');
  const reasonEl = child(fault, SOAP12_NS, 'Reason');
  const text = reasonEl && child(reasonEl, SOAP12_NS, 'Text');
  const detail = child(fault, SOAP12_NS, 'Detail');
  return new SoapFaultError(
    {
      code: capped(value?.text ?? '', FAULT_CODE_CAP, true),
      reason: capped(text?.text ?? '', FAULT_TEXT_CAP, false),
      detail: detail ? capped(textContent(detail), FAULT_TEXT_CAP, true) : undefined,
    },
    operation,
  );
}
