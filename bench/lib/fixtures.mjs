// Benchmark inputs, all derived deterministically (no randomness) so every run sees the same bytes:
//  - a GetEMailEnvelopes response with N EMailEnvelope items, templated from the documented
//    response (test/golden/EMail/envelopes/GetEMailEnvelopes.response.xml) in its style: prefixes,
//    indentation and an xsi:type on every element, in a SOAP 1.1 envelope (EMail's binding is
//    basicHttpBinding, so that is what a real server sends);
//  - a Send request input of N full EMailEntity values, in our typed form and in the form
//    node-soap needs to write the same XML.
import { readGolden, SOAP11_NS } from './common.mjs';

const SOAP12_ENV = 'http://www.w3.org/2003/05/soap-envelope';
const SOAP12_ENC = 'http://www.w3.org/2003/05/soap-encoding';
const SOAP11_ENC = 'http://schemas.xmlsoap.org/soap/encoding/';

const PRIORITIES = ['NoPriority', 'Highest', 'High', 'Normal', 'Low', 'Lowest'];
const FLAG_SETS = [[], ['Seen'], ['Seen', 'Flagged'], ['Answered', 'Seen', 'Recent'], ['Draft'], ['Deleted', 'Seen']];
const SUBJECTS = [
  'Offer #{i} & terms <draft>',
  'Re: "Quarterly" review {i}',
  "Møte i Tromsø — Bjørn's agenda {i}",
  'Invoice {i}: 5 < 7 > 3 & more',
  'Fwd: 50% off — “smart quotes” {i}',
  'Plain subject {i}',
];
const NAMES = ['Anna Ås', 'Bjørn O\'Neil', 'Chloé & Co', 'Dmitri <Dima> Ivanov', 'Eve "E" Smith', 'Fredrik'];
const COMPANIES = ['Ørsted & Sønner AS', 'SuperOffice AS', 'Acme <Europe> Ltd', 'Küche "Gourmet" GmbH', 'Nordic Trading', ''];

function escapeXml(s) {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;'));
}

/** A dateTime lexical form in one of the shapes WCF writes (Z, 7 fractional digits, offset). */
function wireDate(i, salt) {
  const ms = Date.UTC(2023, 0, 1) + (i * 7919 + salt * 104729) * 1000;
  const iso = new Date(ms).toISOString(); // 2023-01-01T00:00:00.000Z
  const base = iso.slice(0, 19);
  switch ((i + salt) % 3) {
    case 0:
      return `${base}Z`;
    case 1:
      return `${base}.${String((i * 7 + salt) % 10_000_000).padStart(7, '0')}Z`;
    default:
      return `${base}+01:00`;
  }
}

/** Replaces the text of every leaf element `<p:Name xsi:type="…">text</p:Name>` via `value(name, occurrence)`. */
function fillLeaves(xml, value) {
  const seen = new Map();
  return xml.replace(/(<([\w]+:(\w+)) xsi:type="[^"]*">)([^<]*)(<\/\2>)/g, (_m, open, _qname, local, text, close) => {
    const n = seen.get(local) ?? 0;
    seen.set(local, n + 1);
    return open + (value(local, n) ?? text) + close;
  });
}

/** The element `<qname …>…</qname>` starting at the first `<qname ` in `xml` (no nesting of the same name). */
function elementText(xml, qname) {
  const start = xml.indexOf(`<${qname} `);
  const endTag = `</${qname}>`;
  const end = xml.indexOf(endTag, start);
  if (start < 0 || end < 0) throw new Error(`the documented response has no ${qname}`);
  return { start, end: end + endTag.length, text: xml.slice(start, end + endTag.length) };
}

