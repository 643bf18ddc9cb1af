// Builds small but complete WSDL 1.1 documents around a schema snippet, in the WCF style of the
// Services86 files, so construct tests can say "this XSD in → these TS lines out".

export const TNS = 'http://example.com/test';

export interface MiniOperation {
  readonly name: string;
  /** Sequence content of the request wrapper element. */
  readonly request?: string;
  /** Sequence content of the response wrapper element. */
  readonly response?: string;
  readonly documentation?: string;
}

export interface MiniWsdlOptions {
  /** Top-level schema content (types and elements) in the service namespace. */
  readonly schema?: string;
  readonly operations?: readonly MiniOperation[];
  /** Extra xs:schema blocks, written as-is. */
  readonly extraSchemas?: string;
  readonly portType?: string;
  readonly soap12?: boolean;
}

export function miniWsdl(options: MiniWsdlOptions): string {
  const ops = options.operations ?? [{ name: 'Ping', request: '', response: '' }];
  const portType = options.portType ?? 'Test';
  const soapNs = options.soap12 ? 'http://schemas.xmlsoap.org/wsdl/soap12/' : 'http://schemas.xmlsoap.org/wsdl/soap/';
  const elements = ops
    .map(
      (op) =>
        `<xs:element name="${op.name}"><xs:complexType><xs:sequence>${op.request ?? ''}</xs:sequence></xs:complexType></xs:element>` +
        `<xs:element name="${op.name}Response"><xs:complexType><xs:sequence>${op.response ?? ''}</xs:sequence></xs:complexType></xs:element>`,
    )
    .join('');
  const messages = ops
    .map(
      (op) =>
        `<wsdl:message name="${op.name}Request"><wsdl:part name="parameters" element="tns:${op.name}"/></wsdl:message>` +
        `<wsdl:message name="${op.name}Response"><wsdl:part name="parameters" element="tns:${op.name}Response"/></wsdl:message>`,
    )
    .join('');
  const portOps = ops
    .map(
      (op) =>
        `<wsdl:operation name="${op.name}">${op.documentation !== undefined ? `<wsdl:documentation>${op.documentation}</wsdl:documentation>` : ''}` +
        `<wsdl:input message="tns:${op.name}Request"/><wsdl:output message="tns:${op.name}Response"/></wsdl:operation>`,
    )
    .join('');
  const bindingOps = ops
    .map(
      (op) =>
        `<wsdl:operation name="${op.name}"><soap:operation soapAction="${TNS}/${op.name}" style="document"/>` +
        `<wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>`,
    )
    .join('');
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n` +
    `<wsdl:definitions name="TestService" targetNamespace="${TNS}" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" ` +
    `xmlns:soap="${soapNs}" xmlns:tns="${TNS}" xmlns:xs="http://www.w3.org/2001/XMLSchema">\n` +
    `<wsdl:types><xs:schema elementFormDefault="qualified" targetNamespace="${TNS}">${elements}${options.schema ?? ''}</xs:schema>` +
    `${options.extraSchemas ?? ''}</wsdl:types>\n` +
    `${messages}\n<wsdl:portType name="${portType}">${portOps}</wsdl:portType>\n` +
    `<wsdl:binding name="Binding" type="tns:${portType}"><soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>${bindingOps}</wsdl:binding>\n` +
    `<wsdl:service name="TestService"><wsdl:port name="Port" binding="tns:Binding"><soap:address location="http://127.0.0.1:8080/Remote/Services86/Test.svc"/></wsdl:port></wsdl:service>\n` +
    `</wsdl:definitions>\n`
  );
}
