import { StoreUnavailableError } from '../../../event-store/store-unavailable';
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SustainerKeyStore, checkKeyFile, inspectKeyFile, rewrapKeyFile } from './key-store';
import { KeyEncryptionKey, KekError } from './key-wrap';

const kekA = KeyEncryptionKey.fromBytes(randomBytes(32));
const kekB = KeyEncryptionKey.fromBytes(randomBytes(32));

describe('the key-encryption key (key-wrap.ts)', () => {
  it('wraps a key so it unwraps only under the same KEK and for the same owner', () => {
    const key = randomBytes(32);
    const wrapped = kekA.wrap(key, 'sustainer:s1');
    expect(wrapped.includes(key)).toBe(false);
    expect(wrapped.length).toBe(1 + 12 + 16 + 32);
    expect(kekA.unwrap(wrapped, 'sustainer:s1').equals(key)).toBe(true);
    expect(() => kekA.unwrap(wrapped, 'sustainer:s2')).toThrow(KekError);
    expect(() => kekB.unwrap(wrapped, 'sustainer:s1')).toThrow(KekError);
    const tampered = Buffer.from(wrapped);
    tampered[tampered.length - 1] ^= 1;
    expect(() => kekA.unwrap(tampered, 'sustainer:s1')).toThrow(KekError);
    expect(kekA.wrap(key, 'sustainer:s1').equals(wrapped)).toBe(false);
  });

  it('reads a KEK as base64 or base64url of 32 bytes and refuses anything else', () => {
    const text = KeyEncryptionKey.generateText();
    expect(KeyEncryptionKey.fromText(`${text}\n`).id).toBe(KeyEncryptionKey.fromText(text).id);
    expect(KeyEncryptionKey.fromText(Buffer.from(text, 'base64').toString('base64url')).id).toBe(KeyEncryptionKey.fromText(text).id);
    for (const bad of ['', 'short', randomBytes(16).toString('base64'), randomBytes(48).toString('base64'), `${text.slice(0, -2)}!=`]) {
      expect(() => KeyEncryptionKey.fromText(bad)).toThrow(KekError);
    }
    expect(kekA.id).toMatch(/^[0-9a-f]{16}$/);
    expect(kekA.id).not.toBe(kekB.id);
  });
});

