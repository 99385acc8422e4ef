/**
 * Nelder–Mead simplex minimisation (reflection 1, contraction 0.5, expansion 2, shrink 0.5; the constants of
 * R's `optim`). The objective may return Infinity outside the feasible region: such points are never accepted.
 * Stops when the spread of the simplex values falls below `relativeTolerance` · (|f(start)| + relativeTolerance)
 * or after `maxEvaluations` evaluations.
 */
export type NelderMeadOptions = {
  /** Initial step per coordinate (the simplex edges). */
  steps: ArrayLike<number>;
  relativeTolerance?: number;
  maxEvaluations?: number;
};

export type NelderMeadResult = { x: Float64Array; value: number; evaluations: number };

export function nelderMead(objective: (x: Float64Array) => number, start: ArrayLike<number>, options: NelderMeadOptions): NelderMeadResult {
  const n = start.length;
  const tolerance = options.relativeTolerance ?? 1e-8;
  const maxEvaluations = options.maxEvaluations ?? 2000;
  const points: Float64Array[] = [];
  const values = new Float64Array(n + 1);
  let evaluations = 0;
  const evaluate = (x: Float64Array): number => {
    evaluations++;
    const v = objective(x);
    return Number.isNaN(v) ? Infinity : v;
  };
  points.push(Float64Array.from(start));
  values[0] = evaluate(points[0]!);
  for (let i = 0; i < n; i++) {
    const p = Float64Array.from(start);
    p[i] = p[i]! + options.steps[i]!;
    let v = evaluate(p);
    if (!Number.isFinite(v)) {
      // Step the other way when the first vertex leaves the feasible region.
      p[i] = start[i]! - options.steps[i]!;
      v = evaluate(p);
    }
    points.push(p);
    values[i + 1] = v;
  }
  const convergence = tolerance * (Math.abs(values[0]!) + tolerance);
  const centroid = new Float64Array(n);
  const trial = new Float64Array(n);
  const trial2 = new Float64Array(n);
  const order = Array.from({ length: n + 1 }, (_, i) => i);

  while (evaluations < maxEvaluations) {
    order.sort((a, b) => values[a]! - values[b]!);
    const best = order[0]!;
    const worst = order[n]!;
    const secondWorst = order[n - 1]!;
    if (Number.isFinite(values[worst]!) && values[worst]! - values[best]! <= convergence) break;
    centroid.fill(0);
    for (let k = 0; k < n; k++) {
      const p = points[order[k]!]!;
      for (let i = 0; i < n; i++) centroid[i] = centroid[i]! + p[i]! / n;
    }
    const pw = points[worst]!;
    for (let i = 0; i < n; i++) trial[i] = 2 * centroid[i]! - pw[i]!;
    const reflected = evaluate(trial);
    if (reflected < values[best]!) {
      for (let i = 0; i < n; i++) trial2[i] = 3 * centroid[i]! - 2 * pw[i]!;
      const expanded = evaluate(trial2);
      if (expanded < reflected) {
        pw.set(trial2);
        values[worst] = expanded;
      } else {
        pw.set(trial);
        values[worst] = reflected;
      }
      continue;
    }
    if (reflected < values[secondWorst]!) {
      pw.set(trial);
      values[worst] = reflected;
      continue;
    }
    // Contract: outside when the reflection improved on the worst vertex, inside otherwise.
    const outside = reflected < values[worst]!;
    const base = outside ? trial : pw;
    for (let i = 0; i < n; i++) trial2[i] = 0.5 * (centroid[i]! + base[i]!);
    const contracted = evaluate(trial2);
    if (outside ? contracted <= reflected : contracted < values[worst]!) {
      pw.set(trial2);
      values[worst] = contracted;
      continue;
    }
    // Shrink towards the best vertex.
    const pb = points[best]!;
    for (let k = 1; k <= n; k++) {
      const index = order[k]!;
      const p = points[index]!;
      for (let i = 0; i < n; i++) p[i] = pb[i]! + 0.5 * (p[i]! - pb[i]!);
      values[index] = evaluate(p);
    }
  }
  let bestIndex = 0;
  for (let k = 1; k <= n; k++) if (values[k]! < values[bestIndex]!) bestIndex = k;
  return { x: points[bestIndex]!, value: values[bestIndex]!, evaluations };
}
