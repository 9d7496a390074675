import { ApiProperty, IntersectionType } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { AsOfQueryDto } from '../../../http/query.dto';
import { IdPageQueryDto } from '../sustainers-dto-rules';

export class MyPledgesQueryDto extends IntersectionType(IdPageQueryDto, AsOfQueryDto) {}

export class ListPledgesQueryDto extends MyPledgesQueryDto {
  @ApiProperty({ format: 'uuid', description: 'Whose pledges; a sustainer token may ask only for its own.' })
  @IsUUID()
  sustainerId!: string;
}
