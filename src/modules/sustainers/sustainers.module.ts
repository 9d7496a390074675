import { Module } from '@nestjs/common';
import { HttpCommonModule } from '../../http/http-common.module';
import { FundsWrites as MovementWriter } from '../funds';
import { SustainersController } from './sustainers.controller';
import { SustainersService } from './sustainers.service';

@Module({
  imports: [HttpCommonModule],
  controllers: [SustainersController],
  providers: [SustainersService, MovementWriter],
})
export class SustainersModule {}