function addressXml(template, i, k) {
  const who = NAMES[(i + k) % NAMES.length];
  const ids = [[], [i * 10 + k + 1], [i * 10 + k + 1, i * 10 + k + 2]][(i + k) % 3]; // one on average, as documented
  // Repeat the one documented `int` item of DuplicatePersonIds as often as needed.
  const dup = elementText(template, 'EMail:DuplicatePersonIds');
  const item = elementText(dup.text, 'NetServerServices862:int');
  const indent = /\n( *)<NetServerServices862:int/.exec(dup.text)?.[1] ?? '';
  const closeIndent = /\n( *)<\/EMail:DuplicatePersonIds>/.exec(dup.text)?.[1] ?? '';
  const items = ids.map((id) => item.text.replace(/>0</, `>${id}<`));
  const dupXml =
    dup.text.slice(0, dup.text.indexOf('>') + 1) +
    (items.length > 0 ? items.map((x) => `\n${indent}${x}`).join('') + `\n${closeIndent}` : '') +
    '</EMail:DuplicatePersonIds>';
  const withDup = template.slice(0, dup.start) + dupXml + template.slice(dup.end);
  return fillLeaves(withDup, (name) => {
    switch (name) {
      case 'ContactId':
        return String(1000 + ((i * 7 + k) % 5000));
      case 'ContactName':
        return escapeXml(COMPANIES[(i + 2 * k) % COMPANIES.length]);
      case 'PersonId':
        return String(20000 + i * 3 + k);
      case 'PersonName':
      case 'Name':
        return escapeXml(who);
      case 'AssociateId':
        return String((i + k) % 40);
      case 'Address':
        return escapeXml(`user.${i}.${k}@example${(i + k) % 7}.com`);
      case 'EmailId':
        return String(300000 + i * 4 + k);
      case 'int':
      case 'DuplicatePersonIds':
        return undefined; // the ids (or none), set above
      default:
        throw new Error(`unexpected EMailAddress leaf ${name}`);
    }
  });
}

/** How many To addresses item `i` has (average 1, as in the documented response). */
const TO_COUNTS = [1, 2, 1, 0];

/** Items of the decode cases' response (decode, decode-json, memory, tricks, hot-loop). */
export const DECODE_ITEMS = 1000;
/** Send request items in the encode case and the encode trick (bench/cases/trick-ab.mjs). */
export const ENCODE_ITEMS = 100;

/**
 * The GetEMailEnvelopes response with `count` varied EMailEnvelope items, in the documented
 * style with a SOAP 1.1 envelope. Also returns `expected`: a few values to check decoders by.
 */
