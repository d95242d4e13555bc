import { lokiLogFrame } from './lokiFrames';

// The canned frames must be the ones Grafana's Loki backend sends: rows of its golden file
// pkg/tsdb/loki/testdata_dataplane/streams_simple.golden.jsonc, rebuilt here, get the same fields and row ids.
describe('lokiLogFrame', () => {
  const labels = { code: '",two', location: 'moon🌙' };
  const rows = [
    { line: 'log line error 1', tsNs: '1645030244810757120', labels: { code: 'one",', location: 'moon🌙' } },
    { line: 'log line info 2', tsNs: '1645030246277587968', labels },
    { line: 'log line info 2', tsNs: '1645030246277587968', labels },
  ];

  it('gives each row the id makeIdField does: time, FNV-1 of line and labels, a counter for repeats', () => {
    const frame = lokiLogFrame(rows, { dataplane: true });
    expect(frame.data!.values[3]).toEqual([
      '1645030244810757120_1d8c2178',
      '1645030246277587968_318d05c9',
      '1645030246277587968_318d05c9_1',
    ]);
    expect(frame.data!.values[1]).toEqual([1645030244810, 1645030246277, 1645030246277]);
    expect(frame.data!.nanos![1]).toEqual([757120, 587968, 587968]);
  });

  it('names the fields as the legacy and the dataplane frames do', () => {
    const names = (dataplane: boolean) => lokiLogFrame(rows, { dataplane }).schema!.fields.map((f) => f.name);
    expect(names(false)).toEqual(['labels', 'Time', 'Line', 'tsNs', 'id']);
    expect(names(true)).toEqual(['attributes', 'timestamp', 'body', 'id']);
  });
});
