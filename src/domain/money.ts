/**
 * Exact money arithmetic on strings and integers: no floats anywhere.
 */
import type { Money } from './payment.js';

export class MoneyError extends Error {
  override readonly name = 'MoneyError';
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Parses a non-negative major-unit decimal string ("1000.00", "500", "1.234") into minor units.
 * Fraction digits beyond the exponent are accepted only when they are zeros ("500.00" JPY).
 */
export function decimalToMinorUnits(decimal: string, exponent: number): number {
  const match = DECIMAL.exec(decimal);
  if (!match) throw new MoneyError('amount is not a non-negative decimal string');
  const whole = match[1] ?? '0';
  let fraction = match[2] ?? '';
  if (fraction.length > exponent) {
    if (!/^0*$/.test(fraction.slice(exponent))) {
      throw new MoneyError(`amount has more than ${exponent} fraction digits`);
    }
    fraction = fraction.slice(0, exponent);
  }
  const minor = BigInt(whole + fraction.padEnd(exponent, '0'));
  if (minor > MAX_SAFE) throw new MoneyError('amount exceeds 2^53-1 minor units');
  return Number(minor);
}

/** Formats minor units as a major-unit decimal string with exactly `exponent` fraction digits. */
export function minorUnitsToDecimal(minorUnits: number, exponent: number): string {
  if (!Number.isSafeInteger(minorUnits) || minorUnits < 0) {
    throw new MoneyError('minor units must be a non-negative safe integer');
  }
  if (exponent === 0) return String(minorUnits);
  const digits = String(minorUnits).padStart(exponent + 1, '0');
  return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** Builds Money from a provider's minor-unit integer (already JSON-parsed). */
export function moneyFromMinorUnits(minorUnits: unknown, currencyCode: string, exponent: number): Money {
  if (typeof minorUnits !== 'number' || !Number.isInteger(minorUnits)) {
    throw new MoneyError('amount is not an integer');
  }
  // JSON.parse rounds integers beyond 2^53-1 to a neighbour that is no longer a safe integer,
  // so this check also catches precision already lost while parsing.
  if (!Number.isSafeInteger(minorUnits)) throw new MoneyError('amount exceeds 2^53-1 minor units');
  if (minorUnits < 0) throw new MoneyError('amount is negative');
  return { amount: minorUnitsToDecimal(minorUnits, exponent), currencyCode, minorUnits };
}

/** Builds Money from a provider's major-unit decimal string. */
export function moneyFromDecimal(decimal: unknown, currencyCode: string, exponent: number): Money {
  if (typeof decimal !== 'string') throw new MoneyError('amount is not a decimal string');
  const minorUnits = decimalToMinorUnits(decimal, exponent);
  return { amount: minorUnitsToDecimal(minorUnits, exponent), currencyCode, minorUnits };
}
