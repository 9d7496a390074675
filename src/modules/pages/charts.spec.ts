import { barChart, columnChart } from './charts';

describe('SVG charts', () => {
  it('draws one column per value with a title and a description, scaled to the largest', () => {
    const svg = columnChart({
      id: 'm', title: 'By month', description: 'Received and spent', labels: ['Jan', 'Feb'],
      series: [{ name: 'Received', tone: 'received', values: [100, 50] }, { name: 'Spent', tone: 'spent', values: [0, 25] }],
    }).value;
    expect(svg).toContain('role="img"');
    expect(svg).toContain('<title id="m-title">By month</title>');
    expect(svg.match(/<rect class="bar/g)).toHaveLength(4);
    expect(svg).toContain('height="160"');
    expect(svg).toContain('height="80"');
  });

  it('escapes labels and copes with no data', () => {
    const svg = barChart({ id: 'b', title: 't', description: 'd', tone: 'spent', rows: [{ label: '<x>', value: 0, text: '$0.00' }] }).value;
    expect(svg).toContain('&lt;x&gt;');
    expect(svg).toContain('width="0"');
    expect(columnChart({ id: 'e', title: 't', description: 'd', labels: [], series: [] }).value).toContain('<svg');
  });
});
