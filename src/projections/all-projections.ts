import { apiTokenProjection } from '../modules/access/api-token/api-token.projection';
import { fundsProjection } from '../modules/funds/fund/fund.projection';
import { movementsProjection } from '../modules/funds/movement/movement.projection';
import { balancesProjection } from '../modules/ledger/balances/balances.projection';
import { landTrustProjection } from '../modules/land-trust/land-trust.projection';
import { lendingProjection } from '../modules/lending/lending.projection';
import { donationsProjection } from '../modules/sustainers/donations/donations.projection';
import { pledgesProjection } from '../modules/sustainers/pledges/pledges.projection';
import { sustainersProjection } from '../modules/sustainers/sustainers/sustainers.projection';
import type { Projection } from './projection';

/**
 * Every read model of the service. The app and `ledger replay` both build from this one list,
 * so a replay rebuilds exactly what the service serves.
 */
export const ALL_PROJECTIONS: readonly Projection[] = [apiTokenProjection, fundsProjection, movementsProjection, balancesProjection, sustainersProjection, pledgesProjection, donationsProjection, landTrustProjection, lendingProjection];
