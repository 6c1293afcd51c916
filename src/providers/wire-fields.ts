/**
 * Reading fields out of a provider's parsed JSON without trusting its shape. Failures name
 * the field, never its value, so they are safe to log.
 */
import { UnreadableResponseError } from './errors.js';

export type WireObject = Record<string, unknown>;

export function isWireObject(value: unknown): value is WireObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function requireObject(value: unknown, what: string): WireObject {
  if (!isWireObject(value)) throw new UnreadableResponseError(`${what} is not an object`);
  return value;
}

export function requireString(object: WireObject, field: string): string {
  const value = object[field];
  if (typeof value !== 'string' || value === '') throw new UnreadableResponseError(`${field} is missing or not a string`);
  return value;
}

/** An optional text field: absent, null or not a string reads as null. */
export function optionalString(object: WireObject, field: string): string | null {
  const value = object[field];
  return typeof value === 'string' ? value : null;
}

/** Runs a conversion of one field, turning any failure into UnreadableResponseError naming the field. */
export function readField<T>(field: string, convert: () => T): T {
  try {
    return convert();
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'invalid';
    throw new UnreadableResponseError(`${field}: ${reason}`);
  }
}
