import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES } from '../../shared/decider';
import type { ApiTokenRow, TokenStatus } from './api-token/api-token.projection';

const INSTANT = { description: 'UTC instant.', example: '2026-03-01T10:00:00.000Z' };

/** A token as stewards and auditors list it: never its secret, nor the secret's hash. */
export class TokenViewDto {
  @ApiProperty({ format: 'uuid' }) tokenId!: string;
  @ApiProperty({ example: 'Ana (steward)' }) name!: string;
  @ApiProperty({ enum: ROLES }) role!: string;
  @ApiProperty({ type: 'string', nullable: true, description: 'The sustainer or cooperative a scoped token acts for.' }) subject!: string | null;
  @ApiProperty({ enum: ['active', 'expired', 'revoked'], description: 'Now: revoked, else expired once `expiresAt` has passed, else active.' })
  status!: TokenStatus;
  @ApiProperty(INSTANT) issuedAt!: string;
  @ApiProperty({ type: 'string', nullable: true, description: 'null only for tokens issued before tokens expired.', example: '2026-06-01T10:00:00.000Z' })
  expiresAt!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) revokedAt!: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: '`rotated` when a rotation replaced it.' }) revokeReason!: string | null;
  @ApiProperty({ type: 'string', nullable: true, format: 'uuid', description: 'The token this one was rotated from.' }) rotatedFrom!: string | null;
  @ApiProperty({ type: 'string', nullable: true, format: 'uuid', description: 'The token a rotation replaced this one with.' }) replacedBy!: string | null;
}

export class TokenListDto {
  @ApiProperty({ type: [TokenViewDto] }) items!: TokenViewDto[];
  @ApiPropertyOptional({ description: 'Cursor for the next page (a token id), when this page is full.' }) next?: string;
}

export class IssuedTokenDto {
  @ApiProperty({ format: 'uuid' }) tokenId!: string;
  @ApiPropertyOptional({
    example: 'mal_3q2…',
    description: 'The bearer secret, shown this once and never stored (only its SHA-256). Absent from a replayed answer (`Idempotent-Replayed: true`).',
  })
  secret?: string;
  @ApiProperty(INSTANT) expiresAt!: string;
  @ApiProperty({ description: 'Log position of the write.' }) position!: number;
}

export class RotatedTokenDto extends IssuedTokenDto {
  @ApiProperty({ format: 'uuid', description: 'The token rotated, revoked in the same append.' }) replaces!: string;
}

export class RevokedTokenDto {
  @ApiProperty({ format: 'uuid' }) tokenId!: string;
  @ApiProperty() position!: number;
}

export function tokenView(row: ApiTokenRow, status: TokenStatus): TokenViewDto {
  return {
    tokenId: row.token_id,
    name: row.name,
    role: row.role,
    subject: row.subject,
    status,
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    revokeReason: row.revoke_reason,
    rotatedFrom: row.rotated_from,
    replacedBy: row.replaced_by,
  };
}
