import { describe, expect, it } from 'vitest';
import { toOptionalUtcDateTime, toUtcDateTime } from '../../src/domain/time.js';

describe('toUtcDateTime', () => {
  it('runs in a time zone far from UTC, so a local-time parse would show', () => {
    expect(new Date(2021, 1, 21).getTimezoneOffset()).not.toBe(0);
  });

  it.each([
    // Primer: zone-less, microseconds, UTC.
    ['2021-02-21T15:36:16.367687', '2021-02-21T15:36:16.367Z'],
    ['2025-01-22T13:39:18.992928', '2025-01-22T13:39:18.992Z'],
    ['2021-02-21T15:36:16', '2021-02-21T15:36:16.000Z'],
    ['2021-02-21T15:36:16.5', '2021-02-21T15:36:16.500Z'],
    // With a zone.
    ['2023-11-07T05:31:56Z', '2023-11-07T05:31:56.000Z'],
    ['2024-01-01T00:10:00.000Z', '2024-01-01T00:10:00.000Z'],
    ['2021-02-21T22:36:16+07:00', '2021-02-21T15:36:16.000Z'],
    ['2021-02-21T10:36:16.123-05:00', '2021-02-21T15:36:16.123Z'],
    ['2021-02-21T22:36:16+0700', '2021-02-21T15:36:16.000Z'],
    ['2024-02-29T23:59:59z', '2024-02-29T23:59:59.000Z'],
    ['2021-01-01T00:30:00+01:00', '2020-12-31T23:30:00.000Z'],
  ])('%s is %s', (input, output) => {
    expect(toUtcDateTime(input)).toBe(output);
  });

  it.each([
    ['2021-02-30T00:00:00'],
    ['2023-02-29T00:00:00Z'],
    ['2021-13-01T00:00:00Z'],
    ['2021-02-21T24:00:00Z'],
    ['2021-02-21'],
    ['21/02/2021 15:36'],
    ['1613921776'],
    [''],
    ['2021-02-21T15:36:16.367687 UTC'],
  ])('rejects %j', (input) => {
    expect(() => toUtcDateTime(input)).toThrow();
  });
});

describe('toOptionalUtcDateTime', () => {
  it('keeps absence as null and rejects non-strings', () => {
    expect(toOptionalUtcDateTime(null)).toBeNull();
    expect(toOptionalUtcDateTime(undefined)).toBeNull();
    expect(toOptionalUtcDateTime('2021-02-21T15:36:16')).toBe('2021-02-21T15:36:16.000Z');
    expect(() => toOptionalUtcDateTime(1613921776)).toThrow();
  });
});
