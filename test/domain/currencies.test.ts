import currencyCodes from 'currency-codes';
import { describe, expect, it } from 'vitest';
import { minorUnitExponent } from '../../src/domain/currencies.js';

describe('minorUnitExponent', () => {
  it.each([
    ['USD', 2],
    ['THB', 2],
    ['EUR', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['VND', 0],
    ['ISK', 0],
    ['KWD', 3],
    ['BHD', 3],
    ['IQD', 3],
    ['CLF', 4],
    // ISO and CLDR (Intl.NumberFormat) disagree on these: ISO wins.
    ['HUF', 2],
    ['IDR', 2],
    ['COP', 2],
    ['MGA', 2],
    // Withdrawn from ISO but still in Primer's currency list.
    ['HRK', 2],
    ['ZWL', 2],
    ['BYR', 0],
  ])('%s has %i minor-unit digits', (code, exponent) => {
    expect(minorUnitExponent(code)).toBe(exponent);
  });

  it("agrees with the ISO dataset's own lookup for every code it lists with a minor unit", () => {
    const noMinorUnit = ['XAG', 'XAU', 'XBA', 'XBB', 'XBC', 'XBD', 'XDR', 'XPD', 'XPT', 'XSU', 'XTS', 'XUA', 'XXX'];
    const codes = currencyCodes.codes().filter((code) => !noMinorUnit.includes(code));
    expect(codes.length).toBeGreaterThan(150);
    for (const code of codes) expect(minorUnitExponent(code), code).toBe(currencyCodes.code(code)!.digits);
    for (const code of noMinorUnit) expect(minorUnitExponent(code), code).toBeUndefined();
  });

  it('does not take exponents from Intl, which says 0 for IQD and HUF', () => {
    const intl = (code: string) => new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits;
    expect(intl('IQD')).not.toBe(minorUnitExponent('IQD'));
    expect(minorUnitExponent('IQD')).toBe(3);
  });

  it.each([['XAU'], ['XDR'], ['XXX'], ['ABC'], ['usd'], ['US'], ['']])('%j is not a currency with minor units', (code) => {
    expect(minorUnitExponent(code)).toBeUndefined();
  });

  it('lets a provider override ISO', () => {
    expect(minorUnitExponent('ISK', { ISK: 2 })).toBe(2);
    expect(minorUnitExponent('USD', { ISK: 2 })).toBe(2);
    expect(minorUnitExponent('ISK')).toBe(0);
  });
});
