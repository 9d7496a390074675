import { Module } from '@nestjs/common';
import { HttpCommonModule } from '../../http/http-common.module';
import { MovementWriter } from '../funds/movement/movement-writer';
import { SustainersController } from './sustainers.controller';
import { SustainersService } from './sustainers.service';

@Module({
  imports: [HttpCommonModule],
  controllers: [SustainersController],
  providers: [SustainersService, MovementWriter],
})
export class SustainersModule {}
