// A WSDL whose names and documentation try everything that could break the generated code; both
// test tiers of all-wsdls generate it beside the 56 Services86 WSDLs.
import { miniWsdl } from './mini-wsdl.js';

/** A WSDL whose names and documentation try everything that could break the output. */
export function hostileWsdl(): string {
  const names = ['delete', 'class', 'default', 'Date', 'Promise', 'Object', 'Error', 'rt', 'T', '1st', 'a-b', 'a.b', 'Foo', 'foo', 'Record'];
  return miniWsdl({
    portType: 'Hostile',
    schema:
      names
        .map(
          (n) =>
            `<xs:complexType name="${n}"><xs:annotation><xs:documentation>*/ throw new Error(\`\${"x"}\`); /* &lt;/script&gt;</xs:documentation></xs:annotation>` +
            `<xs:sequence><xs:element minOccurs="0" name="${n}" nillable="true" type="tns:${n === 'Foo' ? 'foo' : 'Foo'}"/>` +
            `<xs:element minOccurs="0" name="constructor" type="xs:string"/><xs:element minOccurs="0" name="__proto__" type="xs:int"/></xs:sequence></xs:complexType>`,
        )
        .join('') +
      '<xs:simpleType name="enum"><xs:restriction base="xs:string"><xs:enumeration value="it\'s"/><xs:enumeration value="a\\b"/><xs:enumeration value="*/"/></xs:restriction></xs:simpleType>',
    operations: [
      { name: 'delete', request: '<xs:element minOccurs="0" name="class" type="tns:class"/>', response: '<xs:element minOccurs="0" name="Response" type="tns:Date"/>', documentation: '*/ }); process.exit(1); ({ /*' },
      { name: 'constructor', request: '<xs:element name="x" type="tns:enum"/>' },
      { name: 'Invoke', response: '<xs:element minOccurs="0" name="Response" nillable="true" type="xs:anyType"/>' },
      { name: 'endpoint' },
    ],
  });
}

/** The code marker `commentBreakingWsdl` hides in name `n`: an assignment to `globalThis.injected<n>`. */
const breaking = (n: number) => `N*/globalThis.injected${n}=1;/*`;

/**
 * A WSDL each of whose names (definitions, elements, types, fields, enumeration values, messages,
 * parts, portType, operation, binding, service, port, address) is `N*\/globalThis.injected<n>=1;/*`:
 * text that, copied into a comment as it is, ends the comment and becomes code. Not a valid WSDL
 * (names are NCNames), but nothing on the way checks that.
 */
export function commentBreakingWsdl(): string {
  const X = breaking;
  const TNS = 'http://example.com/test';
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n` +
    `<wsdl:definitions name="${X(1)}" targetNamespace="${TNS}" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:tns="${TNS}" xmlns:xs="http://www.w3.org/2001/XMLSchema">\n` +
    `<wsdl:types><xs:schema elementFormDefault="qualified" targetNamespace="${TNS}">` +
    `<xs:element name="${X(2)}"><xs:complexType><xs:sequence><xs:element minOccurs="0" name="${X(3)}" type="tns:${X(4)}"/>` +
    `<xs:element minOccurs="0" name="e" type="tns:${X(5)}"/><xs:element minOccurs="0" name="l" type="tns:${X(9)}"/>` +
    `<xs:element minOccurs="0" name="a" type="tns:${X(10)}"/></xs:sequence></xs:complexType></xs:element>` +
    `<xs:element name="${X(6)}"><xs:complexType><xs:sequence><xs:element minOccurs="0" name="Response" type="xs:string"/></xs:sequence></xs:complexType></xs:element>` +
    `<xs:complexType name="${X(4)}"><xs:sequence><xs:element minOccurs="0" name="${X(7)}" type="xs:string"/></xs:sequence></xs:complexType>` +
    `<xs:simpleType name="${X(5)}"><xs:restriction base="xs:string"><xs:enumeration value="${X(8)}"/></xs:restriction></xs:simpleType>` +
    `<xs:simpleType name="${X(9)}"><xs:list itemType="xs:int"/></xs:simpleType>` +
    `<xs:complexType name="${X(10)}"><xs:sequence><xs:element minOccurs="0" maxOccurs="unbounded" name="${X(11)}" type="xs:int"/></xs:sequence></xs:complexType>` +
    `<xs:element name="${X(12)}" type="xs:string"/>` +
    `</xs:schema></wsdl:types>\n` +
    `<wsdl:message name="${X(13)}"><wsdl:part name="parameters" element="tns:${X(2)}"/></wsdl:message>` +
    `<wsdl:message name="${X(14)}"><wsdl:part name="parameters" element="tns:${X(6)}"/></wsdl:message>` +
    `<wsdl:message name="H"><wsdl:part name="${X(15)}" element="tns:${X(12)}"/></wsdl:message>\n` +
    `<wsdl:portType name="${X(16)}"><wsdl:operation name="${X(17)}"><wsdl:input message="tns:${X(13)}"/><wsdl:output message="tns:${X(14)}"/></wsdl:operation></wsdl:portType>\n` +
    `<wsdl:binding name="${X(18)}" type="tns:${X(16)}"><soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>` +
    `<wsdl:operation name="${X(17)}"><soap:operation soapAction="${X(19)}" style="document"/>` +
    `<wsdl:input><soap:header message="tns:H" part="${X(15)}" use="literal"/><soap:body use="literal"/></wsdl:input>` +
    `<wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation></wsdl:binding>\n` +
    `<wsdl:service name="${X(20)}"><wsdl:port name="${X(21)}" binding="tns:${X(18)}">` +
    `<soap:address location="http://127.0.0.1:8080/Remote/Services86/${X(22)}.svc"/></wsdl:port></wsdl:service>\n` +
    `</wsdl:definitions>\n`
  );
}

/**
 * The identifiers of `source` (generated TypeScript) outside comments and string literals: a small
 * scanner for what the generator writes (no regular expression literals, no `${` in templates).
 */
export function codeIdentifiers(source: string): string[] {
  const found: string[] = [];
  let i = 0;
  while (i < source.length) {
    const two = source.slice(i, i + 2);
    const ch = source[i]!;
    if (two === '//') i = nextIndex(source, '\n', i + 2);
    else if (two === '/*') i = nextIndex(source, '*/', i + 2) + 1;
    else if (ch === "'" || ch === '"' || ch === '`') {
      for (i++; i < source.length && source[i] !== ch; i++) if (source[i] === '\\') i++;
      i++;
    } else if (/[A-Za-z_$]/.test(ch)) {
      const word = /^[\w$]+/.exec(source.slice(i, i + 200))![0];
      found.push(word);
      i += word.length;
    } else i++;
  }
  return found;
}

function nextIndex(source: string, what: string, from: number): number {
  const at = source.indexOf(what, from);
  return at < 0 ? source.length : at + 1;
}
