import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src-main/common/math/random.ts';

describe('seededRandom', () => {
  it('gives the same draws for the same seed on every machine, so simulated figures can be reproduced', () => {
    const random = seededRandom(42);
    expect([random.uniform(), random.uniform(), random.normal()]).toEqual([0.6606157227652147, 0.12688010407146066, 0.8308018995720857]);
  });

  it('gives other draws for another seed', () => {
    expect(seededRandom(43).uniform()).not.toBe(seededRandom(42).uniform());
  });

  it('draws standard normals: mean near 0 and variance near 1 over 200,000 draws', () => {
    const random = seededRandom(7);
    let sum = 0;
    let squares = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const x = random.normal();
      sum += x;
      squares += x * x;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.abs(squares / n - 1)).toBeLessThan(0.01);
  });
});
