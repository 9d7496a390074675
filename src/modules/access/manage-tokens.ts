import { CommandContext } from '../../commands/command-context';
import { CommandRunner } from '../../commands/command-runner';
import { Role } from '../../shared/decider';
import { newId } from '../../shared/ids';
import { ApiTokenCommand, apiTokenDecider, apiTokenStream } from './api-token/api-token.decider';
import { hashTokenSecret, newTokenSecret } from './token-secret';

export interface IssuedToken {
  readonly tokenId: string;
  readonly secret: string;
  readonly position: number;
}

async function decideToken(runner: CommandRunner, context: CommandContext, command: ApiTokenCommand) {
  const stream = apiTokenStream(command.tokenId);
  return runner.run(context, async () => {
    const { state, expected } = await runner.load(stream, apiTokenDecider);
    const events = apiTokenDecider.decide(command, state);
    return {
      appends: [{ streamId: stream, expected, events: events.map((e) => ({ ...e, schemaVersion: 1 })) }],
      response: { tokenId: command.tokenId },
    };
  });
}

/** Issues a bearer token. The secret is returned to be shown once; the log holds only its hash. */
export async function issueToken(
  runner: CommandRunner,
  context: CommandContext,
  request: { role: Role; name: string; subject?: string },
): Promise<IssuedToken> {
  const secret = newTokenSecret();
  const tokenId = newId();
  const outcome = await decideToken(runner, context, {
    type: 'IssueApiToken',
    tokenId,
    name: request.name,
    role: request.role,
    subject: request.subject,
    tokenHash: hashTokenSecret(secret),
    now: context.now.toISOString(),
  });
  return { tokenId, secret, position: outcome.position };
}

export async function revokeToken(
  runner: CommandRunner,
  context: CommandContext,
  request: { tokenId: string; reason: string },
): Promise<number> {
  const outcome = await decideToken(runner, context, {
    type: 'RevokeApiToken',
    tokenId: request.tokenId,
    reason: request.reason,
    now: context.now.toISOString(),
  });
  return outcome.position;
}
