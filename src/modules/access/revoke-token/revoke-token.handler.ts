import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome, CommandRunner } from '../../../commands/command-runner';
import { revokeTokenOutcome } from '../manage-tokens';
import { RevokeTokenDto } from './revoke-token.dto';

export class RevokeTokenCommand {
  constructor(
    readonly context: CommandContext,
    readonly tokenId: string,
    readonly request: RevokeTokenDto,
  ) {}
}

/** Revokes a token (TOKEN.NOT_FOUND, TOKEN.ALREADY_REVOKED); requests with it are refused from the next one on. */
@CommandHandler(RevokeTokenCommand)
export class RevokeTokenHandler implements ICommandHandler<RevokeTokenCommand, CommandOutcome<{ tokenId: string }>> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ context, tokenId, request }: RevokeTokenCommand): Promise<CommandOutcome<{ tokenId: string }>> {
    const outcome = await revokeTokenOutcome(this.runner, context, { tokenId, reason: request.reason ?? 'revoked by a steward' });
    return { response: { tokenId }, position: outcome.position, replayed: outcome.replayed };
  }
}
