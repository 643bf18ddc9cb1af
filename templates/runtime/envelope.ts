// SOAP envelopes: writing them (version from the binding) and reading a Fault as events. The
// envelope itself is read by decode.ts (the one envelope reader of the client); the mock writes
// its Faults itself (mock-server.ts writeFault).
import { SoapFaultError } from './errors.js';
import { XSD_NS, XSI_NS, type SchemaIndex, type SoapVersion } from './schema.js';
import { escapeAttribute, XML_END, XML_EOF, XML_START, XML_TEXT, type XmlReader } from './xml.js';

export const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';

/** The envelope namespace of a SOAP version. */
export function envelopeNamespace(version: SoapVersion): string {
  return version === '1.2' ? SOAP12_NS : SOAP11_NS;
}

/** A whole envelope around already-encoded header blocks and body element. */
export function writeEnvelope(index: SchemaIndex, version: SoapVersion, headerBlocks: string, body: string): string {
  let decls = `xmlns:s="${envelopeNamespace(version)}" xmlns:xsi="${XSI_NS}" xmlns:xsd="${XSD_NS}"`;
  for (const [i, ns] of index.schema.namespaces.entries()) decls += ` xmlns:${index.prefixes[i]}="${escapeAttribute(ns)}"`;
  const header = headerBlocks ? `<s:Header>${headerBlocks}</s:Header>` : '';
  return `<?xml version="1.0" encoding="utf-8"?><s:Envelope ${decls}>${header}<s:Body>${body}</s:Body></s:Envelope>`;
}

/**
 * How much of a fault's reason and detail an error keeps, in characters: a 20 MiB faultstring from
 * the network must not become a 20 MiB error message. Longer text is cut, with `... (N characters
 * in all)` after it; with the code (at most 256), a SoapFaultError's message stays under 64 KiB.
 */
const FAULT_TEXT_CAP = 32 * 1024;
const FAULT_CODE_CAP = 256;

/** Collects text up to a cap, counting what it drops. */
class CappedText {
  #kept = '';
  #total = 0;
  constructor(private readonly cap: number) {}
  add(text: string): void {
    this.#total += text.length;
    if (this.#kept.length < this.cap) this.#kept += text.slice(0, this.cap - this.#kept.length);
  }
  /** The text kept; when cut, with the cut mark and the whole length. */
  value(trim: boolean): string {
    const kept = this.#kept;
    if (this.#total <= this.cap) return trim ? kept.trim() : kept;
    return `${trim ? kept.trimStart() : kept}\u2026 (${this.#total} characters in all)`;
  }
}

/**
 * The SoapFaultError of the Fault element at the reader's start tag (SOAP 1.1 or 1.2), read as
 * events through its end tag, its texts kept up to their caps: no more memory than any response.
 */
export function readFaultFrom(r: XmlReader, version: SoapVersion, operation?: string): SoapFaultError {
  // The namespace of Fault's children: SOAP 1.1's faultcode, faultstring and detail are unqualified; SOAP 1.2's are the envelope's.
  const envNs = version === '1.2' ? SOAP12_NS : '';
  const code = new CappedText(FAULT_CODE_CAP);
  const reason = new CappedText(FAULT_TEXT_CAP);
  const detail = new CappedText(FAULT_TEXT_CAP);
  // What the text of the element open at each depth (0 = Fault) belongs to.
  const NONE = 0, CODE = 1, REASON = 2, DETAIL = 3, CODE_12 = 4, REASON_12 = 5;
  const role: number[] = [NONE];
  const kept: Record<number, CappedText | undefined> = { [CODE]: code, [REASON]: reason, [DETAIL]: detail }; // (the other roles keep no text)
  // Fault's children whose text is kept, in this order: code, reason, detail -- their names in this
  // version, what their text is, and whether one was seen (only the first of each counts).
  const names = version === '1.1' ? ['faultcode', 'faultstring', 'detail'] : ['Code', 'Reason', 'Detail'];
  const roles = version === '1.1' ? [CODE, REASON, DETAIL] : [CODE_12, REASON_12, DETAIL];
  const seen = [false, false, false];
  const DETAIL_AT = 2;
  for (let ev = r.next(); ev !== XML_EOF && (ev !== XML_END || role.length > 1); ev = r.next()) {
    if (ev === XML_START) {
      const depth = role.length; // 1: a child of Fault
      const parent = role[depth - 1] as number;
      const local = r.name.local;
      let next = parent === DETAIL ? DETAIL : NONE;
      if (depth === 1 && r.ns === envNs) {
        const i = names.indexOf(local);
        if (i >= 0 && !seen[i]) {
          seen[i] = true;
          next = roles[i]!;
        }
      } else if (depth === 2 && r.ns === SOAP12_NS && (parent === CODE_12 || parent === REASON_12)) {
        // SOAP 1.2: the first Code/Value and the first Reason/Text.
        if (parent === CODE_12 && local === 'Value') next = CODE;
        if (parent === REASON_12 && local === 'Text') next = REASON;
        if (next !== NONE) role[depth - 1] = NONE;
      }
      role.push(next);
    } else if (ev === XML_END) {
      role.pop();
    } else if (ev === XML_TEXT) {
      kept[role[role.length - 1] as number]?.add(r.text());
    }
  }
  return new SoapFaultError(
    { code: code.value(true), reason: reason.value(false), detail: seen[DETAIL_AT] ? detail.value(true) : undefined },
    operation,
  );
}
