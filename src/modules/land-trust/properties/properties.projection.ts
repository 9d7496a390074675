import type { RecordedEvent } from '../../../event-store/envelope';
import { Projection, sql } from '../../../projections/projection';
import type { ImprovementEvent } from '../improvement/improvement.decider';
import type { PropertyEvent } from '../property/property.decider';

/**
 * Properties, their ground leases and status history. A status change is a row carrying the
 * day it was recorded, so a report as of any date reads the status the property had then.
 * A resale credit (an improvement's event) raises its property's capped resale formula.
 */
export const propertiesProjection: Projection = {
  name: 'land-trust-properties',
  version: 1,
  tables: ['properties', 'property_status_changes'],
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS properties (
        property_id TEXT PRIMARY KEY, address TEXT NOT NULL, parcel_id TEXT NOT NULL, acquired_on TEXT NOT NULL,
        status TEXT NOT NULL, registered_at TEXT NOT NULL, lease_id TEXT, household_id TEXT, lease_starts_on TEXT, lease_term_years INTEGER,
        resale_credit INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE IF NOT EXISTS property_status_changes (
        property_id TEXT NOT NULL, position INTEGER NOT NULL, from_status TEXT NOT NULL, to_status TEXT NOT NULL, reason TEXT,
        changed_at TEXT NOT NULL, PRIMARY KEY (property_id, position));
    `);
  },
  apply(db, event: RecordedEvent) {
    const p = event as unknown as PropertyEvent | Extract<ImprovementEvent, { type: 'ResaleCreditRecorded' }>;
    switch (p.type) {
      case 'PropertyRegistered': {
        const d = p.data;
        sql(db, 'INSERT INTO properties (property_id, address, parcel_id, acquired_on, status, registered_at) VALUES (?, ?, ?, ?, ?, ?)').run(
          d.propertyId, d.address, d.parcelId, d.acquiredOn, d.status, d.registeredAt,
        );
        return;
      }
      case 'PropertyStatusChanged': {
        const d = p.data;
        sql(db, 'UPDATE properties SET status = ? WHERE property_id = ?').run(d.to, d.propertyId);
        sql(db, 'INSERT INTO property_status_changes (property_id, position, from_status, to_status, reason, changed_at) VALUES (?, ?, ?, ?, ?, ?)').run(
          d.propertyId, event.globalPosition, d.from, d.to, d.reason ?? null, d.changedAt,
        );
        return;
      }
      case 'GroundLeaseRecorded': {
        const d = p.data;
        sql(db, 'UPDATE properties SET lease_id = ?, household_id = ?, lease_starts_on = ?, lease_term_years = ? WHERE property_id = ?').run(
          d.leaseId, d.householdId, d.startsOn, d.termYears, d.propertyId,
        );
        return;
      }
      case 'ResaleCreditRecorded':
        sql(db, 'UPDATE properties SET resale_credit = resale_credit + ? WHERE property_id = ?').run(p.data.amountMinor, p.data.propertyId);
        return;
    }
  },
};
