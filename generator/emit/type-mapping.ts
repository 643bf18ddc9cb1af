// The one table that decides which TypeScript type each XSD built-in becomes, and which runtime
// scalar codec reads and writes it. Each row's `why` is what the README's mapping table shows.
// A TS type here is a promise the runtime keeps: `Date` only because the runtime converts.
import type { XsdPrimitive } from '../model/types.js';

export interface PrimitiveMapping {
  /** The TypeScript type of values of this XSD type. */
  readonly ts: string;
  /** The runtime metadata type key (`xs:<scalar>`). */
  readonly runtime: string;
  readonly why: string;
}

const integer = (range: string): string => `integer in ${range}; out-of-range or non-integer values are an error`;

export const PRIMITIVE_MAPPING: Readonly<Record<XsdPrimitive, PrimitiveMapping>> = {
  string: { ts: 'string', runtime: 'xs:string', why: 'text as-is (XML-escaped on the wire)' },
  boolean: { ts: 'boolean', runtime: 'xs:boolean', why: '`true`/`false` (also reads `1`/`0`)' },
  byte: { ts: 'number', runtime: 'xs:byte', why: integer('[-128, 127]') },
  short: { ts: 'number', runtime: 'xs:short', why: integer('[-32768, 32767]') },
  int: { ts: 'number', runtime: 'xs:int', why: integer('[-2^31, 2^31-1]') },
  long: {
    ts: 'number',
    runtime: 'xs:long',
    why: 'integer; beyond ±2^53-1 (Number.MAX_SAFE_INTEGER) reading or writing is an error, never a silent rounding',
  },
  unsignedByte: { ts: 'number', runtime: 'xs:unsignedByte', why: integer('[0, 255]') },
  unsignedShort: { ts: 'number', runtime: 'xs:unsignedShort', why: integer('[0, 65535]') },
  unsignedInt: { ts: 'number', runtime: 'xs:unsignedInt', why: integer('[0, 2^32-1]') },
  unsignedLong: { ts: 'number', runtime: 'xs:unsignedLong', why: 'integer in [0, 2^53-1]; larger values are an error' },
  float: { ts: 'number', runtime: 'xs:float', why: 'IEEE double in JS; `INF`, `-INF`, `NaN` map to Infinity, -Infinity, NaN' },
  double: { ts: 'number', runtime: 'xs:double', why: '`INF`, `-INF`, `NaN` map to Infinity, -Infinity, NaN' },
  decimal: {
    ts: 'number',
    runtime: 'xs:decimal',
    why: 'JS number (about 15 significant digits); written without exponent',
  },
  dateTime: {
    ts: 'Date',
    runtime: 'xs:dateTime',
    why: 'converted by the runtime; written as UTC ISO 8601 (`…Z`); a value without zone is read as UTC',
  },
  duration: { ts: 'string', runtime: 'xs:duration', why: 'ISO 8601 duration text (`P1DT2H`), validated' },
  base64Binary: { ts: 'Uint8Array', runtime: 'xs:base64Binary', why: 'bytes, base64 on the wire; invalid base64 is an error' },
  anyURI: { ts: 'string', runtime: 'xs:anyURI', why: 'text as-is' },
  QName: { ts: 'string', runtime: 'xs:QName', why: 'the lexical form (`prefix:local`) as-is' },
  anyType: {
    ts: 'unknown',
    runtime: 'xs:anyType',
    why: 'any value; written with xsi:type from its JS type (string, number, boolean, Date, Uint8Array, null)',
  },
};

/**
 * WCF's serialization namespace defines `char` as a restriction of xs:int holding a UTF-16 code.
 * We expose it as a one-character string, which is what a .NET `char` is.
 */
export const MS_SERIALIZATION_NS = 'http://schemas.microsoft.com/2003/10/Serialization/';
export const CHAR_MAPPING: PrimitiveMapping = {
  ts: 'string',
  runtime: 'xs:char',
  why: 'one UTF-16 character; an int code on the wire (WCF `char`)',
};
