import { Readable } from 'node:stream';
import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiPropertyOptional, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { Public, Roles } from '../../http/auth';
import { OptionalField, ToInteger } from '../../http/dto-rules';
import { ApiProblems } from '../../http/openapi';
import { PositionQueryDto } from '../../http/query.dto';
import { WriteResponder } from '../../http/write-responder';
import { EventStore } from '../../event-store/event-store.port';
import { exportLog } from './export';
import { ConsistencyProof, InclusionProof, ProofErrors, consistencyProof, inclusionProof } from './proofs';
import { SealService } from './seal.service';

const SIZE = { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } as const;

export class InclusionQueryDto extends PositionQueryDto {
  @ApiProperty({ ...SIZE, description: 'Log position of the event to prove.' })
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  position!: number;

  @ApiPropertyOptional({ ...SIZE, description: 'Prove against the tree of this size (default: the latest seal).' })
  @OptionalField()
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  treeSize?: number;
}

export class ConsistencyQueryDto extends PositionQueryDto {
  @ApiProperty({ ...SIZE, description: 'The earlier tree size (e.g. of a seal the auditor kept).' })
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  first!: number;

  @ApiPropertyOptional({ ...SIZE, description: 'The later tree size (default: the latest seal).' })
  @OptionalField()
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  second?: number;
}

const HEX_LIST = { type: 'array', items: { type: 'string', pattern: '^[0-9a-f]{64}$' } };
const KEY_ROTATIONS = {
  type: 'array',
  description: 'Every SealKeyRotated event of the log (its data and position), oldest first: a checker given the first key follows them to the seal\'s key.',
  items: {
    type: 'object',
    required: ['position', 'oldKeyId', 'newKeyId', 'newPublicKey', 'rotatedAt', 'oldKeySignature', 'newKeySignature'],
    properties: {
      position: { type: 'integer' },
      oldKeyId: { type: 'string' },
      newKeyId: { type: 'string' },
      newPublicKey: { type: 'string' },
      rotatedAt: { type: 'string', format: 'date-time' },
      oldKeySignature: { type: 'string' },
      newKeySignature: { type: 'string' },
    },
  },
};
export const SEAL_SCHEMA = {
  type: 'object',
  required: ['treeSize', 'rootHash', 'lastPosition', 'sealedAt', 'previousSeal', 'keyId', 'signature'],
  properties: {
    treeSize: { type: 'integer' },
    rootHash: { type: 'string' },
    lastPosition: { type: 'integer' },
    sealedAt: { type: 'string', format: 'date-time' },
    previousSeal: { type: 'object', nullable: true, properties: { treeSize: { type: 'integer' }, rootHash: { type: 'string' } } },
    keyId: { type: 'string' },
    signature: { type: 'string', description: 'Ed25519, base64, over the canonical JSON statement (README, Auditing).' },
  },
};
export const INCLUSION_SCHEMA = {
  type: 'object',
  required: ['kind', 'event', 'leafIndex', 'treeSize', 'leafHash', 'auditPath', 'rootHash', 'keyRotations'],
  properties: {
    kind: { type: 'string', enum: ['inclusion'] },
    event: { type: 'object', description: 'The event as recorded; its hash is recomputed from it.' },
    leafIndex: { type: 'integer' },
    treeSize: { type: 'integer' },
    leafHash: { type: 'string' },
    auditPath: HEX_LIST,
    rootHash: { type: 'string' },
    seal: SEAL_SCHEMA,
    keyRotations: KEY_ROTATIONS,
  },
};
const CONSISTENCY_SCHEMA = {
  type: 'object',
  required: ['kind', 'first', 'second', 'firstRootHash', 'secondRootHash', 'path', 'keyRotations'],
  properties: {
    kind: { type: 'string', enum: ['consistency'] },
    first: { type: 'integer' },
    second: { type: 'integer' },
    firstRootHash: { type: 'string' },
    secondRootHash: { type: 'string' },
    path: HEX_LIST,
    secondSeal: SEAL_SCHEMA,
    keyRotations: KEY_ROTATIONS,
  },
};
const KEYS_SCHEMA = {
  type: 'object',
  required: ['current', 'keys'],
  properties: {
    current: { type: 'object', nullable: true, properties: { keyId: { type: 'string' }, publicKey: { type: 'string' } } },
    keys: { type: 'array', items: { type: 'object', properties: { keyId: { type: 'string' }, publicKey: { type: 'string' }, createdAt: { type: 'string' }, status: { type: 'string' } } } },
  },
};

