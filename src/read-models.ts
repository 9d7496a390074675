/**
 * Every read model the ledger builds, gathered from each module, in the order the runner applies
 * them. The composition root hands the list to the projection runner; the runner's rebuild
 * thread (src/projections/rebuild-thread.ts) loads this module by its path to build the very
 * same list there, so it imports nothing but the projections.
 */
import type { Projection } from './projections/projection';
import { attributionProjection } from './modules/accountability/attribution/attribution.projection';
import { webhookSubscriptionsProjection } from './modules/webhooks/subscriptions/subscriptions.projection';
import { generalLedgerProjection } from './modules/accounting/general-ledger/general-ledger.projection';
import { apiTokenProjection } from './modules/access/api-token/api-token.projection';
import { balancesProjection } from './modules/ledger/balances/balances.projection';
import { cooperativesProjection } from './modules/lending/cooperatives/cooperatives.projection';
import { donationsProjection } from './modules/sustainers/donations/donations.projection';
import { fundsProjection } from './modules/funds/fund-views/fund-views.projection';
import { improvementsProjection } from './modules/land-trust/improvements/improvements.projection';
import { labourExchangesProjection } from './modules/lending/labour-exchanges/labour-exchanges.projection';
import { loansOfThingsProjection } from './modules/lending/loans-of-things/loans-of-things.projection';
import { moneyLoansProjection } from './modules/lending/money-loans/money-loans.projection';
import { movementsProjection } from './modules/funds/movement-views/movement-views.projection';
import { pledgesProjection } from './modules/sustainers/pledges/pledges.projection';
import { propertiesProjection } from './modules/land-trust/properties/properties.projection';
import { sustainersProjection } from './modules/sustainers/sustainers/sustainers.projection';
import { signInLinksProjection } from './modules/pages/sign-in-link/sign-in-links.projection';

export const projections: readonly Projection[] = [
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
  attributionProjection,
  webhookSubscriptionsProjection,
  generalLedgerProjection,
  signInLinksProjection,
];

/**
 * The read models a rebuild from position 0 applies in a second thread, into a file of their own
 * copied in at the end (see ThreadModules.apart): about half the rebuild's work (the balances
 * about a third of it, the general ledger a tenth, profiled on 1M events), each reading and
 * writing only its own tables.
 */
export const rebuiltApart: readonly string[] = [balancesProjection.name];
