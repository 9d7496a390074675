import { isIsoDate } from '../../../shared/calendar';
import { Decider } from '../../../shared/decider';
import { assertNever, invariant } from '../../../shared/domain-error';
import { LandTrustErrors } from '../land-trust.errors';

export type PropertyStatus = 'held' | 'leased' | 'in-rehab' | 'vacant' | 'sold';
export const PROPERTY_STATUSES: readonly PropertyStatus[] = ['held', 'leased', 'in-rehab', 'vacant', 'sold'];

/**
 * A ground lease names its household only by a pseudonymous id: the ledger is read by funders
 * and auditors, and who lives in a home is not theirs to know.
 */
export interface GroundLease {
  readonly leaseId: string;
  readonly householdId: string;
  readonly startsOn: string;
  readonly termYears: number;
}

export type PropertyEvent =
  | {
      readonly type: 'PropertyRegistered';
      readonly data: {
        readonly propertyId: string;
        readonly address: string;
        readonly parcelId: string;
        readonly acquiredOn: string;
        readonly status: PropertyStatus;
        readonly registeredAt: string;
      };
    }
  | {
      readonly type: 'PropertyStatusChanged';
      readonly data: { readonly propertyId: string; readonly from: PropertyStatus; readonly to: PropertyStatus; readonly reason?: string; readonly changedAt: string };
    }
  | { readonly type: 'GroundLeaseRecorded'; readonly data: GroundLease & { readonly propertyId: string; readonly recordedAt: string } };

export type PropertyCommand =
  | {
      readonly type: 'RegisterProperty';
      readonly propertyId: string;
      readonly address: string;
      readonly parcelId: string;
      readonly acquiredOn: string;
      readonly status: PropertyStatus;
      readonly now: string;
    }
  | { readonly type: 'ChangePropertyStatus'; readonly status: PropertyStatus; readonly reason?: string; readonly now: string }
  | { readonly type: 'RecordGroundLease'; readonly lease: GroundLease; readonly now: string };

export type PropertyState =
  | { readonly status: 'none' }
  | { readonly status: PropertyStatus; readonly propertyId: string; readonly parcelId: string; readonly lease?: GroundLease };

/** Opaque ids only (`hh-7f3a…`): letters, digits, `-` and `_`; an e-mail address or a name with spaces is refused. */
export const HOUSEHOLD_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{3,63}$/;

export function requireProperty(state: PropertyState): Exclude<PropertyState, { status: 'none' }> {
  if (state.status === 'none') throw LandTrustErrors.propertyNotFound();
  return state;
}

export const propertyDecider: Decider<PropertyCommand, PropertyEvent, PropertyState> = {
  initialState: () => ({ status: 'none' }),

  evolve(state, event) {
    switch (event.type) {
      case 'PropertyRegistered':
        return { status: event.data.status, propertyId: event.data.propertyId, parcelId: event.data.parcelId };
      case 'PropertyStatusChanged':
        return state.status === 'none' ? state : { ...state, status: event.data.to };
      case 'GroundLeaseRecorded': {
        if (state.status === 'none') return state;
        const { propertyId: _p, recordedAt: _r, ...lease } = event.data;
        return { ...state, lease };
      }
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    switch (command.type) {
      case 'RegisterProperty': {
        if (state.status !== 'none') throw LandTrustErrors.propertyExists();
        invariant(isIsoDate(command.acquiredOn), 'acquiredOn is checked at the edge');
        if (command.acquiredOn > command.now.slice(0, 10)) {
          throw LandTrustErrors.acquiredInFuture();
        }
        const { type: _t, now, ...data } = command;
        return [{ type: 'PropertyRegistered', data: { ...data, registeredAt: now } }];
      }
      case 'ChangePropertyStatus': {
        const property = requireProperty(state);
        if (property.status === command.status) {
          throw LandTrustErrors.statusUnchanged(command.status);
        }
        if (property.status === 'sold') throw LandTrustErrors.propertySold('no longer changes status');
        return [
          {
            type: 'PropertyStatusChanged',
            data: { propertyId: property.propertyId, from: property.status, to: command.status, ...(command.reason ? { reason: command.reason } : {}), changedAt: command.now },
          },
        ];
      }
      case 'RecordGroundLease': {
        const property = requireProperty(state);
        const { lease } = command;
        if (property.status === 'sold') throw LandTrustErrors.propertySold('takes no new lease');
        if (!HOUSEHOLD_ID_PATTERN.test(lease.householdId)) {
          throw LandTrustErrors.householdIdInvalid();
        }
        invariant(isIsoDate(lease.startsOn), 'startsOn is checked at the edge');
        if (!Number.isInteger(lease.termYears) || lease.termYears < 1 || lease.termYears > 199) {
          throw LandTrustErrors.leaseTermInvalid();
        }
        // One household at a time: a new lease starts only after the current one ends.
        if (property.lease && lease.startsOn < leaseEnd(property.lease)) {
          throw LandTrustErrors.leaseOverlaps(leaseEnd(property.lease), property.lease.leaseId);
        }
        const events: PropertyEvent[] = [{ type: 'GroundLeaseRecorded', data: { ...lease, propertyId: property.propertyId, recordedAt: command.now } }];
        // A leased home's status says so; the change is its own event, like any other.
        if (property.status !== 'leased') {
          events.push({ type: 'PropertyStatusChanged', data: { propertyId: property.propertyId, from: property.status, to: 'leased', reason: 'ground lease recorded', changedAt: command.now } });
        }
        return events;
      }
      default:
        return assertNever(command);
    }
  },
};

/** The first day after the lease's term. */
export function leaseEnd(lease: GroundLease): string {
  const year = Number(lease.startsOn.slice(0, 4)) + lease.termYears;
  return `${String(year).padStart(4, '0')}${lease.startsOn.slice(4)}`;
}

export const propertyStream = (propertyId: string): string => `property-${propertyId}`;
/** One stream per parcel id, created with the property in the same atomic append: parcels stay unique. */
export const parcelStream = (parcelId: string): string => `property-parcel-${parcelId}`;
