/**
 * Repetition statistics, hyperfine's way: N samples, reported as median with a spread, and every
 * comparison as a ratio of medians measured in the same run.
 */

export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Median absolute deviation: a spread that one slow outlier (a busy machine) cannot inflate. */
  readonly mad: number;
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error('summarize: no samples');
  const median = medianOf(samples);
  return {
    n: samples.length,
    median,
    min: Math.min(...samples),
    max: Math.max(...samples),
    mad: medianOf(samples.map((s) => Math.abs(s - median))),
  };
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `123.4 ms ± 5.6` */
export function formatMs(summary: Summary): string {
  return `${fixed(summary.median)} ms ± ${fixed(summary.mad)}`;
}

export function formatRatio(value: number, baseline: number): string {
  return `${(value / baseline).toFixed(2)}x`;
}

/** A target such as "<= 1.10x": a verdict printed beside the ratio, never an assertion. */
export function verdict(value: number, baseline: number, atMost: number): string {
  return value / baseline <= atMost ? `met (<= ${atMost.toFixed(2)}x)` : `MISSED (target <= ${atMost.toFixed(2)}x)`;
}

export function fixed(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}
