import { IsOptional, IsString, Length, MaxLength } from 'class-validator';

export class SignInQueryDto {
  @IsOptional() @IsString() @MaxLength(200) token?: string;
}

export class SignInFormDto {
  @IsString() @MaxLength(200) token!: string;
  @IsString() @Length(1, 100) _csrf!: string;
}

export class CsrfFormDto {
  @IsString() @Length(1, 100) _csrf!: string;
}
