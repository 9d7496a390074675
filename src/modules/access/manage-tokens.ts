import { CommandContext } from '../../commands/command-context';
import { CommandRunner } from '../../commands/command-runner';
import { Role } from '../../shared/decider';
import { isUuid, newId } from '../../shared/ids';
import { cooperativeDecider, cooperativeStream } from '../lending/lending.domain';
import { sustainerDecider, sustainerStream } from '../sustainers/sustainers.domain';
import { ApiTokenCommand, SubjectStatus, apiTokenDecider, apiTokenStream } from './api-token/api-token.decider';
import { hashTokenSecret, newTokenSecret } from '../../shared/token-secret';
import { ACCESS_EVENTS } from './access.events';
import { newEventsOf } from '../../shared/event-schema';

const newAccessEvents = newEventsOf(ACCESS_EVENTS);

export interface IssuedToken {
  readonly tokenId: string;
  readonly secret: string;
  readonly position: number;
}

/**
 * What the log says about a token's subject: the cooperative's or sustainer's own stream, read
 * through the runner like any state a decision depends on. An id that is not a UUID names nothing.
 */
async function subjectStatus(runner: CommandRunner, role: Role, subject: string | undefined): Promise<SubjectStatus | undefined> {
  if (subject === undefined || (role !== 'cooperative' && role !== 'sustainer')) return undefined;
  if (!isUuid(subject)) return 'unknown';
  if (role === 'cooperative') {
    const { state } = await runner.load(cooperativeStream(subject), cooperativeDecider);
    return state.status === 'member' ? 'active' : 'unknown';
  }
  const { state } = await runner.load(sustainerStream(subject), sustainerDecider);
  return state.status === 'none' ? 'unknown' : state.status;
}

async function decideToken(runner: CommandRunner, context: CommandContext, command: ApiTokenCommand) {
  const stream = apiTokenStream(command.tokenId);
  return runner.run(context, async () => {
    const { state, expected } = await runner.load(stream, apiTokenDecider);
    const decided: ApiTokenCommand =
      command.type === 'IssueApiToken' ? { ...command, subjectStatus: await subjectStatus(runner, command.role, command.subject) } : command;
    const events = apiTokenDecider.decide(decided, state);
    return {
      appends: [{ streamId: stream, expected, events: newAccessEvents(events) }],
      response: { tokenId: command.tokenId },
    };
  });
}

/**
 * Issues a bearer token. The secret is returned to be shown once; the log holds only its hash.
 * A sustainer or cooperative token must name an existing subject (TOKEN.SUBJECT_REQUIRED,
 * TOKEN.SUBJECT_NOT_FOUND, TOKEN.SUBJECT_ERASED); steward and auditor tokens name none
 * (TOKEN.SUBJECT_NOT_ALLOWED). A refusal writes nothing.
 */
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
