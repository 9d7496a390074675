import { v7 as uuidv7, validate, version } from 'uuid';

/** Time-ordered identifiers (UUIDv7, RFC 9562): they sort by creation, which keeps indexes tight. */
export function newId(): string {
  return uuidv7();
}

export function isUuid(value: string): boolean {
  return validate(value) && version(value) >= 1;
}
