import { ValidateIf } from 'class-validator';

/**
 * An optional body field: it may be left out, but when present it must pass its rules. Unlike
 * class-validator's `IsOptional`, an explicit `null` is not taken for "left out": `null` is no
 * date, text or amount, and must be refused as the bad input it is, never reach a decider.
 */
export function OptionalField(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}
