import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { InclusionProof, inclusionProof } from '../../../audit/seals/proofs';
import { SealService } from '../../../audit/seals/seal.service';
import { INCLUSION_SCHEMA } from '../../../audit/seals/seals.controller';
import { EventStore } from '../../../event-store/event-store.port';
import { CurrentActor, Roles } from '../../../http/auth';
import { ApiProblems } from '../../../http/openapi';
import { PositionQueryDto } from '../../../http/query.dto';
import { UuidParamPipe } from '../../../http/validation';
import { WriteResponder } from '../../../http/write-responder';
import type { Actor } from '../../../shared/decider';
import { movementStream } from '../../funds';
import { DonationErrors, SustainerErrors } from '../sustainers.errors';
import { DONATION_ID, SustainersOperation } from '../sustainers-openapi';

export interface GiftProof {
  readonly donationId: string;
  /** One inclusion proof per event of the gift (requested, posted, any refund) the latest seal covers. */
  readonly proofs: readonly InclusionProof[];
  /** Positions of the gift's events not sealed yet: ask again after the next seal. */
  readonly pending: readonly number[];
}

/**
 * A sustainer's proof that their gift is in the signed ledger: the gift's own events (its
 * movement stream holds nothing of anyone else) with their inclusion proofs in the latest seal,
 * checked offline with `ledger-audit check-proof` and the public key. Another sustainer's gift,
 * or an id that is no gift, answers 404 DONATION.NOT_FOUND alike.
 */
@ApiTags('sustainers')
@Controller('v1')
export class ProveOwnGiftController {
  constructor(
    private readonly store: EventStore,
    private readonly seals: SealService,
    private readonly responder: WriteResponder,
  ) {}

  @Get('me/donations/:donationId/proof')
  @Roles('sustainer')
  @SustainersOperation('myGiftProof', 'Inclusion proofs of one of the token\'s own gifts in the latest seal')
  @ApiParam(DONATION_ID)
  @ApiOkResponse({
    description: 'The gift\'s events, each with its audit path to the sealed root, and the seal.',
    schema: { type: 'object', required: ['donationId', 'proofs', 'pending'], properties: { donationId: { type: 'string' }, proofs: { type: 'array', items: INCLUSION_SCHEMA }, pending: { type: 'array', items: { type: 'integer' } } } },
  })
  @ApiProblems(400, 404, 409)
  async proof(@Param('donationId', UuidParamPipe) donationId: string, @Query() query: PositionQueryDto, @CurrentActor() actor: Actor): Promise<GiftProof> {
    await this.responder.awaitPosition(query.minPosition);
    if (!actor.subject) throw SustainerErrors.tokenNotBound();
    const positions: number[] = [];
    let mine = false;
    for await (const event of this.store.readStream(movementStream(donationId))) {
      if (event.streamVersion === 0) {
        const data = event.data as { kind?: string; sustainerId?: string };
        mine = data.kind === 'donation' && data.sustainerId === actor.subject;
        if (!mine) break;
      }
      positions.push(event.globalPosition);
    }
    if (!mine) throw DonationErrors.notFound(donationId);
    const proofs: InclusionProof[] = [];
    const pending: number[] = [];
    for (const position of positions) {
      try {
        proofs.push(await inclusionProof(this.store, this.seals.sealer, position));
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code !== 'PROOF.NOT_SEALED' && code !== 'SEAL.NONE') throw error;
        pending.push(position);
      }
    }
    return { donationId, proofs, pending };
  }
}
