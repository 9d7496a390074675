import { spec } from '../../../shared/testing/decider-specification';
import { LabourExchangeCommand, LabourExchangeTerms, labourExchangeDecider } from './labour-exchange.decider';

const exchange = spec(labourExchangeDecider);
const now = '2027-02-10T10:00:00.000Z';
const terms: LabourExchangeTerms = { exchangeId: 'x1', workerId: 'builders', receiverId: 'bakers', minutes: 240, workedOn: '2027-02-09', description: 'oven repair' };
const propose = (forCooperative = 'builders', over: Partial<LabourExchangeTerms> = {}): LabourExchangeCommand => ({
  type: 'ProposeHours', terms: { ...terms, ...over }, forCooperative, by: `token:${forCooperative}`, now,
});
const confirm = (forCooperative: string): LabourExchangeCommand => ({ type: 'ConfirmHours', forCooperative, by: `token:${forCooperative}`, now });

describe('labour exchange decider', () => {
  it('is proposed by one of its two cooperatives, once, for hours already worked', () => {
    exchange.given([]).when(propose()).then([{ type: 'LabourHoursProposed', data: { ...terms, proposedBy: 'token:builders', proposedFor: 'builders', proposedAt: now } }]);
    exchange.given(exchange.history([propose()])).when(propose('bakers')).thenThrows('LABOUR.ALREADY_EXISTS', 409);
    exchange.given([]).when(propose('builders', { receiverId: 'builders' })).thenThrows('LABOUR.SAME_COOPERATIVE');
    exchange.given([]).when(propose('farmers')).thenThrows('COOPERATIVE.ACTING_FOR_ANOTHER', 403);
    exchange.given([]).when(propose('builders', { workedOn: '2027-02-11' })).thenThrows('LABOUR.DATE_IN_FUTURE');
  });

  it('posts the minutes from the receiver to the worker once the counterpart confirms, and only then', () => {
    const proposed = exchange.history([propose()]);
    exchange.given([]).when(confirm('bakers')).thenThrows('LABOUR.NOT_FOUND', 404);
    exchange.given(proposed).when(confirm('builders')).thenThrows('LABOUR.COUNTERPART_CONFIRMATION_REQUIRED', 409);
    exchange.given(proposed).when(confirm('farmers')).thenThrows('COOPERATIVE.ACTING_FOR_ANOTHER', 403);
    const exchanged = exchange.given(proposed).when(confirm('bakers')).thenMatches([
      {
        type: 'LabourHoursExchanged',
        data: {
          movementId: 'x1',
          effectiveAt: '2027-02-09T00:00:00.000Z',
          confirmedFor: 'bakers',
          postings: [{ from: 'coop:bakers', to: 'coop:builders', amountMinor: 240, asset: 'labour-minutes' }],
        },
      },
    ]);
    exchange.given([...proposed, ...exchanged]).when(confirm('bakers')).thenThrows('LABOUR.ALREADY_CONFIRMED', 409);
  });
});
