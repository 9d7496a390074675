import type { Actor } from '../../../shared/decider';

/** What of a sustainer's personal data one reader may see. */
export interface Disclosure {
  readonly name: boolean;
  readonly contacts: boolean;
}

/**
 * The one rule for showing a person, applied wherever a sustainer appears: the sustainer view
 * and listing, the giver's name on donations, statements and `/v1/me`. A steward and the
 * sustainer themselves see the name and the contacts; anyone else (an auditor) sees the name
 * only of a sustainer who is not anonymous, and never the contacts. The amounts of anonymous
 * sustainers count everywhere; only the name is withheld. Erasure is not a matter of this rule:
 * once the key is destroyed there is nothing left to show to anyone.
 */
export function disclosureFor(viewer: Actor, sustainer: { readonly sustainerId: string; readonly anonymous: boolean }): Disclosure {
  const own = viewer.role === 'sustainer' && viewer.subject === sustainer.sustainerId;
  const trusted = own || viewer.role === 'steward';
  return { name: trusted || !sustainer.anonymous, contacts: trusted };
}
