// WSDLs whose names are long enough that every construct the emitters lay out (a call's arguments,
// a signature, a type's arguments, a union, an export list, an object literal, a metadata form)
// crosses the 160-character line and is written one item per line. No Services86 WSDL reaches
// some of these forms (the codec type, a long SOAPAction), so only these fixtures show them.
import { miniWsdl, TNS } from './mini-wsdl.js';

const SER_NS = 'http://schemas.microsoft.com/2003/10/Serialization/';

/** A name of `length` characters: `prefix` padded with X. */
export function longName(prefix: string, length: number): string {
  return prefix + 'X'.repeat(length - prefix.length);
}

/** The start of the types' long names: `${LONG}Kind`, `ArrayOf${LONG}`, … */
export const LONG = longName('Long', 40);
/** The operation with long type names. */
export const SEND = longName('Send', 40);
/** A type whose name fills the first line of its metadata form; EMPTY: the same without elements. */
export const NAMED = longName('Named', 60);
export const EMPTY = longName('Empty', 60);
/** The pattern of the restriction Code (its form does not fit on one line). */
export const CODE_PATTERN = '[A-Z]'.repeat(24);
/** The SOAPAction of the operation Odd, which is not `{namespace}/{name}` as the others': its codecs spell it out. */
export const ODD_ACTION = `urn:${'a'.repeat(140)}/Odd`;

function enumeration(name: string, count: number): string {
  const values = Array.from({ length: count }, (_, i) => `<xs:enumeration value="Value${i}"/>`).join('');
  return `<xs:simpleType name="${name}"><xs:restriction base="xs:string">${values}</xs:restriction></xs:simpleType>`;
}

/** A complex type of `count` optional elements `${name}0`, `${name}1`, …, extending `base` if given. */
function sequence(name: string, count: number, base?: string): string {
  const elements = Array.from({ length: count }, (_, i) => `<xs:element minOccurs="0" name="${name}${i}" nillable="true" type="xs:string"/>`).join('');
  return base
    ? `<xs:complexType name="${name}"><xs:complexContent><xs:extension base="tns:${base}"><xs:sequence>${elements}</xs:sequence></xs:extension></xs:complexContent></xs:complexType>`
    : `<xs:complexType name="${name}"><xs:sequence>${elements}</xs:sequence></xs:complexType>`;
}

function dictionary(name: string): string {
  return (
    `<xs:complexType name="${name}"><xs:annotation><xs:appinfo><IsDictionary xmlns="${SER_NS}">true</IsDictionary></xs:appinfo></xs:annotation>` +
    `<xs:sequence><xs:element minOccurs="0" maxOccurs="unbounded" name="${name}KeyValuePair"><xs:complexType><xs:sequence>` +
    `<xs:element name="Key" nillable="true" type="xs:string"/><xs:element name="Value" nillable="true" type="xs:string"/>` +
    `</xs:sequence></xs:complexType></xs:element></xs:sequence></xs:complexType>`
  );
}

/**
 * One agent named `portType` (80 characters make every form of its files break): operations Ping,
 * SEND (long type names) and Odd (ODD_ACTION); enumerations of 10 values (Kind) and of 2 (Mode,
 * Side); complex types Few (2 elements), Many (4), NAMED (1) and EMPTY (none); Derived (4 elements,
 * extending Few); an array, a dictionary and a restriction with a long pattern.
 */
export function longNamesWsdl(portType: string): string {
  const schema = [
    enumeration(`${LONG}Kind`, 10),
    enumeration(`${LONG}Mode`, 2),
    enumeration(`${LONG}Side`, 2),
    sequence('Few', 2),
    sequence('Many', 4),
    sequence('Derived', 4, 'Few'),
    sequence(NAMED, 1),
    sequence(EMPTY, 0),
    `<xs:complexType name="ArrayOf${LONG}"><xs:sequence><xs:element minOccurs="0" maxOccurs="unbounded" name="${LONG}" nillable="true" type="tns:Few"/></xs:sequence></xs:complexType>`,
    dictionary(`${LONG}Map`),
    `<xs:simpleType name="Code"><xs:restriction base="xs:string"><xs:pattern value="${CODE_PATTERN}"/></xs:restriction></xs:simpleType>`,
  ].join('');
  const text = miniWsdl({
    portType,
    schema,
    operations: [
      { name: 'Ping', request: '', response: '' },
      {
        name: SEND,
        request: '<xs:element name="To" type="xs:string"/>',
        response: `<xs:element name="Response" type="tns:Many"/><xs:element minOccurs="0" name="Kind" type="tns:${LONG}Kind"/><xs:element minOccurs="0" name="Code" type="tns:Code"/>`,
      },
      { name: 'Odd', request: '', response: '' },
    ],
  });
  return text.replace(`soapAction="${TNS}/Odd"`, `soapAction="${ODD_ACTION}"`);
}
