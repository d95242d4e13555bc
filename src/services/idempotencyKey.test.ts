import { launchContentKey, newIdempotencyKey } from './idempotencyKey';

describe('newIdempotencyKey', () => {
  const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('makes a v4 UUID even where randomUUID is missing (Grafana served over plain http)', () => {
    const original = crypto.randomUUID;
    Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
    try {
      const keys = new Set(Array.from({ length: 20 }, newIdempotencyKey));
      expect(keys.size).toBe(20);
      keys.forEach((key) => expect(key).toMatch(uuidV4));
    } finally {
      Object.defineProperty(crypto, 'randomUUID', { value: original, configurable: true });
    }
  });

  it('fits the proxy IdempotencyKey pattern', () => {
    expect(newIdempotencyKey()).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
  });
});

describe('launchContentKey', () => {
  it('ignores the order params were set in but not their values or the template', () => {
    expect(launchContentKey('basic', { a: 1, b: 'x' })).toBe(launchContentKey('basic', { b: 'x', a: 1 }));
    expect(launchContentKey('basic', { a: 1 })).not.toBe(launchContentKey('basic', { a: '1' }));
    expect(launchContentKey('basic', { a: 1 })).not.toBe(launchContentKey('cpu-load', { a: 1 }));
  });
});
