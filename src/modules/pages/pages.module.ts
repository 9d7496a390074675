import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AuditModule } from '../../audit/audit.module';
import { HttpCommonModule } from '../../http/http-common.module';
import { IssueSignInLinkController } from './issue-sign-in-link/issue-sign-in-link.controller';
import { IssueSignInLinkHandler } from './issue-sign-in-link/issue-sign-in-link.handler';
import { CooperativePageController } from './my-page/cooperative-page.controller';
import { CooperativePages } from './my-page/cooperative-pages';
import { MyPageController } from './my-page/my-page.controller';
import { RedeemSignInLinkHandler } from './open-sign-in-link/redeem-sign-in-link.handler';
import { SignInPageController } from './open-sign-in-link/sign-in-page.controller';
import { PageExceptionFilter } from './page-http';
import { AttributionSource, SealSource } from './seams';
import { AccountabilityAttributionSource } from './sources/accountability-attribution-source';
import { AccountabilityTransparencySource } from './sources/accountability-transparency-source';
import { SealServiceSource } from './sources/seal-service-source';
import { Sessions } from './sessions';
import { SignInLinkWrites } from './sign-in-link/sign-in-link-writes';
import { EndSessionHandler } from './sign-out/end-session.handler';
import { TransparencySource } from './transparency/transparency-source';
import { TransparencyPageController } from './transparency/transparency-page.controller';

/**
 * The pages people open: the public transparency page, sign-in links, the sustainer's and the
 * cooperative's own pages, their CSV and PDF downloads.
 *
 * SEAMS: each `useClass` below can be replaced by another source.
 * - TransparencySource: the accountability module's public report, year by year (AccountabilityTransparencySource).
 * - AttributionSource: the accountability module's "where did my gift go" (AccountabilityAttributionSource).
 * - SealSource: the seal service's latest signed seal (SealServiceSource).
 */
@Module({
  imports: [CqrsModule, HttpCommonModule, AuditModule],
  controllers: [TransparencyPageController, SignInPageController, MyPageController, CooperativePageController, IssueSignInLinkController],
  providers: [
    Sessions,
    CooperativePages,
    SignInLinkWrites,
    PageExceptionFilter,
    IssueSignInLinkHandler,
    RedeemSignInLinkHandler,
    EndSessionHandler,
    { provide: TransparencySource, useClass: AccountabilityTransparencySource },
    { provide: AttributionSource, useClass: AccountabilityAttributionSource },
    { provide: SealSource, useClass: SealServiceSource },
  ],
})
export class PagesModule {}
