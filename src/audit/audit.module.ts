import { Module } from '@nestjs/common';
import { VerifyController } from './verify/verify.controller';

@Module({ controllers: [VerifyController] })
export class AuditModule {}
