import { EventDefinition, S } from '../../shared/event-schema';

/** The stream every seal and key rotation is appended to: one chain of seals. */
export const SEAL_STREAM = 'ledger-seals';
export const LOG_SEALED = 'LogSealed';
export const SEAL_KEY_ROTATED = 'SealKeyRotated';

const SIGNATURE = { type: 'string', pattern: '^[A-Za-z0-9+/]{86}==$' };
const SIZE = { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER };

/** The seals' events, in the ledger's catalogue (src/composition.ts LEDGER_EVENTS). */
export const SEAL_EVENTS: readonly EventDefinition[] = [
  {
    type: LOG_SEALED,
    schemaVersion: 1,
    data: S.object({
      treeSize: SIZE,
      rootHash: S.sha256,
      lastPosition: SIZE,
      sealedAt: S.instant,
      previousSeal: {
        oneOf: [{ type: 'null' }, S.object({ treeSize: SIZE, rootHash: S.sha256 })],
      },
      keyId: S.sha256,
      signature: SIGNATURE,
    }),
  },
  {
    type: SEAL_KEY_ROTATED,
    schemaVersion: 1,
    data: S.object({
      oldKeyId: S.sha256,
      newKeyId: S.sha256,
      newPublicKey: { type: 'string', minLength: 40, maxLength: 200, pattern: '^-----BEGIN PUBLIC KEY-----\\n[A-Za-z0-9+/=\\n]+-----END PUBLIC KEY-----\\n$' },
      rotatedAt: S.instant,
      oldKeySignature: SIGNATURE,
      newKeySignature: SIGNATURE,
    }),
  },
];
