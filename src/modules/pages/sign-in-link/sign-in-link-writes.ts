import { Injectable } from '@nestjs/common';
import { CommandRunner } from '../../../commands/command-runner';
import { newEventsOf } from '../../../shared/event-schema';
import { cooperativeDecider, cooperativeStream } from '../../lending';
import { sustainerDecider, sustainerStream } from '../../sustainers';
import { PAGES_EVENTS } from '../pages.events';
import { LinkRole, SubjectStatus } from './sign-in-link.decider';

/** What the sign-in commands share: the subject's standing, read from its own stream. */
@Injectable()
export class SignInLinkWrites {
  constructor(readonly runner: CommandRunner) {}

  async subjectStatus(role: LinkRole, subject: string): Promise<SubjectStatus> {
    if (role === 'cooperative') {
      const { state } = await this.runner.load(cooperativeStream(subject), cooperativeDecider);
      return state.status === 'member' ? 'active' : 'unknown';
    }
    const { state } = await this.runner.load(sustainerStream(subject), sustainerDecider);
    return state.status === 'none' ? 'unknown' : state.status;
  }
}

export const asNew = newEventsOf(PAGES_EVENTS);
