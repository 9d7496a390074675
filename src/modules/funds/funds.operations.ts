/**
 * Operation ids as the OpenAPI document named them before each use case got its own controller
 * (Nest derives them from `<Controller>_<method>`): clients generated from the document keep
 * their method names. `[0]`/`[1]` are the two paths of a route that serves both kinds.
 */
export const operationId = (controller: 'MoveMoneyController' | 'FundsQueryController' | 'BalancesController', method: string) =>
  `${controller}_${method}`;
