import { mean } from './stats.ts';

/**
 * Box-Cox transform (Box & Cox 1964): w = log y for λ = 0, (y^λ − 1)/λ otherwise; for positive series. λ = 0 is
 * the log transform, useful for fast-growing token volumes whose variation grows with their level.
 */
export function boxCox(y: number, lambda: number): number {
  return lambda === 0 ? Math.log(y) : (y ** lambda - 1) / lambda;
}

export function inverseBoxCox(w: number, lambda: number): number {
  if (lambda === 0) return Math.exp(w);
  const base = lambda * w + 1;
  return base <= 0 ? 0 : base ** (1 / lambda);
}

/**
 * Guerrero's (1993) choice of λ in [−1, 2], as R's `BoxCox.lambda(method = "guerrero")`: the series is cut into
 * blocks of one season (2 observations when non-seasonal); λ minimises the coefficient of variation of
 * sd_i / mean_i^(1−λ) over the blocks.
 */
export function guerreroLambda(values: ArrayLike<number>, period: number, lower = -1, upper = 2): number {
  const blockLength = Math.max(period, 2);
  const blocks = Math.floor(values.length / blockLength);
  if (blocks < 2) return 1;
  const offset = values.length - blocks * blockLength;
  const means: number[] = [];
  const sds: number[] = [];
  for (let b = 0; b < blocks; b++) {
    const from = offset + b * blockLength;
    const mu = mean(values, from, from + blockLength);
    let ss = 0;
    for (let i = from; i < from + blockLength; i++) ss += (values[i]! - mu) ** 2;
    means.push(mu);
    sds.push(Math.sqrt(ss / (blockLength - 1)));
  }
  const cv = (lambda: number): number => {
    const ratios = sds.map((s, i) => s / means[i]! ** (1 - lambda));
    const mu = mean(ratios);
    let ss = 0;
    for (const r of ratios) ss += (r - mu) ** 2;
    return Math.sqrt(ss / (ratios.length - 1)) / mu;
  };
  // Golden-section search, as R's `optimize` does over [lower, upper].
  const golden = (Math.sqrt(5) - 1) / 2;
  let a = lower;
  let b = upper;
  let c = b - golden * (b - a);
  let d = a + golden * (b - a);
  let fc = cv(c);
  let fd = cv(d);
  while (b - a > 1e-4) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - golden * (b - a);
      fc = cv(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + golden * (b - a);
      fd = cv(d);
    }
  }
  return (a + b) / 2;
}
