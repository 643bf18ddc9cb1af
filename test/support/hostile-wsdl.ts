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
