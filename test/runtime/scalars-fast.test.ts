// parseScalarAt (the decoder's fast path for strings, booleans, integers and dateTime,
// read straight from the document) must agree with parseScalar wherever it answers: the same
// value, and never a value where parseScalar refuses the text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fastScalarCode, parseScalar, parseScalarAt } from '../../templates/runtime/scalars.js';
import type { ScalarKind } from '../../templates/runtime/schema.js';

const FAST: ScalarKind[] = ['string', 'boolean', 'dateTime', 'byte', 'short', 'int', 'long', 'unsignedByte', 'unsignedShort', 'unsignedInt', 'unsignedLong'];

/** Checks the agreement for `text`, placed inside other text to exercise the offsets; returns whether the fast path answered. */
function agree(kind: ScalarKind, text: string): boolean {
  const code = fastScalarCode(kind);
  assert.ok(code > 0, kind);
  const src = `<x>${text}</x>`;
  const fast = parseScalarAt(code, src, 3, 3 + text.length);
  if (fast === undefined) return false;
  let slow: unknown;
  try {
    slow = parseScalar(kind, text);
  } catch (err) {
    assert.fail(`${kind} ${JSON.stringify(text)}: the fast path gives ${String(fast)}, parseScalar refuses it (${(err as Error).message})`);
  }
  assert.deepStrictEqual(fast, slow, `${kind} ${JSON.stringify(text)}`);
  return true;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

describe('parseScalarAt agrees with parseScalar', () => {
  it('has no fast path for the other kinds', () => {
    for (const kind of ['float', 'double', 'decimal', 'duration', 'base64Binary', 'anyURI', 'QName', 'char'] as ScalarKind[]) {
      assert.equal(fastScalarCode(kind), 0, kind);
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
