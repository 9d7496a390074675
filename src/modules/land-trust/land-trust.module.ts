import { Module } from '@nestjs/common';
import { HttpCommonModule } from '../../http/http-common.module';
import { LandTrustController } from './land-trust.controller';
import { LandTrustWriter } from './land-trust-writer';

/** Community land trust: properties, improvement projects paid from funds, and their reports. */
@Module({
  imports: [HttpCommonModule],
  controllers: [LandTrustController],
  providers: [LandTrustWriter],
})
export class LandTrustModule {}
