/**
 * A seeded random source for simulations (forecast intervals by simulation, cost-at-risk Monte Carlo): xoshiro128** (Blackman & Vigna) seeded through splitmix32, with
 * standard normal draws by the Box–Muller transform. Pure 32-bit integer arithmetic, so a seed gives the same
 * numbers on every machine and in every JavaScript engine: a cost-at-risk figure can be reproduced exactly.
 */
export type RandomSource = {
  /** Uniform on (0, 1): never exactly 0, so logarithms are safe. */
  uniform(): number;
  /** A standard normal draw. */
  normal(): number;
};

export function seededRandom(seed: number): RandomSource {
  let s = seed >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  if ((a | b | c | d) === 0) a = 1;

  const next = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  const uniform = (): number => (next() + 0.5) / 4294967296;

  let spare = 0;
  let hasSpare = false;
  return {
    uniform,
    normal(): number {
      if (hasSpare) {
        hasSpare = false;
        return spare;
      }
      const radius = Math.sqrt(-2 * Math.log(uniform()));
      const angle = 2 * Math.PI * uniform();
      spare = radius * Math.sin(angle);
      hasSpare = true;
      return radius * Math.cos(angle);
    },
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
