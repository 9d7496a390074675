import { Html, escapeHtml, html, join } from './html';

describe('html templates', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    const name = `<script>alert("x")</script>' onmouseover='x\``;
    const out = html`<p title="${name}">${name}</p>`.value;
    expect(out).not.toContain('<script>');
    expect(out).toBe(`<p title="${escapeHtml(name)}">${escapeHtml(name)}</p>`);
    expect(out).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;x&#96;');
  });

  it('inserts nested templates and lists as they are, and nothing for empty values', () => {
    const rows = ['a&b', 'c'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${rows}</ul>${null}${undefined}${false}${0}`.value).toBe('<ul><li>a&amp;b</li><li>c</li></ul>0');
    expect(join([html`<i>1</i>`, html`<i>2</i>`]).value).toBe('<i>1</i><i>2</i>');
    expect(html`${new Html('<b>ok</b>')}`.value).toBe('<b>ok</b>');
  });
});
