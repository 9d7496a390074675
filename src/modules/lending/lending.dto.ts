import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';

const VISIBLE = /^\S/;

export class RegisterCooperativeDto {
  @ApiProperty({ example: 'Riverside Bakery Cooperative', maxLength: 200 }) @IsString() @Length(1, 200) @Matches(VISIBLE, { message: 'name starts with a visible character' }) name!: string;
  @ApiProperty({ example: 'food', maxLength: 100 }) @IsString() @Length(1, 100) sector!: string;
  @ApiProperty({ example: 'coordinator@riverside.coop', maxLength: 300 }) @IsString() @Length(1, 300) contact!: string;
}

export class ListCooperativesQueryDto {
  @ApiPropertyOptional({ description: 'Cursor: the name of the last cooperative of the previous page.' }) @IsOptional() @IsString() after?: string;
  @ApiPropertyOptional({ default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}
