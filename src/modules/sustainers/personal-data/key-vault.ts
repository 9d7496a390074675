import type { SustainerKeyStore } from './key-store';

/**
 * Where the sustainers' data keys and the fingerprint pepper live, as the use cases see it: the
 * embedded `keys.db` of one instance (key-store.ts), or PostgreSQL shared by every instance on one
 * log (postgres-key-store.ts). Asynchronous, because the shared one is across a network.
 */
export interface SustainerKeyVault {
  /** Checks the key-encryption key against the stored keys (a KekError when they were wrapped under another). */
  open(): Promise<void>;
  pepperedFingerprint(fingerprint: string): Promise<string>;
  /** A fresh random key for a new sustainer, durable before it resolves (before the registration is appended). */
  create(sustainerId: string): Promise<Buffer>;
  /** The keys of those sustainers that still have one, in one read. */
  findMany(sustainerIds: readonly string[]): Promise<Map<string, Buffer>>;
  /**
   * Destroys the key; the person's sealed data can never be read again. `scrub` (the default, for
   * an erasure) also rewrites the storage so the key leaves its pages; an orphan key of a
   * registration that was not written sealed nothing kept and is removed with `scrub: false`.
   */
  destroy(sustainerId: string, options?: { scrub?: boolean }): Promise<void>;
  close(): Promise<void>;
}

/** The embedded keys.db behind the vault's shape (its work is synchronous and local). */
export function localKeyVault(store: SustainerKeyStore): SustainerKeyVault {
  return {
    open: async () => undefined,
    pepperedFingerprint: async (fingerprint) => store.pepperedFingerprint(fingerprint),
    create: async (sustainerId) => store.create(sustainerId),
    findMany: async (sustainerIds) => {
      const found = new Map<string, Buffer>();
      for (const id of new Set(sustainerIds)) {
        const key = store.find(id);
        if (key) found.set(id, key);
      }
      return found;
    },
    destroy: async (sustainerId, { scrub = true } = {}) => store.destroy(sustainerId, scrub),
    close: async () => store.close(),
  };
}
