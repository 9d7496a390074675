import { IsIn, IsString, Length, MaxLength } from 'class-validator';

/** The fields of the cooperative page's forms, all text as a form sends them; the API's own DTOs then check their meaning. */
export class ReserveFormDto {
  @IsString() @Length(1, 100) _csrf!: string;
  @IsString() @MaxLength(100) resourceId!: string;
  @IsString() @MaxLength(20) startOn!: string;
  @IsString() @MaxLength(20) dueOn!: string;
}

export class ProposeFormDto {
  @IsString() @Length(1, 100) _csrf!: string;
  @IsIn(['we-worked', 'they-worked']) direction!: 'we-worked' | 'they-worked';
  @IsString() @MaxLength(100) counterpartId!: string;
  @IsString() @MaxLength(10) hours!: string;
  @IsString() @MaxLength(10) minutes!: string;
  @IsString() @MaxLength(20) workedOn!: string;
  @IsString() @MaxLength(600) description!: string;
}
