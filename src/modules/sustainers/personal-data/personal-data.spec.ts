import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SustainerKeyStore } from './key-store';
import { KeyEncryptionKey } from './key-wrap';
import { open, seal } from './personal-data';

describe('personal data sealing', () => {
  const person = { displayName: 'Ada Example', email: 'ada@example.org', postalAddress: '1 Main St' };

  it('seals so the clear text is nowhere in the blob, and opens with the right key and sustainer only', () => {
    const key = randomBytes(32);
    const sealed = seal(key, 's1', person);
    expect(JSON.stringify(sealed)).not.toContain('Ada');
    expect(open(key, 's1', sealed)).toEqual(person);
    expect(open(key, 's2', sealed)).toBeUndefined();
    expect(open(randomBytes(32), 's1', sealed)).toBeUndefined();
    expect(open(undefined, 's1', sealed)).toBeUndefined();
    expect(seal(key, 's1', person).iv).not.toBe(sealed.iv);
  });

  it('keeps keys outside the log and destroys them so the bytes are gone from the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keys-'));
    try {
      const store = new SustainerKeyStore(dir, KeyEncryptionKey.fromBytes(randomBytes(32)));
      const key = store.create('s1');
      store.create('s2');
      expect(store.find('s1')?.equals(key)).toBe(true);
      store.destroy('s1');
      expect(store.find('s1')).toBeUndefined();
      expect(store.find('s2')).toBeDefined();
      store.close();
      expect(readFileSync(join(dir, 'keys.db')).includes(key)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