describe('keys.db under a key-encryption key', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'keys-kek-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const file = () => join(dir, 'keys.db');
  const bytes = () => readFileSync(file());

  it('holds no data key and no pepper in clear: the file bytes contain none of them', () => {
    const store = new SustainerKeyStore(dir, kekA);
    const keys = Array.from({ length: 50 }, (_, i) => store.create(`s${i}`));
    const fingerprint = store.pepperedFingerprint('abc');
    store.close();
    const raw = bytes();
    for (const key of keys) expect(raw.includes(key)).toBe(false);
    const db = new Database(file(), { readonly: true });
    const pepper = (db.prepare("SELECT value FROM secrets WHERE name = 'fingerprint-pepper'").get() as { value: Buffer }).value;
    db.close();
    expect(pepper.length).toBe(1 + 12 + 16 + 32);
    // Reopened under the same KEK, the same keys and the same pepper come back.
    const again = new SustainerKeyStore(dir, kekA);
    keys.forEach((key, i) => expect(again.find(`s${i}`)?.equals(key)).toBe(true));
    expect(again.pepperedFingerprint('abc')).toBe(fingerprint);
    again.close();
    expect(inspectKeyFile(file())).toEqual({ kekId: kekA.id, keys: 50 });
  });

  it('refuses to open under another KEK, changing nothing', () => {
    const store = new SustainerKeyStore(dir, kekA);
    const key = store.create('s1');
    store.close();
    const before = bytes();
    expect(() => new SustainerKeyStore(dir, kekB)).toThrow(/wrapped under key-encryption key/);
    expect(bytes().equals(before)).toBe(true);
    expect(new SustainerKeyStore(dir, kekA).find('s1')?.equals(key)).toBe(true);
  });

  it('erasure still destroys the data key', () => {
    const store = new SustainerKeyStore(dir, kekA);
    store.create('s1');
    store.create('s2');
    const db = new Database(file(), { readonly: true });
    const wrapped = (db.prepare("SELECT data_key FROM sustainer_keys WHERE sustainer_id = 's1'").get() as { data_key: Buffer }).data_key;
    db.close();
    store.destroy('s1');
    expect(store.find('s1')).toBeUndefined();
    expect(store.find('s2')).toBeDefined();
    store.close();
    expect(bytes().includes(wrapped)).toBe(false);
  });

  it('wraps a keys.db from before (clear keys) when opened with a KEK, and keeps every key', () => {
    // keys.db as the previous version wrote it: clear 32-byte keys and a clear pepper, no meta.
    const legacy = new Database(file());
    legacy.exec(`CREATE TABLE sustainer_keys (sustainer_id TEXT PRIMARY KEY, data_key BLOB NOT NULL) WITHOUT ROWID;
      CREATE TABLE secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;`);
    const keys = Array.from({ length: 20 }, () => randomBytes(32));
    const pepper = randomBytes(32);
    keys.forEach((k, i) => legacy.prepare('INSERT INTO sustainer_keys VALUES (?, ?)').run(`s${i}`, k));
    legacy.prepare("INSERT INTO secrets VALUES ('fingerprint-pepper', ?)").run(pepper);
    legacy.close();
    expect(bytes().includes(keys[0])).toBe(true);
    expect(inspectKeyFile(file())).toEqual({ kekId: undefined, keys: 20 });

    const store = new SustainerKeyStore(dir, kekA);
    keys.forEach((k, i) => expect(store.find(`s${i}`)?.equals(k)).toBe(true));
    store.close();
    const raw = bytes();
    for (const k of [...keys, pepper]) expect(raw.includes(k)).toBe(false);
    expect(inspectKeyFile(file())).toEqual({ kekId: kekA.id, keys: 20 });
  });

  it('rotates the KEK: every key rewrapped at once, the old KEK refused after, the new one opens all', () => {
    const store = new SustainerKeyStore(dir, kekA);
    const keys = Array.from({ length: 10 }, (_, i) => store.create(`s${i}`));
    const fingerprint = store.pepperedFingerprint('x');
    store.close();
    expect(() => rewrapKeyFile(file(), KeyEncryptionKey.fromBytes(randomBytes(32)), kekB)).toThrow(/not under the current key/);
    expect(rewrapKeyFile(file(), kekA, kekB)).toBe(10);
    expect(() => rewrapKeyFile(file(), kekA, kekB)).toThrow(/already wrapped/);
    expect(() => new SustainerKeyStore(dir, kekA)).toThrow(KekError);
    expect(() => checkKeyFile(file(), kekA)).toThrow(KekError);
    expect(checkKeyFile(file(), kekB)).toBe(10);
    const rotated = new SustainerKeyStore(dir, kekB);
    keys.forEach((k, i) => expect(rotated.find(`s${i}`)?.equals(k)).toBe(true));
    expect(rotated.pepperedFingerprint('x')).toBe(fingerprint);
    rotated.close();
  });

  it('a running store whose file was rotated under it refuses to add keys under the old KEK', () => {
    const running = new SustainerKeyStore(dir, kekA);
    running.create('s1');
    rewrapKeyFile(file(), kekA, kekB);
    expect(() => running.create('s2')).toThrow(/restart the service with the new key/);
    expect(() => running.find('s1')).toThrow(/restart the service/);
    // Answered 503 STORE.UNAVAILABLE (an operator's fault, never a 500).
    expect(() => running.find('s1')).toThrow(StoreUnavailableError);
    expect(() => running.create('s3')).toThrow(StoreUnavailableError);
    running.close();
    expect(inspectKeyFile(file())).toEqual({ kekId: kekB.id, keys: 1 });
  });
});
