import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkConsistencyProof, checkInclusionProof } from '../src/audit/offline/check-proof';
import { verifyExport } from '../src/audit/offline/verify-export';
import { SealService } from '../src/audit/seals/seal.service';
import { trustKeys } from '../src/audit/seals/seal-checker';
import { publicKeyPem } from '../src/audit/seals/seal-statement';
import { expectProblem, seeded, useLedger } from './support/api';

/**
 * Seals, proofs and the export over HTTP: a sealed ledger with real gifts, the auditor's
 * inclusion and consistency proofs and a sustainer's proof of their own gift, each checked
 * offline with nothing but the public key; the streamed export verified offline; a key rotation.
 */
describe('seals, proofs and the export over HTTP', () => {
  const ledger = useLedger({ config: { seedFunds: 'default', sealIntervalSeconds: 3600, sealEveryEvents: 1_000_000 } });
  const { funds, post, get } = ledger;
  const ids: Record<string, string> = {};
  const gifts: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  let firstSeal: Record<string, unknown>;
  let secondSeal: Record<string, unknown>;
  let publicKey: string;
  const seal = () => ledger.t.app.get(SealService).tick(true);

  beforeAll(async () => {
    await seeded('income', post('/v1/income', { fundId: funds.general, source: 'Community Foundation', category: 'grant', amountMinor: 500_00, currency: 'USD', effectiveAt: '2026-01-05' }));
    for (const name of ['ada', 'bea']) {
      ids[name] = (await seeded('sustainer', post('/v1/sustainers', { displayName: `${name} Example`, anonymous: false }))).sustainerId;
      tokens[name] = (await ledger.t.token('sustainer', ids[name])).secret;
    }
    await seal();
    firstSeal = (await get('/v1/seals/latest', ledger.auditor)).body.seal;
    for (const name of ['ada', 'bea']) {
      gifts[name] = (await seeded('donation', post('/v1/donations', { sustainerId: ids[name], fundId: funds.general, amountMinor: 40_00, currency: 'USD', method: 'card', effectiveAt: '2026-02-01' }))).donationId;
    }
    await seal();
    secondSeal = (await get('/v1/seals/latest', ledger.auditor)).body.seal;
    publicKey = (await get('/v1/seals/public-key')).body.current.publicKey;
  });

  it('serves the public key without a token, and the latest seal to auditors', async () => {
    const keys = await ledger.t.request('GET', '/v1/seals/public-key');
    expect(keys.status).toBe(200);
    expect(keys.body.current.publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(keys.body.keys).toHaveLength(1);
    const latest = await get('/v1/seals/latest', ledger.auditor);
    expect(latest.status).toBe(200);
    expect(latest.body.seal).toMatchObject({ previousSeal: { treeSize: firstSeal.treeSize, rootHash: firstSeal.rootHash }, keyId: keys.body.current.keyId });
    expect(latest.body.status).toMatchObject({ status: 'ok', unsealedEvents: 0 });
    expect(typeof ledger.t.app.get(SealService).sealAgeSeconds()).toBe('number');
    expectProblem(await get('/v1/seals/latest', tokens.ada), 403, 'AUTH.FORBIDDEN');
    const health = await ledger.t.request('GET', '/health');
    expect(health.body.checks.seals).toMatchObject({ status: 'ok', sealing: true });
    // One instance on its own files: it always holds the singleton lease.
    expect(health.body.checks.singletons).toEqual({ held: true, mode: 'local' });
  });

  it('answers an inclusion proof that verifies offline, and fails for the wrong leaf or size', async () => {
    const keys = trustKeys([publicKey]);
    let position = 0;
    for await (const event of ledger.t.store.readStream(`movement-${gifts.ada}`, { maxCount: 1 })) position = event.globalPosition;
    const res = await get(`/v1/audit/proofs/inclusion?position=${position}`, ledger.auditor);
    expect(res.status).toBe(200);
    expect(checkInclusionProof(res.body, keys)).toMatchObject({ ok: true });
    expect(checkInclusionProof({ ...res.body, leafIndex: res.body.leafIndex + 1 }, keys).ok).toBe(false);
    expect(checkInclusionProof({ ...res.body, treeSize: res.body.treeSize - 1 }, keys).ok).toBe(false);
    expect(checkInclusionProof({ ...res.body, event: { ...res.body.event, data: { ...res.body.event.data, extra: 1 } } }, keys).ok).toBe(false);
    const stranger = generateKeyPairSync('ed25519').publicKey;
    expect(checkInclusionProof(res.body, trustKeys([publicKeyPem(stranger)])).ok).toBe(false);
  });

  it('answers a consistency proof between two seals; a tampered middle element fails', async () => {
    const keys = trustKeys([publicKey]);
    const res = await get(`/v1/audit/proofs/consistency?first=${firstSeal.treeSize}`, ledger.auditor);
    expect(res.status).toBe(200);
    expect(checkConsistencyProof(res.body, firstSeal as never, keys)).toMatchObject({ ok: true });
    const path = [...res.body.path];
    const middle = Math.floor(path.length / 2);
    path[middle] = path[middle].replace(/^./, (c: string) => (c === '0' ? '1' : '0'));
    expect(checkConsistencyProof({ ...res.body, path }, firstSeal as never, keys).ok).toBe(false);
  });

  it('refuses bad proof requests with a problem, never a 5xx', async () => {
    const head = await ledger.t.store.headPosition();
    expectProblem(await get('/v1/audit/proofs/inclusion', ledger.auditor), 400, 'REQUEST.INVALID');
    expectProblem(await get('/v1/audit/proofs/inclusion?position=abc', ledger.auditor), 400, 'REQUEST.INVALID');
    expectProblem(await get('/v1/audit/proofs/inclusion?position=1&treeSize=0', ledger.auditor), 400, 'REQUEST.INVALID');
    expectProblem(await get('/v1/audit/proofs/inclusion?position=1&treeSize=999999', ledger.auditor), 400, 'PROOF.TREE_SIZE_INVALID');
    expectProblem(await get('/v1/audit/proofs/inclusion?position=999999', ledger.auditor), 404, 'PROOF.EVENT_NOT_FOUND');
    expectProblem(await get('/v1/audit/proofs/consistency?first=999999', ledger.auditor), 400, 'PROOF.TREE_SIZE_INVALID');
    expectProblem(await get('/v1/audit/proofs/consistency?first=1&extra=1', ledger.auditor), 400, 'REQUEST.INVALID');
    // An event after the latest seal: not provable yet.
    await seeded('income', post('/v1/income', { fundId: funds.general, source: 'Late', category: 'grant', amountMinor: 1_00, currency: 'USD', effectiveAt: '2026-02-02' }));
    await ledger.t.app.get(SealService).sealer.catchUp();
    expectProblem(await get(`/v1/audit/proofs/inclusion?position=${head + 1}`, ledger.auditor), 409, 'PROOF.NOT_SEALED');
    await seal();
  });

  it('gives a sustainer proofs of their own gift that verify offline, and 404 for anyone else\'s', async () => {
    const keys = trustKeys([publicKey]);
    const mine = await get(`/v1/me/donations/${gifts.ada}/proof`, tokens.ada);
    expect(mine.status).toBe(200);
    expect(mine.body.proofs.length).toBeGreaterThanOrEqual(2);
    for (const proof of mine.body.proofs) {
      expect(proof.event.streamId).toBe(`movement-${gifts.ada}`);
      expect(checkInclusionProof(proof, keys)).toMatchObject({ ok: true });
    }
    const others = await get(`/v1/me/donations/${gifts.bea}/proof`, tokens.ada);
    const unknown = await get('/v1/me/donations/4b8e2f44-8a59-4f53-9a0b-0d1b7a4c9e11/proof', tokens.ada);
    expectProblem(others, 404, 'DONATION.NOT_FOUND');
    expectProblem(unknown, 404, 'DONATION.NOT_FOUND');
    expect(Object.keys(others.body).sort()).toEqual(Object.keys(unknown.body).sort());
    expectProblem(await get(`/v1/me/donations/${gifts.ada}/proof`, ledger.steward), 403, 'AUTH.FORBIDDEN');
    expectProblem(await get('/v1/me/donations/not-a-uuid/proof', tokens.ada), 400, 'REQUEST.INVALID');
  });

  it('proves consistency between two kept seals that are not the latest, and inclusion in an earlier seal', async () => {
    const keys = trustKeys([publicKey]);
    // A later seal exists by now (the test before sealed a late income): neither kept seal is the latest.
    expect((await get('/v1/seals/latest', ledger.auditor)).body.seal.treeSize).toBeGreaterThan(Number(secondSeal.treeSize));
    const res = await get(`/v1/audit/proofs/consistency?first=${firstSeal.treeSize}&second=${secondSeal.treeSize}`, ledger.auditor);
    expect(res.status).toBe(200);
    expect(res.body.secondSeal).toEqual(secondSeal);
    expect(checkConsistencyProof(res.body, firstSeal as never, keys)).toMatchObject({ ok: true });
    // The auditor's own copy of the later seal, not the one in the answer.
    const { secondSeal: _held, ...bare } = res.body;
    expect(checkConsistencyProof(bare, firstSeal as never, keys, secondSeal as never)).toMatchObject({ ok: true });
    const forged = { ...secondSeal, rootHash: String(secondSeal.rootHash).replace(/^./, (c) => (c === '0' ? '1' : '0')) };
    expect(checkConsistencyProof(bare, firstSeal as never, keys, forged as never).ok).toBe(false);
    // A tree size that is no seal's: the proof holds no seal, and says so.
    const unsealed = await get(`/v1/audit/proofs/consistency?first=${firstSeal.treeSize}&second=${Number(secondSeal.treeSize) - 1}`, ledger.auditor);
    expect(unsealed.body.secondSeal).toBeUndefined();
    expect(checkConsistencyProof(unsealed.body, firstSeal as never, keys).detail).toMatch(/--second-seal/);
    let position = 0;
    for await (const event of ledger.t.store.readStream(`movement-${gifts.bea}`, { maxCount: 1 })) position = event.globalPosition;
    const inclusion = await get(`/v1/audit/proofs/inclusion?position=${position}&treeSize=${secondSeal.treeSize}`, ledger.auditor);
    expect(inclusion.body.seal).toEqual(secondSeal);
    expect(checkInclusionProof(inclusion.body, keys)).toMatchObject({ ok: true });
  });

  it('streams the export to auditors; it verifies offline with the public key and replays the trial balance', async () => {
    const res = await ledger.t.request('GET', '/v1/audit/export', { token: ledger.auditor });
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/application\/x-ndjson/);
    expectProblem(await get('/v1/audit/export', ledger.steward), 403, 'AUTH.FORBIDDEN');
    const dir = mkdtempSync(join(tmpdir(), 'ledger-export-'));
    try {
      const file = join(dir, 'export.ndjson');
      writeFileSync(file, res.text);
      const report = await verifyExport(file, { keys: trustKeys([publicKey]), keptSeal: firstSeal as never });
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.seals.sealsChecked).toBeGreaterThanOrEqual(3);
      expect(report.seals.keptSeal).toMatchObject({ status: 'consistent' });
      expect(report.trialBalance.balanced).toBe(true);
      expect(report.valueEvents).toBeGreaterThanOrEqual(3);
      const stranger = publicKeyPem(generateKeyPairSync('ed25519').publicKey);
      const untrusted = await verifyExport(file, { keys: trustKeys([stranger]) });
      expect(untrusted.ok).toBe(false);
      expect(untrusted.firstProblem?.detail).toMatch(/not a trusted key/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rotates the key with an event signed by the old key; the original key still verifies everything', async () => {
    const sealer = ledger.t.app.get(SealService).sealer;
    const rotation = await sealer.rotate();
    expect(rotation.oldKeyId).not.toBe(rotation.newKeyId);
    const keys = (await get('/v1/seals/public-key')).body;
    expect(keys.current.keyId).toBe(rotation.newKeyId);
    expect(keys.keys).toHaveLength(2);
    const verify = await get('/v1/audit/verify', ledger.auditor);
    expect(verify.body.problems).toEqual([]);
    expect(verify.body.seals).toMatchObject({ rotationsChecked: 1 });
    const res = await ledger.t.request('GET', '/v1/audit/export', { token: ledger.auditor });
    const dir = mkdtempSync(join(tmpdir(), 'ledger-export-'));
    try {
      const file = join(dir, 'export.ndjson');
      writeFileSync(file, res.text);
      const report = await verifyExport(file, { keys: trustKeys([publicKey]) });
      expect(report.problems).toEqual([]);
      expect(report.seals.lastSeal?.treeSize).toBeGreaterThan(Number(firstSeal.treeSize));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('after a rotation, a sustainer\'s proof and a consistency proof check with the original key alone (the proofs carry the rotation)', async () => {
    const original = trustKeys([publicKey]);
    await seeded('donation', post('/v1/donations', { sustainerId: ids.ada, fundId: funds.general, amountMinor: 12_00, currency: 'USD', method: 'card', effectiveAt: '2026-02-03' }));
    await seal();
    const latest = (await get('/v1/seals/latest', ledger.auditor)).body.seal;
    const current = (await get('/v1/seals/public-key')).body.current.keyId;
    expect(latest.keyId).toBe(current);
    expect(current).not.toBe(original[0].keyId);
    const mine = await get(`/v1/me/donations/${gifts.ada}/proof`, tokens.ada);
    expect(mine.body.proofs.length).toBeGreaterThanOrEqual(2);
    for (const proof of mine.body.proofs) {
      expect(proof.seal.keyId).toBe(current);
      expect(proof.keyRotations).toHaveLength(1);
      expect(checkInclusionProof(proof, original)).toMatchObject({ ok: true });
      // Without the rotation, the original key does not vouch for the new one.
      expect(checkInclusionProof({ ...proof, keyRotations: [] }, original).detail).toMatch(/neither a key given nor one a given key was rotated to/);
      // A rotation to another key, not signed by the key it retires: refused.
      const stranger = generateKeyPairSync('ed25519');
      const forged = { ...proof.keyRotations[0], newPublicKey: publicKeyPem(stranger.publicKey) };
      expect(checkInclusionProof({ ...proof, keyRotations: [forged] }, original).ok).toBe(false);
    }
    const consistency = await get(`/v1/audit/proofs/consistency?first=${firstSeal.treeSize}`, ledger.auditor);
    expect(consistency.body.secondSeal.keyId).toBe(current);
    expect(checkConsistencyProof(consistency.body, firstSeal as never, original)).toMatchObject({ ok: true });
    // The verifier of an export, given the original key and a seal kept after the rotation (signed by the new key).
    await seeded('income', post('/v1/income', { fundId: funds.general, source: 'After', category: 'grant', amountMinor: 2_00, currency: 'USD', effectiveAt: '2026-02-04' }));
    await seal();
    const res = await ledger.t.request('GET', '/v1/audit/export', { token: ledger.auditor });
    const dir = mkdtempSync(join(tmpdir(), 'ledger-export-'));
    try {
      const file = join(dir, 'export.ndjson');
      writeFileSync(file, res.text);
      const report = await verifyExport(file, { keys: original, keptSeal: latest });
      expect(report.problems).toEqual([]);
      expect(report.seals.keptSeal).toMatchObject({ treeSize: latest.treeSize, status: 'consistent' });
      const forged = await verifyExport(file, { keys: original, keptSeal: { ...latest, sealedAt: '2026-01-01T00:00:00.000Z' } });
      expect(forged.firstProblem?.detail).toMatch(/the kept seal has no valid signature/);
      const stranger = generateKeyPairSync('ed25519');
      const unknown = await verifyExport(file, { keys: trustKeys([publicKeyPem(stranger.publicKey)]), keptSeal: latest });
      expect(unknown.ok).toBe(false);
      expect(unknown.problems.map((p) => p.detail).join('\n')).toMatch(/kept seal is signed by key .*neither a key given nor one a given key was rotated to/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
