import { goodsSentence } from './statement-documents';

describe('the US acknowledgement sentence', () => {
  const issuer = { name: 'Mutual Aid Network Inc.' };

  it('says no goods or services were provided, when none were', () => {
    expect(goodsSentence(issuer, { goodsOrServicesProvided: false, goodsServicesValueMinor: 0, currency: 'USD' })).toBe('No goods or services were provided in return for this contribution.');
  });

  it('states the value of what was given in return as a good faith estimate, formatted', () => {
    const sentence = goodsSentence(issuer, { goodsOrServicesProvided: true, goodsServicesValueMinor: 2_500, currency: 'USD' });
    expect(sentence).toContain('Mutual Aid Network Inc. provided goods or services');
    expect(sentence).toContain('good faith estimate, is $25.00');
    expect(sentence).toContain('only the amount of the contribution above that value may be deductible');
  });
});
