import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { readText } from '../../src/kube/undici-http.ts';

type Body = Parameters<typeof readText>[0];

test('readText decodes a body chunk by chunk, characters split across chunks included', async () => {
  const text = `{"items":[{"name":"a"}],"note":"naïve — 日本 🚀 ${'x'.repeat(70_000)}"}`;
  const bytes = Buffer.from(text, 'utf8');
  // cut inside each multi-byte character (ï, —, 日, 本, and 🚀 twice)
  const cuts = [13, 35, 40, 44, 47, 51, 52, 65_536, bytes.length];
  const chunks = cuts.map((end, i) => bytes.subarray(i === 0 ? 0 : cuts[i - 1], end));
  assert.equal(Buffer.concat(chunks).length, bytes.length);
  assert.equal(await readText(Readable.from(chunks) as unknown as Body), text);
  assert.equal(await readText(Readable.from([]) as unknown as Body), '');
});
