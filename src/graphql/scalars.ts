/**
 * The custom scalars of DESIGN §1. Each one validates what it sends and what it accepts.
 * Their descriptions are in schema/scalars.graphql.
 */
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { isRealDateTime, toUtcDateTime } from '../domain/time.js';

const invalid = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

/** The number written in `value` from `from` to `to` (ASCII digits only), or -1. */
function digitsAt(value: string, from: number, to: number): number {
  let number = 0;
  for (let at = from; at < to; at += 1) {
    const digit = value.charCodeAt(at) - 48;
    if (digit < 0 || digit > 9) return -1;
    number = number * 10 + digit;
  }
  return number;
}

/**
 * Whether `value` is exactly what toUtcDateTime would make of it: the shape of
 * Date#toISOString (YYYY-MM-DDTHH:mm:ss.sssZ) and a real date and time (no 02-30, no 24:00,
 * which Date would roll over). Checked by arithmetic on its characters: a Date.parse and
 * toISOString round trip cost every DateTime field of every answer about 10 000
 * instructions (callgrind), and a regular expression's match and its six numbers made
 * garbage on every answer.
 */
function isCanonicalUtc(value: string): boolean {
  if (value.length !== 24) return false;
  // - - T : : . Z at their places
  if (value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45 || value.charCodeAt(10) !== 84 || value.charCodeAt(13) !== 58) return false;
  if (value.charCodeAt(16) !== 58 || value.charCodeAt(19) !== 46 || value.charCodeAt(23) !== 90 || digitsAt(value, 20, 23) < 0) return false;
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 7);
  const day = digitsAt(value, 8, 10);
  const hour = digitsAt(value, 11, 13);
  const minute = digitsAt(value, 14, 16);
  const second = digitsAt(value, 17, 19);
  return year >= 0 && hour >= 0 && minute >= 0 && second >= 0 && isRealDateTime(year, month, day, hour, minute, second);
}

export const DateTimeScalar = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  serialize(value) {
    if (typeof value !== 'string') throw new GraphQLError('DateTime cannot represent a non-string value');
    // The adapters normalize every timestamp (toUtcDateTime): a value in that form is passed
    // on as it is; anything else is normalized (or refused) here.
    if (isCanonicalUtc(value)) return value;
    return toUtcDateTime(value);
  },
  parseValue(value) {
    if (typeof value !== 'string') throw invalid('DateTime must be a string');
    return parseDateTime(value);
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw invalid('DateTime must be a string');
    return parseDateTime(ast.value);
  },
});

function parseDateTime(value: string): string {
  // Input must carry its zone: a zone-less time is ambiguous coming from a caller.
  if (!/([Zz]|[+-]\d{2}:\d{2})$/.test(value)) throw invalid('DateTime must be RFC 3339 with a time zone');
  try {
    return toUtcDateTime(value);
  } catch {
    throw invalid('DateTime must be RFC 3339 with a time zone');
  }
}

const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/;

export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  serialize(value) {
    if (typeof value !== 'string' || !DECIMAL.test(value)) throw new GraphQLError('Decimal cannot represent this value');
    return value;
  },
  parseValue(value) {
    if (typeof value !== 'string' || !DECIMAL.test(value)) throw invalid('Decimal must be a decimal string such as "12.34"');
    return value;
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING || !DECIMAL.test(ast.value)) throw invalid('Decimal must be a decimal string such as "12.34"');
    return ast.value;
  },
});

function toSafeInt(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'bigint' && value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= -BigInt(Number.MAX_SAFE_INTEGER)) {
    return Number(value);
  }
  return undefined;
}

export const SafeIntScalar = new GraphQLScalarType<number, number>({
  name: 'SafeInt',
  serialize(value) {
    const int = toSafeInt(value);
    if (int === undefined) throw new GraphQLError('SafeInt cannot represent this value');
    return int;
  },
  parseValue(value) {
    const int = toSafeInt(value);
    if (int === undefined) throw invalid('SafeInt must be an integer from -(2^53 - 1) to 2^53 - 1');
    return int;
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.INT) throw invalid('SafeInt must be an integer');
    // Parse the literal's text exactly: Number() would round beyond 2^53.
    const int = toSafeInt(BigInt(ast.value));
    if (int === undefined) throw invalid('SafeInt must be an integer from -(2^53 - 1) to 2^53 - 1');
    return int;
  },
});

function literalToJson(ast: ValueNode, variables: Record<string, unknown> | null | undefined): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.ENUM:
      return ast.value;
    case Kind.LIST:
      return ast.values.map((value) => literalToJson(value, variables));
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((field) => [field.name.value, literalToJson(field.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[ast.name.value] ?? null;
  }
}

export const JSONScalar = new GraphQLScalarType<unknown, unknown>({
  name: 'JSON',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => literalToJson(ast, variables),
});