export function buildEnvelopesResponse(count = DECODE_ITEMS) {
  const doc = readGolden('GetEMailEnvelopes.response.xml');
  const item = elementText(doc, 'EMail:EMailEnvelope');
  const head = doc.slice(0, item.start).replace(SOAP12_ENV, SOAP11_NS).replace(SOAP12_ENC, SOAP11_ENC);
  const tail = doc.slice(item.end);
  const itemIndent = /\n( *)$/.exec(head)?.[1] ?? '';

  // Split the item into: before From, From, between, To, after To.
  const from = elementText(item.text, 'EMail:From');
  const to = elementText(item.text, 'EMail:To');
  const addrInTo = elementText(to.text, 'EMail:EMailAddress');
  const toOpen = to.text.slice(0, addrInTo.start);
  const toClose = to.text.slice(addrInTo.end);
  const toInnerIndent = /\n( *)$/.exec(toOpen)?.[1] ?? '';
  const toCloseIndent = /\n( *)<\/EMail:To>$/.exec(toClose)?.[1] ?? '';

  const expected = [];
  const parts = [head];
  for (let i = 0; i < count; i++) {
    const nTo = TO_COUNTS[i % TO_COUNTS.length];
    const subject = SUBJECTS[i % SUBJECTS.length].replace('{i}', String(i));
    const flags = FLAG_SETS[i % FLAG_SETS.length];
    const sent = wireDate(i, 1);
    const fromXml = addressXml(from.text, i, 0);
    const toXml =
      nTo === 0
        ? toOpen.slice(0, toOpen.indexOf('>') + 1) + '</EMail:To>'
        : toOpen +
          Array.from({ length: nTo }, (_, k) => addressXml(addrInTo.text, i, k + 1)).join(`\n${toInnerIndent}`) +
          toClose.replace(/^\s*/, `\n${toCloseIndent}`);
    const rest = item.text.slice(0, from.start) + '\u0000FROM\u0000' + item.text.slice(from.end, to.start) + '\u0000TO\u0000' + item.text.slice(to.end);
    const filled = fillLeaves(rest, (name) => {
      switch (name) {
        case 'ServerId':
          return String(100000 + i);
        case 'MessageId':
          return escapeXml(`<${i}.${(i * 2654435761) >>> 0}@mail.example.com>`);
        case 'Subject':
          return escapeXml(subject);
        case 'Sent':
          return sent;
        case 'Priority':
          return PRIORITIES[i % PRIORITIES.length];
        case 'Flags':
          return flags.join(' ');
        case 'Size':
          return String(1024 + ((i * 7919) % 5_000_000));
        case 'DocumentId':
          return String(i % 5 === 0 ? 0 : 50000 + i);
        case 'AppointmentId':
          return String(i % 3 === 0 ? 0 : 60000 + i);
        case 'ProjectId':
          return String(i % 4);
        case 'SaleId':
          return String(i % 7 === 0 ? 70000 + i : 0);
        case 'Archived':
          return i % 2 === 0 ? 'true' : 'false';
        case 'ArchivedAt':
          return wireDate(i, 2);
        case 'ArchivedBy':
          return String(i % 40);
        case 'ArchivedDisplayName':
          return escapeXml(NAMES[(i + 3) % NAMES.length]);
        default:
          throw new Error(`unexpected EMailEnvelope leaf ${name}`);
      }
    });
    if (i > 0) parts.push(`\n${itemIndent}`);
    parts.push(filled.replace('\u0000FROM\u0000', fromXml).replace('\u0000TO\u0000', toXml));
    if (i % 97 === 0 || i === count - 1) expected.push({ i, subject, flags, sent, nTo, serverId: 100000 + i });
  }
  parts.push(tail);
  return { xml: parts.join(''), expected };
}

// ---------------------------------------------------------------------------------------------
// Send request input

function bytesOf(i, k) {
  const n = 64 + ((i * 131 + k * 977) % 960); // 64 … 1023 bytes
  const b = new Uint8Array(n);
  for (let j = 0; j < n; j++) b[j] = (j * 31 + i * 7 + k) & 0xff;
  return b;
}

function address(i, k) {
  return {
    ContactId: 1000 + ((i * 7 + k) % 5000),
    ContactName: COMPANIES[(i + 2 * k) % COMPANIES.length],
    PersonId: 20000 + i * 3 + k,
    PersonName: NAMES[(i + k) % NAMES.length],
    AssociateId: (i + k) % 40,
    Address: `user.${i}.${k}@example${(i + k) % 7}.com`,
    EmailId: 300000 + i * 4 + k,
    DuplicatePersonIds: (i + k) % 3 === 0 ? [] : [i * 10 + k + 1, i * 10 + k + 2],
    Name: NAMES[(i + k) % NAMES.length],
  };
}

function date(i, salt) {
  return new Date(Date.UTC(2023, 0, 1) + (i * 7919 + salt * 104729) * 1000 + (salt % 2) * 123);
}

function soInfo(i) {
  return {
    DocumentId: 50000 + i,
    AppointmentId: i % 3 === 0 ? 0 : 60000 + i,
    ProjectId: i % 4,
    SaleId: i % 7 === 0 ? 70000 + i : 0,
    Archived: i % 2 === 0,
    ArchivedAt: date(i, 2),
    ArchivedBy: i % 40,
    ArchivedDisplayName: NAMES[(i + 3) % NAMES.length],
  };
}

