import { describe, expect, it } from 'vitest';
import { decimalToMinorUnits, minorUnitsToDecimal, moneyFromDecimal, moneyFromMinorUnits, MoneyError } from '../../src/domain/money.js';

describe('decimalToMinorUnits', () => {
  it.each([
    ['1000.00', 2, 100000],
    ['12.34', 2, 1234],
    ['0.01', 2, 1],
    ['0', 2, 0],
    ['1000', 2, 100000],
    ['12.3', 2, 1230],
    ['500', 0, 500],
    ['500.00', 0, 500],
    ['1.234', 3, 1234],
    ['0.001', 3, 1],
    ['1.2345', 4, 12345],
    ['30000000.00', 2, 3_000_000_000],
    ['45000000000.00', 2, 4_500_000_000_000],
    ['90071992547409.91', 2, Number.MAX_SAFE_INTEGER],
    ['0.1', 2, 10], // the float trap: 0.1 * 100 is 10.000000000000002
    ['1.005', 3, 1005], // 1.005 * 1000 is 1004.9999999999999 in floats
    ['007.50', 2, 750],
  ])('%s with exponent %i is %i minor units', (decimal, exponent, minor) => {
    expect(decimalToMinorUnits(decimal, exponent)).toBe(minor);
  });

  it.each([
    ['12.345', 2, 'more than 2 fraction digits'],
    ['500.5', 0, 'more than 0 fraction digits'],
    ['-1.00', 2, 'not a non-negative decimal'],
    ['1e3', 2, 'not a non-negative decimal'],
    ['12.', 2, 'not a non-negative decimal'],
    ['.5', 2, 'not a non-negative decimal'],
    ['', 2, 'not a non-negative decimal'],
    [' 1.00', 2, 'not a non-negative decimal'],
    ['1,000.00', 2, 'not a non-negative decimal'],
    ['90071992547409.92', 2, 'exceeds 2^53-1'],
    ['99999999999999999999', 0, 'exceeds 2^53-1'],
  ])('rejects %j (exponent %i): %s', (decimal, exponent, message) => {
    expect(() => decimalToMinorUnits(decimal, exponent)).toThrow(message);
  });
});

describe('minorUnitsToDecimal', () => {
  it.each([
    [100000, 2, '1000.00'],
    [1234, 2, '12.34'],
    [1, 2, '0.01'],
    [0, 2, '0.00'],
    [500, 0, '500'],
    [1234, 3, '1.234'],
    [5, 3, '0.005'],
    [12345, 4, '1.2345'],
    [450000000000, 2, '4500000000.00'],
    [Number.MAX_SAFE_INTEGER, 2, '90071992547409.91'],
  ])('%i with exponent %i is %s', (minor, exponent, decimal) => {
    expect(minorUnitsToDecimal(minor, exponent)).toBe(decimal);
  });

  it.each([[-1], [1.5], [2 ** 53], [Number.NaN]])('rejects %s', (minor) => {
    expect(() => minorUnitsToDecimal(minor, 2)).toThrow(MoneyError);
  });
});

describe('moneyFromMinorUnits', () => {
  it('carries amounts beyond 2^31 exactly', () => {
    expect(moneyFromMinorUnits(450000000000, 'IDR', 2)).toEqual({ amount: '4500000000.00', currencyCode: 'IDR', minorUnits: 450000000000 });
  });

  it('detects an integer that JSON.parse already rounded beyond 2^53-1', () => {
    const parsed = JSON.parse('{"amount": 9007199254740993}') as { amount: number };
    expect(() => moneyFromMinorUnits(parsed.amount, 'USD', 2)).toThrow('exceeds 2^53-1');
  });

  it.each([[12.5], ['1234'], [null], [-5]])('rejects %j', (value) => {
    expect(() => moneyFromMinorUnits(value, 'USD', 2)).toThrow(MoneyError);
  });
});

describe('moneyFromDecimal', () => {
  it('normalizes to the currency exponent', () => {
    expect(moneyFromDecimal('1000', 'THB', 2)).toEqual({ amount: '1000.00', currencyCode: 'THB', minorUnits: 100000 });
    expect(moneyFromDecimal('500.00', 'JPY', 0)).toEqual({ amount: '500', currencyCode: 'JPY', minorUnits: 500 });
  });

  it('rejects a number where a string is documented', () => {
    expect(() => moneyFromDecimal(1000, 'THB', 2)).toThrow('not a decimal string');
  });
});
