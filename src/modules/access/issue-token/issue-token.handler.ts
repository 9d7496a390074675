import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '../../../commands/command-context';
import { CommandOutcome, CommandRunner } from '../../../commands/command-runner';
import { LEDGER_CONFIG } from '../../../commands/ledger-core.module';
import type { LedgerConfig } from '../../../config';
import { issueToken } from '../manage-tokens';
import { IssueTokenDto } from './issue-token.dto';

export class IssueTokenCommand {
  constructor(
    readonly context: CommandContext,
    readonly request: IssueTokenDto,
  ) {}
}

export interface IssueTokenAnswer {
  readonly tokenId: string;
  readonly secret?: string;
  readonly expiresAt?: string;
}

/** The same path as `ledger tokens create`: the secret is answered once, the log holds its hash. */
@CommandHandler(IssueTokenCommand)
export class IssueTokenHandler implements ICommandHandler<IssueTokenCommand, CommandOutcome<IssueTokenAnswer>> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async execute({ context, request }: IssueTokenCommand): Promise<CommandOutcome<IssueTokenAnswer>> {
    const issued = await issueToken(this.runner, context, { ...request, lifetimeDays: this.config.tokenTtlDays });
    const response = { tokenId: issued.tokenId, ...(issued.replayed ? {} : { secret: issued.secret }), expiresAt: issued.expiresAt };
    return { response, position: issued.position, replayed: issued.replayed === true };
  }
}
