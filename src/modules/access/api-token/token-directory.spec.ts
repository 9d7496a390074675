import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedEvent } from '../../../event-store/envelope';
import type { ReadModelDatabase } from '../../../projections/read-model-database';
import { apiTokenProjection } from './api-token.projection';
import { ReadModelTokenDirectory } from './token-directory';

const issued = (tokenId: string, tokenHash: string) =>
  ({ type: 'ApiTokenIssued', data: { tokenId, name: tokenId, role: 'auditor', tokenHash, issuedAt: '2026-12-01T00:00:00.000Z' } }) as unknown as RecordedEvent;
const revoked = (tokenId: string) =>
  ({ type: 'ApiTokenRevoked', data: { tokenId, reason: 'left', revokedAt: '2026-12-01T01:00:00.000Z' } }) as unknown as RecordedEvent;

describe('the guard\'s token directory', () => {
  let dir: string;
  let service: Database.Database;
  let directory: ReadModelTokenDirectory;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'token-directory-'));
    service = new Database(join(dir, 'readmodels.db'));
    service.pragma('journal_mode = WAL');
    apiTokenProjection.setup(service);
    directory = new ReadModelTokenDirectory({ db: service } as unknown as ReadModelDatabase);
  });
  afterEach(() => {
    service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps what it found: a change that is no token event applied nor another connection\'s commit is not seen', () => {
    apiTokenProjection.apply(service, issued('t1', 'h1'));
    expect(directory.find('h1')).toEqual({ tokenId: 't1', role: 'auditor' });
    // Only to show the answer comes from memory: nothing but the projection writes this table.
    service.prepare("UPDATE api_tokens SET role = 'steward' WHERE token_id = 't1'").run();
    expect(directory.find('h1')?.role).toBe('auditor');
  });

  it('sees a revocation this connection\'s projection applies at once', () => {
    apiTokenProjection.apply(service, issued('t1', 'h1'));
    expect(directory.find('h1')?.revokedAt).toBeUndefined();
    apiTokenProjection.apply(service, revoked('t1'));
    expect(directory.find('h1')?.revokedAt).toBe('2026-12-01T01:00:00.000Z');
  });

  it('sees a revocation another connection applied to the same file (the CLI catching the read models up)', () => {
    apiTokenProjection.apply(service, issued('t1', 'h1'));
    expect(directory.find('h1')?.revokedAt).toBeUndefined();
    const cli = new Database(join(dir, 'readmodels.db'));
    try {
      apiTokenProjection.apply(cli, revoked('t1'));
    } finally {
      cli.close();
    }
    expect(directory.find('h1')?.revokedAt).toBe('2026-12-01T01:00:00.000Z');
  });

  it('never keeps a hash it did not find', () => {
    expect(directory.find('h2')).toBeUndefined();
    const cli = new Database(join(dir, 'readmodels.db'));
    try {
      apiTokenProjection.apply(cli, issued('t2', 'h2'));
    } finally {
      cli.close();
    }
    expect(directory.find('h2')).toEqual({ tokenId: 't2', role: 'auditor' });
  });
});
