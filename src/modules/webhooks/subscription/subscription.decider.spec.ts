import { spec } from '../../../shared/testing/decider-specification';
import { webhookDecider } from './subscription.decider';

const deliverable = new Set(['MovementPosted', 'FundOpened']);
const register = { type: 'RegisterWebhook' as const, subscriptionId: 's1', url: 'https://books.example.org/h', eventTypes: ['MovementPosted'], deliverable, by: 'token:a', now: '2026-10-01T10:00:00.000Z' };
const registered = { type: 'WebhookRegistered' as const, data: { subscriptionId: 's1', url: 'https://books.example.org/h', eventTypes: ['MovementPosted'], registeredBy: 'token:a', registeredAt: '2026-10-01T10:00:00.000Z' } };
const at = { by: 'token:b', now: '2026-10-02T10:00:00.000Z' };

describe('webhook subscription decider', () => {
  it('registers an http(s) URL with deliverable types, sorted and without repeats', () => {
    spec(webhookDecider).given([]).when({ ...register, eventTypes: ['MovementPosted', 'FundOpened', 'MovementPosted'] }).thenMatches([
      { type: 'WebhookRegistered', data: { eventTypes: ['FundOpened', 'MovementPosted'] } },
    ]);
    spec(webhookDecider).given([]).when({ ...register, eventTypes: ['*'] }).thenMatches([{ type: 'WebhookRegistered', data: { eventTypes: ['*'] } }]);
  });

  it.each([
    ['javascript:alert(1)', 'WEBHOOK.URL_SCHEME_NOT_ALLOWED'],
    ['data:text/plain,hi', 'WEBHOOK.URL_SCHEME_NOT_ALLOWED'],
    ['ws://127.0.0.1/x', 'WEBHOOK.URL_SCHEME_NOT_ALLOWED'],
    ['http://a:b@127.0.0.1/x', 'WEBHOOK.URL_INVALID'],
    ['/relative', 'WEBHOOK.URL_INVALID'],
    [`https://example.org/${'a'.repeat(2000)}`, 'WEBHOOK.URL_INVALID'],
  ])('refuses %s', (url, code) => {
    spec(webhookDecider).given([]).when({ ...register, url }).thenThrows(code, 400);
  });

  it('refuses undeliverable types and a second registration under one id', () => {
    spec(webhookDecider).given([]).when({ ...register, eventTypes: ['ApiTokenIssued'] }).thenThrows('WEBHOOK.EVENT_TYPE_UNKNOWN', 400);
    spec(webhookDecider).given([registered]).when(register).thenThrows('WEBHOOK.ALREADY_EXISTS', 409);
  });

  it('pauses, resumes and deletes, each once and in order', () => {
    spec(webhookDecider).given([registered]).when({ type: 'PauseWebhook', ...at }).thenMatches([{ type: 'WebhookPaused' }]);
    const paused = { type: 'WebhookPaused' as const, data: { subscriptionId: 's1', pausedBy: 'token:b', pausedAt: at.now } };
    spec(webhookDecider).given([registered, paused]).when({ type: 'PauseWebhook', ...at }).thenThrows('WEBHOOK.ALREADY_PAUSED', 409);
    spec(webhookDecider).given([registered]).when({ type: 'ResumeWebhook', ...at }).thenThrows('WEBHOOK.NOT_PAUSED', 409);
    spec(webhookDecider).given([registered, paused]).when({ type: 'ResumeWebhook', ...at }).thenMatches([{ type: 'WebhookResumed' }]);
    const deleted = { type: 'WebhookDeleted' as const, data: { subscriptionId: 's1', deletedBy: 'token:b', deletedAt: at.now } };
    spec(webhookDecider).given([registered, paused]).when({ type: 'DeleteWebhook', ...at }).thenMatches([{ type: 'WebhookDeleted' }]);
    spec(webhookDecider).given([registered, deleted]).when({ type: 'ResumeWebhook', ...at }).thenThrows('WEBHOOK.DELETED', 409);
    spec(webhookDecider).given([]).when({ type: 'DeleteWebhook', ...at }).thenThrows('WEBHOOK.NOT_FOUND', 404);
  });
});
