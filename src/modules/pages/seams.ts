import type { Actor } from '../../shared/decider';

/**
 * The seams where other modules' data plugs into the pages. Each is an abstract class used as a
 * Nest injection token, provided in pages.module.ts by a default that shows nothing; the lead
 * wires the real source by changing that one provider line.
 */

/** A signed seal of the ledger, as the public page shows it. */
export interface SealSummary {
  /** Positions of the log the seal covers (inclusive). */
  readonly fromPosition: number;
  readonly toPosition: number;
  /** Hex Merkle root over the event hashes of the range. */
  readonly merkleRoot: string;
  /** Base64 or hex Ed25519 signature, and the public key to check it with. */
  readonly signature: string;
  readonly publicKey: string;
  readonly sealedAt: string;
  /** How to verify it, in a sentence or a command (`npm run ledger -- seals verify …`). */
  readonly howToVerify: string;
}

/** Where the latest signed seal comes from (the seals helper's service, issue 12). */
export abstract class SealSource {
  /** The latest seal, or undefined when there is none (or no seal service is wired). */
  abstract latest(): Promise<SealSummary | undefined>;
}

/** Until the seal service is wired: no seal, and the page leaves the section out. */
export class NoSealSource extends SealSource {
  async latest(): Promise<SealSummary | undefined> {
    return undefined;
  }
}

/** One part of a gift, as attributed to what it paid for (issue 13's "where did my gift go"). */
export interface GiftAllocation {
  /** What the money paid for, in words (a disbursement's payee and category, a land-trust project). */
  readonly description: string;
  readonly amountMinor: number;
  readonly currency: string;
  /** The business day it was spent, or undefined for the part not yet spent. */
  readonly spentOn?: string;
}

/** Attribution of a sustainer's gifts to spending (issue 13's accountability module). */
export abstract class AttributionSource {
  /**
   * For each of the sustainer's donations (by id), where it went; undefined when attribution is
   * not available. `viewer` is the signed-in sustainer, for the source's own visibility rules.
   */
  abstract giftsWentTo(
    viewer: Actor,
    donationIds: readonly string[],
  ): Promise<ReadonlyMap<string, readonly GiftAllocation[]> | undefined>;
}

/** Until the accountability module is wired: no attribution, and the page says so. */
export class NoAttributionSource extends AttributionSource {
  async giftsWentTo(): Promise<undefined> {
    return undefined;
  }
}
