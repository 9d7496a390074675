import { Module } from '@nestjs/common';
import { HttpCommonModule } from '../http/http-common.module';
import { SealService } from './seals/seal.service';
import { SealsController } from './seals/seals.controller';
import { BackgroundVerifier } from './verify/background-verifier';
import { VerifyController } from './verify/verify.controller';

@Module({ imports: [HttpCommonModule], controllers: [VerifyController, SealsController], providers: [BackgroundVerifier, SealService], exports: [BackgroundVerifier, SealService] })
export class AuditModule {}