/** `count` full EMailEntity values (every element of the type set), as our typed input. */
export function buildSendInput(count = 100) {
  const emails = [];
  for (let i = 0; i < count; i++) {
    const subject = SUBJECTS[i % SUBJECTS.length].replace('{i}', String(i));
    emails.push({
      To: [address(i, 1), address(i, 2)],
      Cc: [address(i, 3)],
      Bcc: [address(i, 4)],
      Subject: subject,
      HTMLBody: `<html><body><p>Hello ${NAMES[i % NAMES.length]},</p><p>Re: ${subject} — see the attached files &amp; reply.</p>${'<p>Lorem ipsum dolor sit amet, “consectetur” adipiscing elit & sed do eiusmod.</p>'.repeat(1 + (i % 4))}</body></html>`,
      From: address(i, 0),
      Sent: date(i, 1),
      Size: 2048 + i * 17,
      Priority: PRIORITIES[i % PRIORITIES.length],
      Flags: FLAG_SETS[(i % (FLAG_SETS.length - 1)) + 1],
      MessageID: `<${i}.${(i * 2654435761) >>> 0}@mail.example.com>`,
      PlainBody: `Hello ${NAMES[i % NAMES.length]},\n\nRe: ${subject} - see the attached files & reply.\n`,
      IsSent: i % 2 === 1,
      EMailSOInfo: soInfo(i),
      ServerId: 100000 + i,
      Attachments: [0, 1].slice(0, 1 + (i % 2)).map((k) => ({
        Description: `Attachment ${k} of mail ${i}`,
        Filename: `report-${i}-${k}.pdf`,
        Size: bytesOf(i, k).length,
        Type: 'application/pdf',
        Encoding: 'base64',
        Id: `att-${i}-${k}`,
        Disposition: k === 0 ? 'attachment' : 'inline',
        Stream: bytesOf(i, k),
      })),
      CustomHeaderList: [
        { Name: 'X-Mailer', Values: ['SuperOffice CRM'] },
        { Name: 'X-Tags', Values: ['crm', `mail-${i}`, 'a&b <c>'] },
      ],
      FolderName: i % 2 === 0 ? 'Sent Items' : 'Outbox',
      EmailItemId: 400000 + i,
      AccountId: 1 + (i % 3),
      ReceivedAt: date(i, 3),
      InReplyTo: {
        ServerId: 90000 + i,
        MessageId: `<reply-${i}@mail.example.com>`,
        Subject: `Original: ${subject}`,
        From: address(i, 5),
        To: [address(i, 6)],
        Sent: date(i, 4),
        Priority: 'Normal',
        Flags: ['Seen', 'Answered'],
        Size: 777 + i,
        EMailSOInfo: soInfo(i + 1),
      },
      RepliedAt: date(i, 5),
    });
  }
  return { Emails: emails };
}

/**
 * The same Send request in the shape node-soap 1.13.0 needs to write the same XML. Converted
 * ahead of time (not timed — which favours node-soap): node-soap writes a Date as an empty
 * element and an array for an xs:list as repeated elements (test/interop/node-soap.test.ts,
 * Q1–Q2), has no base64 conversion, and wants wrapper arrays as `{ ItemName: [...] }`.
 */
export function toPeerArgs(input) {
  const conv = (key, v) => {
    if (v instanceof Date) return v.toISOString();
    if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
    if (key === 'Flags') return v.join(' ');
    if (key === 'DuplicatePersonIds') return { int: [...v] }; // node-soap's client puts these in the Arrays namespace
    if (key === 'Values') return { string: [...v] };
    if (Array.isArray(v)) {
      const itemName = { To: 'EMailAddress', Cc: 'EMailAddress', Bcc: 'EMailAddress', Emails: 'EMailEntity', Attachments: 'EMailAttachment', CustomHeaderList: 'EMailCustomHeader' }[key];
      if (!itemName) throw new Error(`no item name for array ${key}`);
      return { [itemName]: v.map((x) => conv(itemName, x)) };
    }
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, conv(k, x)]));
    return v;
  };
  return conv('', input);
}
