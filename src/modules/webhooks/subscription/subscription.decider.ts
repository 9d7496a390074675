import { Decider } from '../../../shared/decider';
import { assertNever } from '../../../shared/domain-error';
import { WebhookErrors } from '../webhooks.errors';

/**
 * A webhook subscription: a URL that receives, as signed POSTs, every event of the chosen types.
 * Registered, paused and resumed, deleted: each a recorded fact, so who pointed the ledger's
 * events where, and when, is part of the audited history. The secret that signs deliveries is
 * never in an event (see delivery/webhook-secrets.ts).
 */
export interface WebhookRegisteredData {
  readonly subscriptionId: string;
  readonly url: string;
  readonly eventTypes: readonly string[];
  readonly description?: string;
  readonly registeredBy: string;
  readonly registeredAt: string;
}

export type WebhookEvent =
  | { readonly type: 'WebhookRegistered'; readonly data: WebhookRegisteredData }
  | { readonly type: 'WebhookPaused'; readonly data: { readonly subscriptionId: string; readonly pausedBy: string; readonly pausedAt: string; readonly reason?: string } }
  | { readonly type: 'WebhookResumed'; readonly data: { readonly subscriptionId: string; readonly resumedBy: string; readonly resumedAt: string } }
  | { readonly type: 'WebhookDeleted'; readonly data: { readonly subscriptionId: string; readonly deletedBy: string; readonly deletedAt: string } };

export type WebhookCommand =
  | {
      readonly type: 'RegisterWebhook';
      readonly subscriptionId: string;
      readonly url: string;
      readonly eventTypes: readonly string[];
      readonly description?: string;
      /** The event types a subscriber may choose (the catalogue, less what never leaves the ledger). */
      readonly deliverable: ReadonlySet<string>;
      readonly by: string;
      readonly now: string;
    }
  | { readonly type: 'PauseWebhook'; readonly reason?: string; readonly by: string; readonly now: string }
  | { readonly type: 'ResumeWebhook'; readonly by: string; readonly now: string }
  | { readonly type: 'DeleteWebhook'; readonly by: string; readonly now: string };

export type WebhookState =
  | { readonly status: 'none' }
  | { readonly status: 'active' | 'paused' | 'deleted'; readonly subscriptionId: string };

export const MAX_URL_LENGTH = 2000;
/** Every type the subscriber may receive: `*` alone stands for all of them. */
export const ALL_TYPES = '*';

/**
 * SSRF care at the door: only http(s), no credentials in the URL (they would sit in the log for
 * ever), a host. Which hosts a steward may point at is the steward's call (see the README).
 */
export function checkWebhookUrl(raw: string): string {
  if (raw.length > MAX_URL_LENGTH) throw WebhookErrors.urlInvalid(`is longer than ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw WebhookErrors.urlInvalid('is not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw WebhookErrors.schemeNotAllowed(url.protocol.replace(/:$/, ''));
  if (url.username !== '' || url.password !== '') throw WebhookErrors.urlInvalid('must not carry a user name or password');
  if (url.hostname === '') throw WebhookErrors.urlInvalid('has no host');
  if (url.hash !== '') throw WebhookErrors.urlInvalid('must not have a fragment');
  return url.toString();
}

function live(state: WebhookState): Extract<WebhookState, { subscriptionId: string }> {
  if (state.status === 'none') throw WebhookErrors.notFound('');
  if (state.status === 'deleted') throw WebhookErrors.deleted();
  return state;
}

export const webhookDecider: Decider<WebhookCommand, WebhookEvent, WebhookState> = {
  initialState: () => ({ status: 'none' }),

  evolve(state, event) {
    switch (event.type) {
      case 'WebhookRegistered':
        return { status: 'active', subscriptionId: event.data.subscriptionId };
      case 'WebhookPaused':
        return state.status === 'none' ? state : { ...state, status: 'paused' };
      case 'WebhookResumed':
        return state.status === 'none' ? state : { ...state, status: 'active' };
      case 'WebhookDeleted':
        return state.status === 'none' ? state : { ...state, status: 'deleted' };
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'RegisterWebhook': {
        if (state.status !== 'none') throw WebhookErrors.alreadyExists();
        const url = checkWebhookUrl(command.url);
        const types = [...new Set(command.eventTypes)];
        const all = types.includes(ALL_TYPES);
        const unknown = types.filter((t) => t !== ALL_TYPES && !command.deliverable.has(t));
        if (unknown.length > 0 || (all && types.length > 1)) throw WebhookErrors.eventTypeUnknown(unknown.length > 0 ? unknown : types);
        return [
          {
            type: 'WebhookRegistered',
            data: {
              subscriptionId: command.subscriptionId,
              url,
              eventTypes: types.sort(),
              ...(command.description ? { description: command.description } : {}),
              registeredBy: command.by,
              registeredAt: command.now,
            },
          },
        ];
      }
      case 'PauseWebhook': {
        const current = live(state);
        if (current.status === 'paused') throw WebhookErrors.alreadyPaused();
        return [
          {
            type: 'WebhookPaused',
            data: { subscriptionId: current.subscriptionId, pausedBy: command.by, pausedAt: command.now, ...(command.reason ? { reason: command.reason } : {}) },
          },
        ];
      }
      case 'ResumeWebhook': {
        const current = live(state);
        if (current.status !== 'paused') throw WebhookErrors.notPaused();
        return [{ type: 'WebhookResumed', data: { subscriptionId: current.subscriptionId, resumedBy: command.by, resumedAt: command.now } }];
      }
      case 'DeleteWebhook': {
        const current = live(state);
        return [{ type: 'WebhookDeleted', data: { subscriptionId: current.subscriptionId, deletedBy: command.by, deletedAt: command.now } }];
      }
      default:
        return assertNever(command);
    }
  },
};

export const webhookStream = (subscriptionId: string): string => `webhook-${subscriptionId}`;
