import { ApiOperation } from '@nestjs/swagger';

/**
 * The operation of a sustainers route, with the operationId the OpenAPI document published while
 * one controller served every route: clients generated from it keep their method names.
 */
export function SustainersOperation(method: string, summary: string): MethodDecorator {
  return ApiOperation({ operationId: `SustainersController_${method}`, summary });
}

export const SUSTAINER_ID = { name: 'sustainerId', format: 'uuid' } as const;
export const PLEDGE_ID = { name: 'pledgeId', format: 'uuid' } as const;
export const DONATION_ID = { name: 'donationId', format: 'uuid' } as const;
