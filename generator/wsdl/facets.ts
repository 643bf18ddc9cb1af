// The range facets of a restriction (xs:minInclusive, xs:maxInclusive), checked when generating:
// each must be a literal of the built-in the restriction ends at, and the minimum must not be
// above the maximum. They are not enforced at run time (README, "Types": a known gap): the one
// Services86 type that has them is WCF's ser:duration, whose bounds are .NET TimeSpan's.
//
//   <xs:restriction base="xs:int"><xs:minInclusive value="abc"/>  →  refused: not an xs:int literal
//   <xs:minInclusive value="10"/><xs:maxInclusive value="1"/>     →  refused: the minimum is above the maximum
import { GenerateError } from '../errors.js';
import type { RangeFacet, RestrictionTypeDef, XsdPrimitive } from '../model/types.js';

/** A value as compared: a number exactly (scaled), or a duration's months and seconds, or a dateTime's instant. */
type Ordered =
  | { readonly kind: 'number'; readonly value: Exact }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'duration'; readonly months: bigint; readonly seconds: Exact }
  | { readonly kind: 'dateTime'; readonly ms: number | undefined; readonly zoned: boolean };

/** A decimal number as `digits / 10^scale`, so that comparing never rounds. */
interface Exact {
  readonly digits: bigint;
  readonly scale: number;
}

/** The XSD value space of each integer built-in (XSD 1.0 Part 2 §3.3), as the facet literals must fit it. */
const INTEGER_RANGES: Partial<Record<XsdPrimitive, readonly [bigint, bigint]>> = {
  byte: [-128n, 127n],
  short: [-32768n, 32767n],
  int: [-2147483648n, 2147483647n],
  long: [-(2n ** 63n), 2n ** 63n - 1n],
  unsignedByte: [0n, 255n],
  unsignedShort: [0n, 65535n],
  unsignedInt: [0n, 2n ** 32n - 1n],
  unsignedLong: [0n, 2n ** 64n - 1n],
};

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;
const DOUBLE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const DURATION = /^(-)?P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?!$)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d*)?|\.\d+)S)?)?$/;
const DATE_TIME = /^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-](0\d|1[0-3]):[0-5]\d|[+-]14:00)?$/;

/**
 * Refuses a range facet of `def` that is not a literal of `builtin` (the built-in its chain of
 * restrictions ends at), that `builtin` has no order for, or a minimum above the maximum.
 * `what` names the type in messages (`type Percent`).
 */
export function checkRangeFacets(def: RestrictionTypeDef, builtin: XsdPrimitive, what: string): void {
  const read = (facet: RangeFacet | undefined, name: string): Ordered | undefined => {
    if (!facet) return undefined;
    const value = orderedValue(facet.value, builtin);
    if (value === 'unordered') throw new GenerateError(`xs:${name} does not apply to ${what}: its base xs:${builtin} has no order`, facet.location);
    if (value === undefined) throw new GenerateError(`xs:${name} value "${facet.value}" of ${what} is not an xs:${builtin} literal`, facet.location);
    return value;
  };
  const min = read(def.minInclusive, 'minInclusive');
  const max = read(def.maxInclusive, 'maxInclusive');
  if (min && max && certainlyAbove(min, max)) {
    throw new GenerateError(
      `xs:minInclusive value "${def.minInclusive!.value}" of ${what} is above its xs:maxInclusive value "${def.maxInclusive!.value}": no value is allowed`,
      def.minInclusive!.location,
    );
  }
}

/** `text` as a value of `builtin`; undefined when it is not a literal of it; 'unordered' for a built-in without order (xs:string …). */
function orderedValue(text: string, builtin: XsdPrimitive): Ordered | undefined | 'unordered' {
  const literal = text.trim(); // every ordered built-in collapses white space
  const range = INTEGER_RANGES[builtin];
  if (range) {
    if (!/^[+-]?\d+$/.test(literal)) return undefined;
    const n = BigInt(literal);
    return n < range[0] || n > range[1] ? undefined : { kind: 'number', value: { digits: n, scale: 0 } };
  }
  switch (builtin) {
    case 'decimal': {
      const value = exactDecimal(literal);
      return value && { kind: 'number', value };
    }
    case 'float':
    case 'double':
      if (literal === 'INF' || literal === '+INF') return { kind: 'float', value: Infinity };
      if (literal === '-INF') return { kind: 'float', value: -Infinity };
      if (literal === 'NaN') return { kind: 'float', value: NaN };
      return DOUBLE.test(literal) ? { kind: 'float', value: Number(literal) } : undefined;
    case 'duration':
      return durationValue(literal);
    case 'dateTime':
      return DATE_TIME.test(literal) ? dateTimeValue(literal) : undefined;
    default:
      return 'unordered';
  }
}

/** `-12.50` → { digits: -1250n, scale: 2 }; undefined when `text` is not an xs:decimal literal. */
function exactDecimal(text: string): Exact | undefined {
  const m = DECIMAL.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const fraction = m[3] ?? '';
  const digits = BigInt(`${m[2] || '0'}${fraction}`);
  return { digits: m[1] === '-' ? -digits : digits, scale: fraction.length };
}

function compareExact(a: Exact, b: Exact): number {
  const scale = Math.max(a.scale, b.scale);
  const x = a.digits * 10n ** BigInt(scale - a.scale);
  const y = b.digits * 10n ** BigInt(scale - b.scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A duration as months and seconds (its two independent parts), both negative for `-P…`. */
function durationValue(text: string): Ordered | undefined {
  const m = DURATION.exec(text);
  if (!m) return undefined;
  const int = (s: string | undefined) => BigInt(s ?? '0');
  const sign = m[1] === '-' ? -1n : 1n;
  const seconds = exactDecimal(m[7] ?? '0')!;
  const whole = (int(m[4]) * 86400n + int(m[5]) * 3600n + int(m[6]) * 60n) * 10n ** BigInt(seconds.scale);
  return {
    kind: 'duration',
    months: sign * (int(m[2]) * 12n + int(m[3])),
    seconds: { digits: sign * (whole + seconds.digits), scale: seconds.scale },
  };
}

/** A dateTime literal with its instant in milliseconds (a time without a zone read as UTC); undefined outside years 0001–9999. */
function dateTimeValue(text: string): Ordered {
  const zoned = /(Z|[+-]\d{2}:\d{2})$/.test(text);
  const ms = /^\d{4}-/.test(text) ? Date.parse(zoned ? text : `${text}Z`) : NaN;
  return { kind: 'dateTime', ms: Number.isNaN(ms) ? undefined : ms, zoned };
}

/**
 * True when `min` is above `max` in every reading: XSD orders durations and dateTimes only
 * partially (P1M against P30D, a time with a zone against one without), and NaN not at all; where
 * the order is not certain the facets are accepted.
 */
function certainlyAbove(min: Ordered, max: Ordered): boolean {
  if (min.kind === 'number' && max.kind === 'number') return compareExact(min.value, max.value) > 0;
  if (min.kind === 'float' && max.kind === 'float') return min.value > max.value;
  if (min.kind === 'duration' && max.kind === 'duration') {
    const seconds = compareExact(min.seconds, max.seconds);
    return (min.months > max.months && seconds >= 0) || (min.months >= max.months && seconds > 0);
  }
  if (min.kind === 'dateTime' && max.kind === 'dateTime' && min.zoned === max.zoned) {
    return min.ms !== undefined && max.ms !== undefined && min.ms > max.ms;
  }
  return false;
}
