import { apiTokenProjection } from '../modules/access/api-token/api-token.projection';
import { fundsProjection } from '../modules/funds/fund/fund.projection';
import { movementsProjection } from '../modules/funds/movement/movement.projection';
import { balancesProjection } from '../modules/ledger/balances/balances.projection';
import { improvementsProjection } from '../modules/land-trust/improvements/improvements.projection';
import { propertiesProjection } from '../modules/land-trust/properties/properties.projection';
import { lendingProjection } from '../modules/lending/lending.projection';
import { sustainersProjection } from '../modules/sustainers/sustainers.projection';
import type { Projection } from './projection';

/**
 * Every read model of the service. The app and `ledger replay` both build from this one list,
 * so a replay rebuilds exactly what the service serves.
 */
export const ALL_PROJECTIONS: readonly Projection[] = [apiTokenProjection, fundsProjection, movementsProjection, balancesProjection, sustainersProjection, propertiesProjection, improvementsProjection, lendingProjection];
