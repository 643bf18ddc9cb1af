// parseScalar, the one parser of scalar text (templates/runtime/scalars.ts), which reads booleans,
// integers and dateTime from the characters of a text, against the parser it replaced, kept here
// as the reference: a regular expression per lexical form, then Number / Date. For every text both
// must give the same value, or refuse it with the same message.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseScalar, ScalarError } from '../../templates/runtime/scalars.js';
import type { ScalarKind } from '../../templates/runtime/schema.js';

const FAST: ScalarKind[] = ['string', 'boolean', 'dateTime', 'byte', 'short', 'int', 'long', 'unsignedByte', 'unsignedShort', 'unsignedInt', 'unsignedLong'];
const OTHERS: ScalarKind[] = ['float', 'double', 'decimal', 'duration', 'base64Binary', 'anyURI', 'QName', 'char'];

// ---- The reference: the regular-expression parser of the runtime before the two were merged ----
const RANGES: Partial<Record<ScalarKind, readonly [number, number]>> = {
  byte: [-128, 127],
  short: [-32768, 32767],
  int: [-2147483648, 2147483647],
  long: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  unsignedByte: [0, 255],
  unsignedShort: [0, 65535],
  unsignedInt: [0, 4294967295],
  unsignedLong: [0, Number.MAX_SAFE_INTEGER],
};
const INTEGER_RE = /^[+-]?\d+$/;
const DATETIME_RE = /^(-?\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)?$/;
const short = (t: string): string => (t.length > 40 ? `${t.slice(0, 40)}…` : t);

function reference(kind: ScalarKind, raw: string): unknown {
  if (kind === 'string') return raw;
  const text = raw.replace(/^[ \t\n\r]+|[ \t\n\r]+$/g, '');
  if (kind === 'boolean') {
    if (text === 'true' || text === '1') return true;
    if (text === 'false' || text === '0') return false;
    throw new ScalarError(`"${short(text)}" is not a boolean`);
  }
  if (kind === 'dateTime') {
    const m = DATETIME_RE.exec(text);
    if (!m) throw new ScalarError(`"${short(text)}" is not an xs:dateTime`);
    const [, y, mo, d, h, mi, s, frac, zone] = m;
    const [month, day, hour, minute, second] = [mo, d, h, mi, s].map(Number) as [number, number, number, number, number];
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 59) throw new ScalarError(`"${short(text)}" is not a valid date and time`);
    const date = new Date(0);
    date.setUTCFullYear(Number(y), month - 1, day);
    date.setUTCHours(hour, minute, second, frac ? Number(frac.slice(1, 4).padEnd(3, '0')) : 0); // cut to milliseconds, not rounded
    if (date.getUTCDate() !== day && hour !== 24) throw new ScalarError(`"${short(text)}" is not a valid date`);
    if (zone && zone !== 'Z') date.setTime(date.getTime() - (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60000);
    return date;
  }
  if (kind === 'char') {
    if (!INTEGER_RE.test(text)) throw new ScalarError(`"${short(text)}" is not a char code`);
    const code = Number(text);
    if (code < 0 || code > 0xffff) throw new ScalarError(`${text} is not a UTF-16 code unit`);
    return String.fromCharCode(code);
  }
  const range = RANGES[kind];
  // float, double, decimal, duration, base64Binary, anyURI, QName: their parsers were not replaced, so there is no reference.
  if (range === undefined) throw new Error(`no reference parser for xs:${kind}`);
  if (!INTEGER_RE.test(text)) throw new ScalarError(`"${short(text)}" is not an integer (xs:${kind})`);
  const n = Number(text);
  if (n < range[0] || n > range[1]) {
    const why = kind === 'long' || kind === 'unsignedLong' ? ' (beyond Number.MAX_SAFE_INTEGER a JS number loses digits)' : '';
    throw new ScalarError(`${text} is out of range for xs:${kind}${why}`);
  }
  return n === 0 ? 0 : n;
}

function outcome(parse: () => unknown): { value: unknown } | { error: string } {
  try {
    return { value: parse() };
  } catch (err) {
    assert.ok(err instanceof ScalarError, String(err));
    return { error: err.message };
  }
}

