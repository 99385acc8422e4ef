/**
 * Forecast reconciliation for a two-level hierarchy (a total and the segments of one dimension that partition it):
 * weighted least squares with each forecast's variance as weight, the diagonal form of MinT (Wickramasuriya,
 * Athanasopoulos & Hyndman 2019, "wls_var"). With d = ŷ_total − Σ ŷ_i the incoherence at one horizon:
 *   ỹ_i = ŷ_i + d · v_i / (v_total + Σ v_j),   ỹ_total = ŷ_total − d · v_total / (v_total + Σ v_j) = Σ ỹ_i.
 * The more uncertain a forecast, the more of the gap it absorbs. Only means are reconciled; each series' interval
 * moves with its mean.
 */
export type ReconcileInput = { mean: number[]; variance: number[] };

export function reconcileTwoLevel(total: ReconcileInput, segments: ReconcileInput[]): { total: number[]; segments: number[][] } {
  const horizon = total.mean.length;
  const totalOut: number[] = [];
  const segmentsOut = segments.map(() => new Array<number>(horizon));
  for (let h = 0; h < horizon; h++) {
    let sum = 0;
    let varianceSum = total.variance[h]!;
    for (const s of segments) {
      sum += s.mean[h]!;
      varianceSum += s.variance[h]!;
    }
    const gap = total.mean[h]! - sum;
    if (!(varianceSum > 0)) {
      // No spread anywhere: spread the gap in proportion to the segments' means (bottom-up when all are zero).
      const weights = segments.map((s) => Math.max(s.mean[h]!, 0));
      const weightSum = weights.reduce((a, b) => a + b, 0);
      segments.forEach((s, i) => {
        segmentsOut[i]![h] = s.mean[h]! + (weightSum > 0 ? (gap * weights[i]!) / weightSum : 0);
      });
    } else {
      segments.forEach((s, i) => {
        segmentsOut[i]![h] = s.mean[h]! + (gap * s.variance[h]!) / varianceSum;
      });
    }
    totalOut.push(segmentsOut.reduce((a, s) => a + s[h]!, 0));
  }
  return { total: totalOut, segments: segmentsOut };
}
