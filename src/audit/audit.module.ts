import { Module } from '@nestjs/common';
import { BackgroundVerifier } from './verify/background-verifier';
import { VerifyController } from './verify/verify.controller';

@Module({ controllers: [VerifyController], providers: [BackgroundVerifier], exports: [BackgroundVerifier] })
export class AuditModule {}
