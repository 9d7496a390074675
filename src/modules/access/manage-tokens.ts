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
import { DEFAULT_TOKEN_TTL_DAYS } from '../../config';
import { DomainError } from '../../shared/domain-error';

const newAccessEvents = newEventsOf(ACCESS_EVENTS);

export interface IssuedToken {
  readonly tokenId: string;
  /** Shown once; empty when `replayed` (the answer to an earlier request: the secret is never stored). */
  readonly secret: string;
  readonly position: number;
  readonly expiresAt?: string;
  readonly replayed?: boolean;
}

/** What the log keeps as a token command's answer (with an idempotency key): never the secret. */
interface TokenAnswer {
  readonly tokenId: string;
  readonly expiresAt?: string;
  readonly replaces?: string;
}

/** When a token issued now expires: `expiresAt` as asked, else `lifetimeDays` (the configured default) from now. */
export function expiryOf(now: Date, expiresAt: string | undefined, lifetimeDays: number | undefined): string {
  return expiresAt ?? new Date(now.getTime() + (lifetimeDays ?? DEFAULT_TOKEN_TTL_DAYS) * 86_400_000).toISOString();
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
    const response: TokenAnswer = {
      tokenId: command.tokenId,
      ...(command.type === 'IssueApiToken' && command.expiresAt ? { expiresAt: new Date(command.expiresAt).toISOString() } : {}),
    };
    return {
      appends: [{ streamId: stream, expected, events: newAccessEvents(events) }],
      response,
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
  request: { role: Role; name: string; subject?: string; expiresAt?: string; lifetimeDays?: number },
): Promise<IssuedToken> {
  const secret = newTokenSecret();
  const tokenId = newId();
  const expiresAt = expiryOf(context.now, request.expiresAt, request.lifetimeDays);
  const outcome = await decideToken(runner, context, {
    type: 'IssueApiToken',
    tokenId,
    name: request.name,
    role: request.role,
    subject: request.subject,
    tokenHash: hashTokenSecret(secret),
    expiresAt,
    now: context.now.toISOString(),
  });
  const answer = outcome.response as TokenAnswer;
  return outcome.replayed
    ? { tokenId: answer.tokenId, secret: '', position: outcome.position, expiresAt: answer.expiresAt, replayed: true }
    : { tokenId, secret, position: outcome.position, expiresAt: answer.expiresAt };
}

/**
 * Rotates a token: a new secret under a new token id, with the old token's name, role and
 * subject, and the old token revoked (`replacedBy`), in one atomic append of both streams. The
 * new token's expiry is `expiresAt`, else the configured lifetime from now. A subject erased
 * since is refused (TOKEN.SUBJECT_ERASED) like at issue.
 */
export async function rotateToken(
  runner: CommandRunner,
  context: CommandContext,
  request: { tokenId: string; expiresAt?: string; lifetimeDays?: number },
): Promise<IssuedToken & { replaces: string }> {
  const secret = newTokenSecret();
  const replacementId = newId();
  const now = context.now.toISOString();
  const expiresAt = expiryOf(context.now, request.expiresAt, request.lifetimeDays);
  const outcome = await runner.run(context, async () => {
    const old = await runner.load(apiTokenStream(request.tokenId), apiTokenDecider);
    const revoked = apiTokenDecider.decide({ type: 'RotateApiToken', tokenId: request.tokenId, replacementId, now }, old.state);
    if (old.state.status === 'none') throw new DomainError('TOKEN.NOT_FOUND', 'No such token.', 404);
    const { name, role, subject } = old.state;
    const fresh = await runner.load(apiTokenStream(replacementId), apiTokenDecider);
    const issued = apiTokenDecider.decide(
      {
        type: 'IssueApiToken',
        tokenId: replacementId,
        name,
        role,
        subject,
        subjectStatus: await subjectStatus(runner, role, subject),
        tokenHash: hashTokenSecret(secret),
        expiresAt,
        rotatedFrom: request.tokenId,
        now,
      },
      fresh.state,
    );
    const response: TokenAnswer = { tokenId: replacementId, expiresAt: new Date(expiresAt).toISOString(), replaces: request.tokenId };
    return {
      appends: [
        { streamId: apiTokenStream(request.tokenId), expected: old.expected, events: newAccessEvents(revoked) },
        { streamId: apiTokenStream(replacementId), expected: fresh.expected, events: newAccessEvents(issued) },
      ],
      response,
    };
  });
  const answer = outcome.response;
  return {
    tokenId: answer.tokenId,
    secret: outcome.replayed ? '' : secret,
    position: outcome.position,
    expiresAt: answer.expiresAt,
    replaces: request.tokenId,
    ...(outcome.replayed ? { replayed: true } : {}),
  };
}

export async function revokeToken(
  runner: CommandRunner,
  context: CommandContext,
  request: { tokenId: string; reason: string },
): Promise<number> {
  return (await revokeTokenOutcome(runner, context, request)).position;
}

/** The revocation with the runner's outcome (whether it replays an earlier request), for the HTTP route. */
export function revokeTokenOutcome(runner: CommandRunner, context: CommandContext, request: { tokenId: string; reason: string }) {
  return decideToken(runner, context, {
    type: 'RevokeApiToken',
    tokenId: request.tokenId,
    reason: request.reason,
    now: context.now.toISOString(),
  });
}
