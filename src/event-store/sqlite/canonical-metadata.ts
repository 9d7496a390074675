import { canonicalJson } from '../../shared/canonical-json';
import { EventMetadata } from '../envelope';

/** The keys EventMetadata may have, in canonical (UTF-16 code unit) order. */
const METADATA_KEYS = ['actorId', 'actorRole', 'causationId', 'correlationId', 'idempotencyKey'] as const;

/**
 * canonicalJson of normalised metadata (a plain object of its own), written out directly when it
 * has only the known string fields, which is every command's; anything else (a caller's extra
 * field) takes the general path. Saves sorting the keys of one object per append.
 */
export function canonicalMetadata(metadata: EventMetadata): string {
  let text = '';
  let fields = 0;
  for (const key of METADATA_KEYS) {
    const value = metadata[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') return canonicalJson(metadata);
    text += `${fields++ === 0 ? '{' : ','}"${key}":${JSON.stringify(value)}`;
  }
  return fields > 0 && fields === Object.keys(metadata).length ? `${text}}` : canonicalJson(metadata);
}
