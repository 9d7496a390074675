import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AuditModule } from '../../audit/audit.module';
import { HttpCommonModule } from '../../http/http-common.module';
import { ProveOwnGiftController } from './prove-own-gift/prove-own-gift.controller';
import { FundsWrites as MovementWriter } from '../funds';
import { AmendPledgeController } from './amend-pledge/amend-pledge.controller';
import { AmendPledgeHandler } from './amend-pledge/amend-pledge.handler';
import { CancelPledgeController } from './cancel-pledge/cancel-pledge.controller';
import { CancelPledgeHandler } from './cancel-pledge/cancel-pledge.handler';
import { EraseSustainerController } from './erase-sustainer/erase-sustainer.controller';
import { EraseSustainerHandler } from './erase-sustainer/erase-sustainer.handler';
import { ListDonationsController } from './list-donations/list-donations.controller';
import { GetDonationHandler, ListDonationsHandler } from './list-donations/list-donations.handler';
import { ListPledgesController } from './list-pledges/list-pledges.controller';
import { GetPledgeHandler, ListPledgesHandler } from './list-pledges/list-pledges.handler';
import { ListSustainersController } from './list-sustainers/list-sustainers.controller';
import { GetSustainerHandler, ListSustainersHandler } from './list-sustainers/list-sustainers.handler';
import { MakePledgeController } from './make-pledge/make-pledge.controller';
import { MakePledgeHandler } from './make-pledge/make-pledge.handler';
import { PausePledgeController } from './pause-pledge/pause-pledge.controller';
import { PausePledgeHandler } from './pause-pledge/pause-pledge.handler';
import { ReadFundTotalsController } from './read-fund-totals/read-fund-totals.controller';
import { ReadFundTotalsHandler } from './read-fund-totals/read-fund-totals.handler';
import { ReadOwnAccountController } from './read-own-account/read-own-account.controller';
import { ReadStatementController } from './read-statement/read-statement.controller';
import { ReadStatementHandler } from './read-statement/read-statement.handler';
import { RecordDonationController } from './record-donation/record-donation.controller';
import { RecordDonationHandler } from './record-donation/record-donation.handler';
import { RefundDonationController } from './refund-donation/refund-donation.controller';
import { RefundDonationHandler } from './refund-donation/refund-donation.handler';
import { RegisterSustainerController } from './register-sustainer/register-sustainer.controller';
import { RegisterSustainerHandler } from './register-sustainer/register-sustainer.handler';
import { ResumePledgeController } from './resume-pledge/resume-pledge.controller';
import { ResumePledgeHandler } from './resume-pledge/resume-pledge.handler';
import { SustainerKeys } from './sustainer-keys';
import { SustainersReader } from './sustainers-reads';
import { SustainersWrites } from './sustainers-writes';
import { WriteOffPledgeController } from './write-off-pledge/write-off-pledge.controller';
import { WriteOffPledgeHandler } from './write-off-pledge/write-off-pledge.handler';

/** In the order the OpenAPI document lists their routes (the order the one controller before them declared). */
const controllers = [
  RegisterSustainerController,
  ListSustainersController,
  EraseSustainerController,
  ReadStatementController,
  MakePledgeController,
  ListPledgesController,
  AmendPledgeController,
  PausePledgeController,
  ResumePledgeController,
  CancelPledgeController,
  WriteOffPledgeController,
  RecordDonationController,
  RefundDonationController,
  ListDonationsController,
  ReadFundTotalsController,
  ReadOwnAccountController,
  ProveOwnGiftController,
];

const commandHandlers = [
  RegisterSustainerHandler,
  EraseSustainerHandler,
  MakePledgeHandler,
  AmendPledgeHandler,
  PausePledgeHandler,
  ResumePledgeHandler,
  CancelPledgeHandler,
  WriteOffPledgeHandler,
  RecordDonationHandler,
  RefundDonationHandler,
];

const queryHandlers = [
  ListSustainersHandler,
  GetSustainerHandler,
  ReadStatementHandler,
  ListPledgesHandler,
  GetPledgeHandler,
  ListDonationsHandler,
  GetDonationHandler,
  ReadFundTotalsHandler,
];

/** What the handlers share: the key store, the read rules and the write checks; donations post through the funds module's movement writer. */
const support = [SustainerKeys, SustainersReader, SustainersWrites, MovementWriter];

@Module({
  imports: [CqrsModule, HttpCommonModule, AuditModule],
  controllers,
  providers: [...commandHandlers, ...queryHandlers, ...support],
})
export class SustainersModule {}
