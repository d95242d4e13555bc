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

// The grammar of k8s.io/apimachinery/pkg/api/resource/quantity.go (parseQuantityString): a signed decimal number,
// then one binary-SI suffix, decimal-SI suffix or decimal exponent. "1.", ".5", "+1", "-1" and "1e3" parse;
// "1 Gi", "1gi", "1K", "1e" and "1.5.2" do not.
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/;

/**
 * A Kubernetes resource quantity ("500m", "128Mi", "1e3") as a number, or undefined when Kubernetes
 * would reject it. Checked at catalog load so a typo fails at load, not at the first launch.
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

/** Whether the quantity is a whole number, as Kubernetes requires of extended resources (`nvidia.com/gpu: 1`). */
export function isWholeQuantity(text: string): boolean {
  const value = parseQuantity(text);
  // "1000m" is 1; the tolerance absorbs the float error of the suffix multiplication only
  return value !== undefined && Math.abs(value - Math.round(value)) < 1e-9 * Math.max(1, Math.abs(value));
}
