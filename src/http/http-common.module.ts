import { Module } from '@nestjs/common';
import { WriteResponder } from './write-responder';

@Module({ providers: [WriteResponder], exports: [WriteResponder] })
export class HttpCommonModule {}
