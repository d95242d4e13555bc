const SUFFIX: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY = /^\+?((?:\d+(?:\.\d*)?)|(?:\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/;

/**
 * A Kubernetes resource quantity ("500m", "128Mi", "1e3") as a number, or undefined when Kubernetes
 * would reject it. Checked at catalog load so a typo fails at start, not at the first launch.
 */
export function parseQuantity(text: string): number | undefined {
  const m = QUANTITY.exec(text);
  if (!m) {
    return undefined;
  }
  const base = Number(m[1]);
  if (m[2]) {
    return base * 10 ** Number(m[2].slice(1));
  }
  return base * SUFFIX[m[3] ?? '']!;
}
