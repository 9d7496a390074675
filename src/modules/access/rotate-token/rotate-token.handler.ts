import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome, CommandRunner } from '../../../commands/command-runner';
import { LEDGER_CONFIG } from '../../../commands/ledger-core.module';
import type { LedgerConfig } from '../../../config';
import { rotateToken } from '../manage-tokens';
import { RotateTokenDto } from './rotate-token.dto';

export class RotateTokenCommand {
  constructor(
    readonly context: CommandContext,
    readonly tokenId: string,
    readonly request: RotateTokenDto,
  ) {}
}

export interface RotateTokenAnswer {
  readonly tokenId: string;
  readonly secret?: string;
  readonly expiresAt?: string;
  readonly replaces: string;
}

/** A new secret for the same holder, role and subject; the old token revoked in the same append. */
@CommandHandler(RotateTokenCommand)
export class RotateTokenHandler implements ICommandHandler<RotateTokenCommand, CommandOutcome<RotateTokenAnswer>> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async execute({ context, tokenId, request }: RotateTokenCommand): Promise<CommandOutcome<RotateTokenAnswer>> {
    const rotated = await rotateToken(this.runner, context, { tokenId, expiresAt: request.expiresAt, lifetimeDays: this.config.tokenTtlDays });
    const response = { tokenId: rotated.tokenId, ...(rotated.replayed ? {} : { secret: rotated.secret }), expiresAt: rotated.expiresAt, replaces: rotated.replaces };
    return { response, position: rotated.position, replayed: rotated.replayed === true };
  }
}
