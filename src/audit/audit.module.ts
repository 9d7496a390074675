import { Module } from '@nestjs/common';
import { HttpCommonModule } from '../http/http-common.module';
import { BackgroundVerifier } from './verify/background-verifier';
import { VerifyController } from './verify/verify.controller';

@Module({ imports: [HttpCommonModule], controllers: [VerifyController], providers: [BackgroundVerifier], exports: [BackgroundVerifier] })
export class AuditModule {}
