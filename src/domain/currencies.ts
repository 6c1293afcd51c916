/**
 * ISO 4217 minor-unit exponents. The source is the ISO "list one" dataset shipped by the
 * `currency-codes` package, never `Intl.NumberFormat` (CLDR, which differs from ISO for
 * HUF, IQD, IDR, COP and others). Providers that deviate from ISO get an override table.
 */
import currencyCodes from 'currency-codes';

/**
 * Codes withdrawn from ISO 4217 that providers still list (Primer's 2.4 currency enum has
 * all of these); exponents as ISO last published them.
 */
const WITHDRAWN_CODES: Readonly<Record<string, number>> = {
  BYR: 0,
  HRK: 2,
  MRO: 2,
  SLL: 2,
  STD: 2,
  VEF: 2,
  ZWL: 2,
};

/**
 * ISO codes whose minor unit is "N.A." (precious metals, SDR, testing and fund codes). The
 * dataset reports them as 0 digits, but they carry no minor unit at all, so an amount in one
 * of them cannot be read as money.
 */
const NO_MINOR_UNIT = new Set([
  'XAG', 'XAU', 'XBA', 'XBB', 'XBC', 'XBD', 'XDR', 'XPD', 'XPT', 'XSU', 'XTS', 'XUA', 'XXX',
]);

/** ISO's exponents by code, built once (the package's own lookup scans its list every time). */
const ISO_DIGITS: ReadonlyMap<string, number> = new Map(currencyCodes.data.map((record) => [record.code, record.digits]));

export type ExponentOverrides = Readonly<Record<string, number>>;

/**
 * The number of minor-unit digits of `currencyCode`, or undefined when the code is not a
 * currency with minor units. `overrides` (per provider) win over ISO.
 */
export function minorUnitExponent(currencyCode: string, overrides: ExponentOverrides = {}): number | undefined {
  if (!/^[A-Z]{3}$/.test(currencyCode)) return undefined;
  const override = overrides[currencyCode];
  if (override !== undefined) return override;
  if (NO_MINOR_UNIT.has(currencyCode)) return undefined;
  return ISO_DIGITS.get(currencyCode) ?? WITHDRAWN_CODES[currencyCode];
}
