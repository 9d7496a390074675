import { Module } from '@nestjs/common';
import { HttpCommonModule } from '../../http/http-common.module';
import { LendingController } from './lending.controller';
import { LendingWriter } from './lending-writer';

/** Lending between cooperatives: cooperatives and money loans (see README, "Lending between cooperatives"). */
@Module({
  imports: [HttpCommonModule],
  controllers: [LendingController],
  providers: [LendingWriter],
})
export class LendingModule {}
