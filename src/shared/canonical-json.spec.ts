import * as fc from 'fast-check';
import { canonicalJson, isCanonicalJsonText } from './canonical-json';

const reference = (text: string) => canonicalJson(JSON.parse(text)) === text;

describe('isCanonicalJsonText', () => {
  // Keys that are array indices ("0", "10") are enumerated first and in numeric order by the
  // engine, so a canonical text holding them may be answered `false`: the caller then asks the
  // library. `true` is always right.
  const indexKeys = (text: string) => /"(0|[1-9][0-9]*)":/.test(text);

  it('says yes to the canonical text of arbitrary JSON values (without array-index keys)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        const answer = isCanonicalJsonText(text, JSON.parse(text));
        if (!indexKeys(text)) expect(answer).toBe(true);
        if (answer) expect(reference(text)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with canonicalJson on JSON texts written any other way (member order, spacing, numbers, escapes)', () => {
    fc.assert(
      fc.property(fc.json(), fc.boolean(), (text, spaced) => {
        const written = spaced ? JSON.stringify(JSON.parse(text), null, 1) : text;
        const answer = isCanonicalJsonText(written, JSON.parse(written));
        // Never yes where the library says no; no where it says yes only for array-index keys.
        if (answer) expect(reference(written)).toBe(true);
        else if (!indexKeys(written)) expect(reference(written)).toBe(false);
      }),
      { numRuns: 5000 },
    );
  });

  it('finds what makes a text not canonical', () => {
    const cases: Array<[string, boolean]> = [
      ['{"a":1,"b":[1,2,{"c":null,"d":"x"}]}', true],
      ['{"b":1,"a":2}', false],
      ['{"a":1, "b":2}', false],
      ['{"a":1.0}', false],
      ['{"a":1e2}', false],
      ['{"a":"\\u0041"}', false],
      ['{"a":1,"a":2}', false],
      ['{"9":2,"10":1}', false],
      ['{"a":{"z":1,"y":2}}', false],
      ['[{"b":1,"a":1}]', false],
      ['{"é":1,"z":2}', false],
      ['{"z":2,"é":1}', true],
      ['{"__proto__":1,"a":2}', true],
      ['-0', false],
      ['"x"', true],
    ];
    // Canonical, but the engine enumerates "9" before "10": answered no, so the library decides.
    expect(reference('{"10":1,"9":2}')).toBe(true);
    expect(isCanonicalJsonText('{"10":1,"9":2}', JSON.parse('{"10":1,"9":2}'))).toBe(false);
    for (const [text, canonical] of cases) {
      expect([text, isCanonicalJsonText(text, JSON.parse(text))]).toEqual([text, canonical]);
      expect([text, reference(text)]).toEqual([text, canonical]);
    }
  });
});
