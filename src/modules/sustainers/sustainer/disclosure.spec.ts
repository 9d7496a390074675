import { disclosureFor } from './disclosure';

describe('the one disclosure rule for a sustainer', () => {
  const ada = '0190aaaa-0000-7000-8000-000000000001';
  const bea = '0190aaaa-0000-7000-8000-000000000002';

  it('shows a steward and the sustainer itself the name and contacts, anonymous or not', () => {
    for (const anonymous of [true, false]) {
      expect(disclosureFor({ id: 'token:s', role: 'steward' }, { sustainerId: ada, anonymous })).toEqual({ name: true, contacts: true });
      expect(disclosureFor({ id: 'token:a', role: 'sustainer', subject: ada }, { sustainerId: ada, anonymous })).toEqual({ name: true, contacts: true });
    }
  });

  it('shows anyone else the name of a sustainer who is not anonymous, and never the contacts', () => {
    expect(disclosureFor({ id: 'token:u', role: 'auditor' }, { sustainerId: ada, anonymous: false })).toEqual({ name: true, contacts: false });
    expect(disclosureFor({ id: 'token:u', role: 'auditor' }, { sustainerId: ada, anonymous: true })).toEqual({ name: false, contacts: false });
    expect(disclosureFor({ id: 'token:b', role: 'sustainer', subject: bea }, { sustainerId: ada, anonymous: true })).toEqual({ name: false, contacts: false });
  });
});
