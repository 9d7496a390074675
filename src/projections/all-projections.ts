import { apiTokenProjection } from '../modules/access/api-token/api-token.projection';
import { fundsProjection } from '../modules/funds/fund-views/fund-views.projection';
import { movementsProjection } from '../modules/funds/movement-views/movement-views.projection';
import { improvementsProjection } from '../modules/land-trust/improvements/improvements.projection';
import { propertiesProjection } from '../modules/land-trust/properties/properties.projection';
import { balancesProjection } from '../modules/ledger/balances/balances.projection';
import { cooperativesProjection } from '../modules/lending/cooperatives/cooperatives.projection';
import { labourExchangesProjection } from '../modules/lending/labour-exchanges/labour-exchanges.projection';
import { loansOfThingsProjection } from '../modules/lending/loans-of-things/loans-of-things.projection';
import { moneyLoansProjection } from '../modules/lending/money-loans/money-loans.projection';
import { donationsProjection } from '../modules/sustainers/donations/donations.projection';
import { pledgesProjection } from '../modules/sustainers/pledges/pledges.projection';
import { sustainersProjection } from '../modules/sustainers/sustainers/sustainers.projection';
import type { Projection } from './projection';

/**
 * Every read model of the service. The app and `ledger replay` both build from this one list,
 * so a replay rebuilds exactly what the service serves.
 */
export const ALL_PROJECTIONS: readonly Projection[] = [
  apiTokenProjection,
  fundsProjection,
  movementsProjection,
  balancesProjection,
  sustainersProjection,
  pledgesProjection,
  donationsProjection,
  propertiesProjection,
  improvementsProjection,
  cooperativesProjection,
  moneyLoansProjection,
  loansOfThingsProjection,
  labourExchangesProjection,
];
