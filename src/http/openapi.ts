import { applyDecorators, type INestApplication } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  DocumentBuilder,
  type OpenAPIObject,
  SwaggerModule,
  getSchemaPath,
} from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, titleFor } from './problem-details';

/**
 * The OpenAPI document is the contract: these helpers give every route the same way to say
 * which problem documents it can answer and when it serves CSV.
 */

export class FieldErrorDto {
  @ApiProperty({ example: 'restriction.class', description: 'Dotted path of the bad field or query parameter.' })
  field!: string;

  @ApiProperty({ type: [String], example: ['class must be one of: unrestricted, board-designated, donor-restricted'] })
  messages!: string[];
}

/** RFC 9457 problem details, as every 4xx and 5xx of this API is answered. */
export class ProblemDto {
  @ApiProperty({ example: '/problems/fund.not-found', description: 'Relative URI naming the stable code.' })
  type!: string;

  @ApiProperty({ example: 'Not Found' })
  title!: string;

  @ApiProperty({ example: 404 })
  status!: number;

  @ApiProperty({ example: 'FUND.NOT_FOUND', description: 'Stable code: match on this, never on the text.' })
  code!: string;

  @ApiProperty({ example: 'No fund with this id.' })
  detail!: string;

  @ApiPropertyOptional({ example: '/v1/funds/0190…' })
  instance?: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'Present whenever a field is at fault.' })
  errors?: FieldErrorDto[];
}

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: the problem names each bad field in `errors`. Nothing was written.',
  401: 'No valid bearer token.',
  403: 'The token\'s role may not use this route.',
  404: 'No such resource, or one this token may not see.',
  405: 'The path exists, but not with this method.',
  409: 'A conflict with the current state (or another request won a race).',
  413: 'The request body is too large.',
  415: 'Only `application/json` bodies are accepted.',
  422: 'Understood and refused by a business rule; the `code` says which.',
  503: 'The store cannot take writes right now (e.g. the disk is full).',
};

/** The problem documents a route can answer, each with the shared schema. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDto, FieldErrorDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: PROBLEM_DESCRIPTIONS[status] ?? titleFor(status),
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDto) } } },
      }),
    ),
  );
}

/** A read that also serves CSV (`Accept: text/csv`): the 200 lists both media types. */
export function ApiCsvOk(options: { description: string; type: new (...args: never[]) => unknown }): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(options.type),
    ApiResponse({
      status: 200,
      description: `${options.description} \`Accept: text/csv\` answers CSV (RFC 4180, formulas defused).`,
      content: {
        'application/json': { schema: { $ref: getSchemaPath(options.type) } },
        'text/csv': { schema: { type: 'string' } },
      },
    }),
  );
}

/** Builds the document served at /docs and /docs-json. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('mutual-aid-ledger')
      .setDescription(
        'Event-sourced ledger of a network of worker cooperatives and a community land trust. ' +
          'Amounts are integer minor units. Errors are RFC 9457 problem documents with a stable `code`.',
      )
      .setVersion('1')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'opaque',
        description: 'An opaque `mal_…` token issued by `ledger tokens create`; only its SHA-256 is stored. Not a JWT.',
      })
      .build(),
    { extraModels: [ProblemDto, FieldErrorDto] },
  );
}
