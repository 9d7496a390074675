import { toCsv } from './csv';

describe('toCsv', () => {
  it('quotes per RFC 4180, ends lines with CRLF and defuses formulas in text but not in numbers', () => {
    expect(toCsv(['a', 'b'], [['=SUM(A1)', -500], ['x,y', 'say "hi"'], ['@cmd', '+1'], ['-x', true]])).toBe(
      "a,b\r\n'=SUM(A1),-500\r\n\"x,y\",\"say \"\"hi\"\"\"\r\n'@cmd,'+1\r\n'-x,true\r\n",
    );
  });
});
