import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { CommandOutcome } from '../../../commands/command-runner';
import { Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { IdempotencyKeyHeader, Meta, RequestMeta, commandContext } from '../../../http/request-meta';
import { WriteResponder } from '../../../http/write-responder';
import { Clock } from '../../../shared/clock';
import { Sessions, hashSecret, newLinkSecret } from '../sessions';
import { IssueSignInLinkDto, SignInLinkDto } from './issue-sign-in-link.dto';
import { IssueSignInLinkCommand, IssuedLink } from './issue-sign-in-link.handler';

@ApiTags('pages')
@Controller('v1')
export class IssueSignInLinkController {
  constructor(
    private readonly commands: CommandBus,
    private readonly responder: WriteResponder,
    private readonly clock: Clock,
    private readonly sessions: Sessions,
  ) {}

  @Post('sign-in-links')
  @HttpCode(201)
  @Roles('steward')
  @IdempotencyKeyHeader()
  @ApiOperation({
    operationId: 'issueSignInLink',
    summary: 'Issue a one-time, expiring sign-in link for one sustainer or cooperative (its own page)',
    description: 'The `url` is shown once; the log keeps only its SHA-256. Opening it shows a sign-in button; signing in uses the link up and opens a session.',
  })
  @ApiCreatedResponse({ type: SignInLinkDto })
  @ApiProblems(400, 401, 403, 404, 409, 415, 422)
  async issue(@Body() body: IssueSignInLinkDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const secret = newLinkSecret();
    const lifetimeMs = body.expiresInMinutes !== undefined ? body.expiresInMinutes * 60_000 : this.sessions.linkLifetimeMs;
    const outcome = await this.commands.execute<IssueSignInLinkCommand, CommandOutcome<IssuedLink>>(
      new IssueSignInLinkCommand(commandContext(meta, this.clock), body.role, body.subjectId, hashSecret(secret), lifetimeMs),
    );
    const answered = await this.responder.respond(reply, outcome);
    void reply.header('cache-control', 'no-store');
    // A replay answers the first request's link, whose secret only that answer carried.
    return { ...answered, url: outcome.replayed ? null : this.sessions.linkUrl(secret) };
  }
}