@ApiTags('audit')
@Controller('v1')
export class SealsController {
  constructor(
    private readonly seals: SealService,
    private readonly store: EventStore,
    private readonly responder: WriteResponder,
  ) {}

  @Get('seals/public-key')
  @Public()
  @ApiOperation({ summary: 'The public keys that sign the ledger\'s seals (Ed25519, SPKI PEM)' })
  @ApiOkResponse({ description: 'The current key and every earlier one.', schema: KEYS_SCHEMA })
  @ApiProblems(400)
  async publicKeys(@Query() query: PositionQueryDto) {
    await this.responder.awaitPosition(query.minPosition);
    const keys = this.seals.sealer.keys.publicKeys();
    const current = keys.find((k) => k.status === 'current');
    return { current: current ? { keyId: current.keyId, publicKey: current.publicKey } : null, keys };
  }

  @Get('seals/latest')
  @Roles('auditor', 'steward')
  @ApiOperation({ summary: 'The latest seal (signed tree head) and the follower\'s status' })
  @ApiOkResponse({ description: 'The seal as recorded in the log, its position, and the follower\'s status.', schema: { type: 'object', required: ['seal', 'position', 'status'], properties: { seal: SEAL_SCHEMA, position: { type: 'integer' }, status: { type: 'object' } } } })
  @ApiProblems(400, 404)
  async latest(@Query() query: PositionQueryDto) {
    await this.responder.awaitPosition(query.minPosition);
    const latest = await this.seals.sealer.latestSeal();
    if (!latest) throw ProofErrors.noSeal();
    return { seal: latest.data, position: latest.position, status: this.seals.status() };
  }

  @Get('audit/proofs/inclusion')
  @Roles('auditor', 'steward')
  @ApiOperation({ summary: 'Inclusion proof of one event in the latest seal (or a tree size), RFC 9162' })
  @ApiOkResponse({ description: 'The event, its leaf index and audit path, the root and the seal.', schema: INCLUSION_SCHEMA })
  @ApiProblems(400, 404, 409)
  async inclusion(@Query() query: InclusionQueryDto): Promise<InclusionProof> {
    await this.responder.awaitPosition(query.minPosition);
    return inclusionProof(this.store, this.seals.sealer, query.position, query.treeSize);
  }

  @Get('audit/proofs/consistency')
  @Roles('auditor', 'steward')
  @ApiOperation({ summary: 'Consistency proof between two tree sizes (the later log extends the earlier), RFC 9162' })
  @ApiOkResponse({ description: 'Both roots and the proof path; the later seal when `second` is a seal\'s tree size (always the latest\'s); the key rotations.', schema: CONSISTENCY_SCHEMA })
  @ApiProblems(400, 404)
  async consistency(@Query() query: ConsistencyQueryDto): Promise<ConsistencyProof> {
    await this.responder.awaitPosition(query.minPosition);
    return consistencyProof(this.seals.sealer, query.first, query.second);
  }

  @Get('audit/export')
  @Roles('auditor')
  @ApiOperation({ summary: 'The whole log as NDJSON (header, every event, end), streamed' })
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({ description: 'As `ledger export`: verify it offline with `ledger-audit verify`.', content: { 'application/x-ndjson': { schema: { type: 'string' } } } })
  @ApiProblems(400)
  async export(@Query() query: PositionQueryDto, @Res() reply: FastifyReply): Promise<void> {
    await this.responder.awaitPosition(query.minPosition);
    const keys = this.seals.sealer.keys.publicKeys().map(({ keyId, publicKey, status }) => ({ keyId, publicKey, status }));
    await reply
      .status(200)
      .header('content-type', 'application/x-ndjson; charset=utf-8')
      .header('content-disposition', 'attachment; filename="ledger-export.ndjson"')
      .send(Readable.from(exportLog(this.store, keys)));
  }
}
