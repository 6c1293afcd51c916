import { Kind, parseValue } from 'graphql';
import { describe, expect, it } from 'vitest';
import { toUtcDateTime } from '../../src/domain/time.js';
import { DateTimeScalar, DecimalScalar, JSONScalar, SafeIntScalar } from '../../src/graphql/scalars.js';

describe('SafeInt', () => {
  it('serializes integers beyond 32 bits', () => {
    expect(SafeIntScalar.serialize(450000000000)).toBe(450000000000);
    expect(SafeIntScalar.serialize(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each([[2 ** 53], [1.5], ['12'], [Number.NaN]])('refuses to serialize %s', (value) => {
    expect(() => SafeIntScalar.serialize(value)).toThrow();
  });

  it('parses literals exactly and refuses those beyond 2^53-1', () => {
    expect(SafeIntScalar.parseLiteral(parseValue('9007199254740991'))).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => SafeIntScalar.parseLiteral(parseValue('9007199254740992'))).toThrow('from -(2^53 - 1) to 2^53 - 1');
    expect(() => SafeIntScalar.parseLiteral(parseValue('1.0'))).toThrow();
    expect(SafeIntScalar.parseValue(-42)).toBe(-42);
  });
});

describe('Decimal', () => {
  it.each([['1000.00'], ['500'], ['1.234'], ['0'], ['-1.5']])('accepts %s', (value) => {
    expect(DecimalScalar.serialize(value)).toBe(value);
    expect(DecimalScalar.parseValue(value)).toBe(value);
  });

  it.each([[12.34], ['1e3'], ['01.0'], ['1.'], ['']])('refuses %j', (value) => {
    expect(() => DecimalScalar.parseValue(value)).toThrow();
  });

  it('is a string literal, never a float literal', () => {
    expect(() => DecimalScalar.parseLiteral(parseValue('12.34'))).toThrow();
    expect(DecimalScalar.parseLiteral(parseValue('"12.34"'))).toBe('12.34');
  });
});

describe('DateTime', () => {
  it('always serializes UTC with Z', () => {
    expect(DateTimeScalar.serialize('2024-01-01T00:10:00.000Z')).toBe('2024-01-01T00:10:00.000Z');
  });

  it.each([
    ['2024-02-29T23:59:59.999Z', '2024-02-29T23:59:59.999Z'],
    ['2024-01-01T00:10:00Z', '2024-01-01T00:10:00.000Z'],
    ['2024-01-01T01:10:00.123456+01:00', '2024-01-01T00:10:00.123Z'],
    ['2021-02-21T15:36:16.367687', '2021-02-21T15:36:16.367Z'],
    ['2024-01-01t00:10:00.000z', '2024-01-01T00:10:00.000Z'],
  ])('serializes %s as toUtcDateTime does: %s', (value, expected) => {
    expect(DateTimeScalar.serialize(value)).toBe(expected);
    expect(DateTimeScalar.serialize(value)).toBe(toUtcDateTime(value));
  });

  it.each([['2021-02-30T00:00:00.000Z'], ['2021-04-31T00:00:00.000Z'], ['2021-13-01T00:00:00.000Z'], ['2021-01-01T24:00:00.000Z'], ['yesterday']])(
    'refuses to serialize the impossible %s, already in canonical shape or not',
    (value) => {
      expect(() => DateTimeScalar.serialize(value)).toThrow();
    },
  );

  it('passes a canonical value on exactly when Date would round-trip it, and refuses the rest', () => {
    // Every month's last days and the day after, across leap rules (1900, 2000, 2024, year 0).
    for (const year of ['0000', '1900', '2000', '2023', '2024', '9999']) {
      for (let month = 0; month <= 13; month += 1) {
        for (const day of [0, 1, 28, 29, 30, 31, 32]) {
          for (const time of ['00:00:00.000', '23:59:59.999', '24:00:00.000', '12:60:00.000', '12:00:60.000']) {
            const value = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T${time}Z`;
            const ms = Date.parse(value);
            if (!Number.isNaN(ms) && new Date(ms).toISOString() === value) expect(DateTimeScalar.serialize(value)).toBe(value);
            else expect(() => DateTimeScalar.serialize(value), value).toThrow();
          }
        }
      }
    }
  });

  it('passes nothing on unchanged that differs from the canonical shape in any one character', () => {
    const canonical = '2024-02-29T23:59:59.999Z';
    expect(DateTimeScalar.serialize(canonical)).toBe(canonical);
    for (let at = 0; at < canonical.length; at += 1) {
      for (const replacement of ['x', ' ', '/', ':', '-', '.', '٣', 'z', 't']) {
        const value = canonical.slice(0, at) + replacement + canonical.slice(at + 1);
        if (value === canonical) continue;
        let serialized: unknown;
        try {
          serialized = DateTimeScalar.serialize(value);
        } catch {
          continue;
        }
        // Either refused, or normalized into the canonical form (a lower-case t or z).
        expect(serialized, value).toBe(toUtcDateTime(value));
        expect(serialized, value).not.toBe(value);
      }
    }
    for (const value of [canonical.slice(0, -1), `${canonical} `, `+${canonical}`, '+012024-02-29T23:59:59.999Z']) {
      let serialized: unknown = null;
      try {
        serialized = DateTimeScalar.serialize(value);
      } catch {
        // refused
      }
      expect(serialized, value).not.toBe(value);
    }
  });

  it('accepts input only with a zone', () => {
    expect(DateTimeScalar.parseValue('2024-01-01T07:10:00+07:00')).toBe('2024-01-01T00:10:00.000Z');
    expect(() => DateTimeScalar.parseValue('2024-01-01T07:10:00')).toThrow('time zone');
    expect(() => DateTimeScalar.parseLiteral({ kind: Kind.INT, value: '1' })).toThrow();
  });
});

describe('JSON', () => {
  it('passes values through and reads literals', () => {
    expect(JSONScalar.serialize({ a: [1, 'b', null] })).toEqual({ a: [1, 'b', null] });
    expect(JSONScalar.parseLiteral(parseValue('{a: [1, "b", null, true], c: {d: 2.5}}'))).toEqual({ a: [1, 'b', null, true], c: { d: 2.5 } });
  });
});