/** Checks `text` against the reference; returns whether it was accepted. */
function agree(kind: ScalarKind, text: string): boolean {
  const ours = outcome(() => parseScalar(kind, text));
  assert.deepStrictEqual(ours, outcome(() => reference(kind, text)), `${kind} ${JSON.stringify(text)}`);
  return 'value' in ours;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

describe('parseScalar: as the regular-expression parser it replaced', () => {
  it('the other kinds: char as the reference; the rest (whose parsers were not replaced) by their values', () => {
    const texts = ['', ' 1 ', '-0', '1.5e3', 'INF', 'P1D', 'AAEC', 'x:y', '65', '70000', 'é'];
    for (const t of texts) agree('char', t);
    const number = { ' 1 ': 1, '-0': -0, '1.5e3': 1500, INF: Infinity, '65': 65, '70000': 70000 };
    const text = Object.fromEntries(texts.map((t) => [t, t.trim()]));
    // What each kind accepts of `texts`, with the value; it refuses the rest with a ScalarError.
    const accepted: Record<string, Readonly<Record<string, unknown>>> = {
      float: number,
      double: number,
      decimal: { ' 1 ': 1, '-0': -0, '65': 65, '70000': 70000 },
      duration: { P1D: 'P1D' },
      base64Binary: { '': new Uint8Array([]), AAEC: new Uint8Array([0, 1, 2]) },
      anyURI: text,
      QName: text,
    };
    assert.deepEqual([...Object.keys(accepted), 'char'].sort(), [...OTHERS].sort());
    for (const [kind, values] of Object.entries(accepted)) {
      for (const t of texts) {
        const got = outcome(() => parseScalar(kind as ScalarKind, t));
        if (Object.prototype.hasOwnProperty.call(values, t)) assert.deepStrictEqual(got, { value: values[t] }, `${kind} ${JSON.stringify(t)}`);
        else assert.ok('error' in got, `${kind} ${JSON.stringify(t)} is refused`);
      }
    }
  });

  it('integers: boundaries, signs, leading zeros, 15 and 16 digits, junk', () => {
    const texts = ['0', '-0', '+0', '00', '007', '-007', '+5', '-', '+', '', ' 1', '1 ', '1.0', '1e3', '0x1', '١', '127', '128', '-128', '-129', '255', '256', '32767', '32768', '-32768', '-32769', '65535', '65536', '2147483647', '2147483648', '-2147483648', '-2147483649', '4294967295', '4294967296', '999999999999999', '1000000000000000', '9007199254740991', '-9007199254740991', '9007199254740992', '000000000000000000001', '--1', '+-1'];
    let answered = 0;
    for (const kind of FAST.slice(3)) for (const t of texts) if (agree(kind, t)) answered++;
    assert.ok(answered > 80);
  });

  it('integers: random', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FAST.slice(3)),
        fc.oneof(
          fc.integer().map(String),
          fc.bigInt({ min: -(10n ** 17n), max: 10n ** 17n }).map(String),
          fc.stringMatching(/^[+-]?[0-9]{0,17}$/),
          fc.string({ maxLength: 6 }),
        ),
        (kind, text) => void agree(kind, text),
      ),
      { numRuns: 5000, seed: 20261129 },
    );
  });

  it('booleans and strings', () => {
    for (const t of ['true', 'false', '1', '0', 'True', 'TRUE', ' true', 'true ', '', '2', 'yes', 'fals', 'truee']) agree('boolean', t);
    assert.ok(agree('boolean', 'true') && agree('boolean', '0'));
    for (const t of ['', ' a ', 'x&y', '\u{10000}']) assert.ok(agree('string', t));
  });

  it('dateTime: the shapes WCF writes, every month end, leap years, zones and fractions', () => {
    let answered = 0;
    for (const year of [100, 1900, 1970, 2000, 2023, 2024, 2100, 9999]) {
      for (let month = 1; month <= 12; month++) {
        for (const day of [1, 28, 29, 30, 31, 32]) {
          for (const time of ['00:00:00', '23:59:59', '24:00:00', '12:60:00', '12:00:60']) {
            for (const tail of ['', 'Z', '.5', '.0000001Z', '.9994+01:00', '.9995Z', '.9999999-12:30', '+14:00', '-00:00', '+99:99', 'z', '+1:00', '.Z', '.12a']) {
              if (agree('dateTime', `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${time}${tail}`)) answered++;
            }
          }
        }
      }
    }
    assert.ok(answered > 5000, `${answered}`);
    // WCF's end of a day and DateTime.MaxValue: seven fraction digits, cut to milliseconds, so the day stays.
    assert.deepEqual(parseScalar('dateTime', '9999-12-31T23:59:59.9999999'), new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999)));
    assert.deepEqual(parseScalar('dateTime', '2023-01-31T23:59:59.9996+01:00'), new Date(Date.UTC(2023, 0, 31, 22, 59, 59, 999)));
    assert.deepEqual(parseScalar('dateTime', '2023-01-31T12:00:00.0579Z'), new Date(Date.UTC(2023, 0, 31, 12, 0, 0, 57)));
    for (const t of ['0001-01-01T00:00:00', '0099-12-31T23:59:59Z', '10000-01-01T00:00:00Z', '-2023-01-01T00:00:00Z', '2023-1-01T00:00:00Z', '2023-01-01 00:00:00', ' 2023-01-01T00:00:00Z', '2023-01-01T00:00:00Z ', '2023-01-01T00:00:00', '2023-01-01T00:00']) {
      agree('dateTime', t);
    }
  });

  it('dateTime: random', () => {
    const date = fc
      .tuple(
        fc.integer({ min: 0, max: 12000 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 61 }),
        fc.integer({ min: 0, max: 61 }),
        fc.option(fc.stringMatching(/^[0-9]{1,9}$/)),
        fc.constantFrom('', 'Z', '+01:00', '-05:30', '+00:00', '-00:00', '+23:59'),
      )
      .map(([y, mo, d, h, mi, s, frac, zone]) => `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${frac === null ? '' : `.${frac}`}${zone}`);
    fc.assert(fc.property(date, (text) => void agree('dateTime', text)), { numRuns: 20000, seed: 20261129 });
  });
});
