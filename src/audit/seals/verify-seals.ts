import type { LogVerifier } from '../verify/verify-log';
import { SealCheckSummary, SealChecker, trustKeys } from './seal-checker';
import type { SealKeys } from './seal-keys';

/**
 * The seal checks `ledger verify`, `GET /v1/audit/verify` and the background verifier add to the
 * hash chain checks: every seal in the log (SealChecker, as an event rule), and the log against
 * the signer's own record in seal-keys.db, kept outside the log: a log shorter than the last
 * seal signed was truncated; one whose tree at that size has another root was rewritten; after a
 * clean shutdown, an unsealed event was appended behind the service's back.
 */
export interface SealVerification {
  readonly rule: SealChecker['check'];
  /** After the last event: adds the end-of-log problems to the verifier; answers the summary. */
  finish(verifier: LogVerifier): SealCheckSummary;
}

export function sealVerification(keys: Pick<SealKeys, 'signed' | 'publicKeys'>): SealVerification {
  const signed = keys.signed();
  const checker = new SealChecker(
    trustKeys(keys.publicKeys().map((k) => k.publicKey)),
    signed && signed.treeSize > 0 ? { treeSize: signed.treeSize, rootHash: signed.rootHash } : undefined,
    (keyId) => trustKeys(keys.publicKeys().filter((k) => k.keyId === keyId).map((k) => k.publicKey))[0],
  );
  return {
    rule: checker.check,
    finish(verifier) {
      const truncated = checker.finish();
      const position = verifier.position;
      if (truncated) verifier.addProblem({ kind: 'TRUNCATED', position: position + 1, detail: `${truncated} (the last seal signed ends at position ${signed?.lastPosition})` });
      const summary = checker.summary();
      if (signed?.cleanShutdown && summary.unsealedEvents > 0) {
        verifier.addProblem({
          kind: 'UNSEALED_TAIL',
          position: summary.firstUnsealedPosition ?? position,
          detail: `${summary.unsealedEvents} event(s) follow the last seal although the service sealed the log when it stopped: appended behind its back`,
        });
      }
      return summary;
    },
  };
}
