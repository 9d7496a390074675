import { DomainError, NotFoundError } from '../../shared/domain-error';

/** Every code the webhooks module answers, with its HTTP status. Pure like the decider that imports it. */
export const WebhookErrors = {
  notFound: (subscriptionId: string) => new NotFoundError('WEBHOOK.NOT_FOUND', `No webhook subscription ${subscriptionId}.`),
  urlInvalid: (why: string) => {
    const message = `url ${why}.`;
    return new DomainError('WEBHOOK.URL_INVALID', message, 400, { errors: [{ field: 'url', messages: [message] }] });
  },
  /** Only http and https: a `file:`, `gopher:` or `ftp:` URL would make the server reach where a webhook has no business. */
  schemeNotAllowed: (scheme: string) => {
    const message = `url must be http or https, not ${scheme}.`;
    return new DomainError('WEBHOOK.URL_SCHEME_NOT_ALLOWED', message, 400, { errors: [{ field: 'url', messages: [message] }] });
  },
  eventTypeUnknown: (types: readonly string[]) => {
    const message = `eventTypes names types that cannot be delivered: ${types.slice(0, 5).join(', ')}.`;
    return new DomainError('WEBHOOK.EVENT_TYPE_UNKNOWN', message, 400, { errors: [{ field: 'eventTypes', messages: [message] }] });
  },
  alreadyPaused: () => new DomainError('WEBHOOK.ALREADY_PAUSED', 'The subscription is already paused.', 409),
  notPaused: () => new DomainError('WEBHOOK.NOT_PAUSED', 'The subscription is not paused.', 409),
  deleted: () => new DomainError('WEBHOOK.DELETED', 'The subscription was deleted; register a new one.', 409),
  alreadyExists: () => new DomainError('WEBHOOK.ALREADY_EXISTS', 'A subscription with this id exists.', 409),
  limitReached: (max: number) => new DomainError('WEBHOOK.LIMIT_REACHED', `At most ${max} subscriptions may be live (active or paused); delete one first.`, 409),
};
