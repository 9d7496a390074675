import { Decider } from '../../../shared/decider';
import { DomainError, assertNever } from '../../../shared/domain-error';

/**
 * Personal data sealed with the sustainer's own key (AES-256-GCM), which lives outside the log.
 * The log, its hashes and every copy of it hold only this: destroying the key is erasure.
 */
export interface SealedPersonalData {
  readonly alg: 'A256GCM';
  readonly iv: string;
  readonly tag: string;
  readonly ciphertext: string;
}

export type SustainerEvent =
  | {
      readonly type: 'SustainerRegistered';
      readonly data: {
        readonly sustainerId: string;
        readonly anonymous: boolean;
        readonly personal: SealedPersonalData;
        readonly registeredAt: string;
        readonly registeredBy: string;
      };
    }
  | {
      readonly type: 'SustainerErased';
      readonly data: { readonly sustainerId: string; readonly erasedAt: string; readonly erasedBy: string };
    };

export type SustainerCommand =
  | {
      readonly type: 'RegisterSustainer';
      readonly sustainerId: string;
      readonly anonymous: boolean;
      readonly personal: SealedPersonalData;
      readonly by: string;
      readonly now: string;
    }
  | { readonly type: 'EraseSustainer'; readonly sustainerId: string; readonly by: string; readonly now: string };

export type SustainerState =
  | { readonly status: 'none' }
  | { readonly status: 'active' | 'erased'; readonly sustainerId: string; readonly anonymous: boolean };

export const sustainerDecider: Decider<SustainerCommand, SustainerEvent, SustainerState> = {
  initialState: () => ({ status: 'none' }),

  evolve(state, event) {
    switch (event.type) {
      case 'SustainerRegistered':
        return { status: 'active', sustainerId: event.data.sustainerId, anonymous: event.data.anonymous };
      case 'SustainerErased':
        return state.status === 'none' ? state : { ...state, status: 'erased' };
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'RegisterSustainer':
        if (state.status !== 'none') throw new DomainError('SUSTAINER.ALREADY_EXISTS', 'This sustainer id is taken.', 409);
        return [
          {
            type: 'SustainerRegistered',
            data: {
              sustainerId: command.sustainerId,
              anonymous: command.anonymous,
              personal: command.personal,
              registeredAt: command.now,
              registeredBy: command.by,
            },
          },
        ];
      case 'EraseSustainer':
        requireActiveSustainer(state, command.sustainerId);
        return [{ type: 'SustainerErased', data: { sustainerId: command.sustainerId, erasedAt: command.now, erasedBy: command.by } }];
      default:
        return assertNever(command);
    }
  },
};

/** Unknown → 404; erased → 409: nothing more is recorded about an erased person. */
export function requireActiveSustainer(state: SustainerState, sustainerId: string): void {
  if (state.status === 'none') throw new DomainError('SUSTAINER.NOT_FOUND', `No sustainer ${sustainerId}.`, 404, { sustainerId });
  if (state.status === 'erased') {
    throw new DomainError('SUSTAINER.ERASED', 'This sustainer was erased; nothing more can be recorded for them.', 409, { sustainerId });
  }
}

export const sustainerStream = (sustainerId: string): string => `sustainer-${sustainerId}`;
