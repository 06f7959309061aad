"""Baseline for benchmarks/annotation: the Python `krippendorff` package on the benchmark's data.

Args: matrix-file (float64 little-endian, raters x units, NaN = missing), raters, units, resamples,
measured-resamples. Computes alpha at the four levels on the full sample and on bootstrap replicates that
resample units with replacement (the textbook bootstrap); when measured-resamples < resamples only that many
replicates are timed and the time is scaled linearly. Prints JSON.
"""
import json
import sys
import time

import krippendorff
import numpy as np

LEVELS = ("nominal", "ordinal", "interval", "ratio")


def main():
    path, raters, units, resamples, measured = sys.argv[1], *map(int, sys.argv[2:6])
    data = np.fromfile(path, dtype="<f8").reshape(raters, units)
    start = time.perf_counter()
    full = {level: float(krippendorff.alpha(reliability_data=data, level_of_measurement=level)) for level in LEVELS}
    full_seconds = time.perf_counter() - start
    rng = np.random.default_rng(2026)
    start = time.perf_counter()
    replicates = {level: [] for level in LEVELS}
    for _ in range(measured):
        sample = data[:, rng.integers(0, units, units)]
        for level in LEVELS:
            replicates[level].append(krippendorff.alpha(reliability_data=sample, level_of_measurement=level))
    boot_seconds = time.perf_counter() - start
    scaled = boot_seconds * resamples / max(measured, 1)
    lo, hi = np.percentile(replicates["nominal"], [2.5, 97.5]) if measured else (float("nan"), float("nan"))
    json.dump({
        "version": krippendorff.__version__ if hasattr(krippendorff, "__version__") else "0.9.0",
        "what": "krippendorff.alpha at 4 levels on the full sample + per bootstrap replicate (single thread numpy)",
        "alpha_nominal": full["nominal"],
        "alpha": full,
        "seconds_full_sample": round(full_seconds, 3),
        "bootstrap_resamples_measured": measured,
        "seconds_bootstrap_measured": round(boot_seconds, 3),
        "seconds_bootstrap_scaled_to_resamples": round(scaled, 3),
        "seconds_total": round(full_seconds + scaled, 3),
        "alpha_nominal_ci_measured": [float(lo), float(hi)],
    }, sys.stdout)


if __name__ == "__main__":
    main()
