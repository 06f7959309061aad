"""Reference values for the annotation parity tests.

Reads a JSON file written by the Java test:
  {"alpha": [{"data": [[rater x unit, null = missing]]}, ...],
   "cohen": [[[table]], ...], "fleiss": [[[unit x category counts]], ...]}
and prints the same structure's metrics from the `krippendorff` and `statsmodels` packages as JSON.
"""
import json
import sys

import krippendorff
import numpy as np
from statsmodels.stats.inter_rater import cohens_kappa, fleiss_kappa


def main(path):
    with open(path) as f:
        spec = json.load(f)
    out = {"alpha": [], "cohen": [], "fleiss": []}
    for case in spec.get("alpha", []):
        data = np.array([[np.nan if v is None else v for v in row] for row in case["data"]], dtype=float)
        out["alpha"].append({level: float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))
                             for level in ("nominal", "ordinal", "interval", "ratio")})
    for table in spec.get("cohen", []):
        t = np.array(table, dtype=float)
        out["cohen"].append({
            "none": float(cohens_kappa(t, return_results=False)),
            "linear": float(cohens_kappa(t, wt="linear", return_results=False)),
            "quadratic": float(cohens_kappa(t, wt="quadratic", return_results=False)),
        })
    for table in spec.get("fleiss", []):
        out["fleiss"].append(float(fleiss_kappa(np.array(table, dtype=float))))
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
