import { Injectable } from '@nestjs/common';
import { SealService } from '../../../audit/seals/seal.service';
import { SealSource, SealSummary } from '../seams';

/** The public page's seal: the latest signed tree head the seal service recorded in the log. */
@Injectable()
export class SealServiceSource extends SealSource {
  constructor(private readonly seals: SealService) {
    super();
  }

  async latest(): Promise<SealSummary | undefined> {
    const latest = await this.seals.sealer.latestSeal();
    if (!latest) return undefined;
    const seal = latest.data;
    const key = this.seals.sealer.keys.publicKeys().find((k) => k.keyId === seal.keyId);
    return {
      fromPosition: seal.treeSize > 0 ? 1 : 0,
      toPosition: seal.lastPosition,
      merkleRoot: seal.rootHash,
      signature: seal.signature,
      publicKey: key?.publicKey ?? seal.keyId,
      sealedAt: seal.sealedAt,
      howToVerify:
        `it signs the first ${seal.treeSize} events of the log. Keep the public key (GET /v1/seals/public-key) and this seal; ` +
        'an auditor checks them with the offline verifier against an export of the log (see the README, "Auditing").',
    };
  }
}
