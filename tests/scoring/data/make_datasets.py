"""How the small reference data sets in this folder were made (run once; the CSV files are
the fixtures, not this script).

Each file holds answers on a 1–5 scale drawn from a one-factor model and cut into five
categories: an empty cell is a skipped item, ``NA`` is "not applicable / unable to rate"
(both missing), the same layout ``tisa analyze`` reads. ``reference_scores_reliability.R``
computes the expected statistics from these files with R psych.
"""

from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
CUTS = np.array([-1.6, -0.7, 0.2, 1.1])  # latent → 1..5, a little skewed toward agreement


def one_factor(rng, n, loadings):
    loadings = np.asarray(loadings)
    factor = rng.standard_normal((n, 1))
    noise = rng.standard_normal((n, loadings.size)) * np.sqrt(1 - loadings**2)
    return 1.0 + np.searchsorted(CUTS, factor * loadings + noise).astype(float)


def write(name, answers, skip_rate, na_rate, rng, header, extra=None):
    n, k = answers.shape
    u = rng.random((n, k))
    cells = answers.astype(int).astype(str).astype(object)
    cells[u < skip_rate] = ""
    cells[(u >= skip_rate) & (u < skip_rate + na_rate)] = "NA"
    lines = [",".join(header + ([] if extra is None else [extra[0]]))]
    for i in range(n):
        row = list(cells[i]) + ([] if extra is None else [extra[1][i]])
        lines.append(",".join(row))
    (HERE / name).write_text("\n".join(lines) + "\n")


def main():
    rng = np.random.default_rng(20240611)
    # A: 48 × 5, item A3 reverse-keyed in the raw answers, ~10% missing
    a = one_factor(rng, 48, [0.75, 0.7, 0.65, 0.6, 0.7])
    a[:, 2] = 6 - a[:, 2]
    write("domain_a.csv", a, 0.06, 0.04, rng, ["A1", "A2", "A3", "A4", "A5"])
    # B: 36 × 4, weak: alpha near .6, one item barely related
    b = one_factor(rng, 36, [0.6, 0.55, 0.5, 0.1])
    write("domain_b.csv", b, 0.05, 0.03, rng, ["B1", "B2", "B3", "B4"])
    # C: 60 × 6 in three units, strong
    c = one_factor(rng, 60, [0.8, 0.75, 0.7, 0.8, 0.65, 0.7])
    units = rng.choice(["north", "south", "west"], size=60, p=[0.5, 0.3, 0.2])
    write("domain_c.csv", c, 0.04, 0.04, rng, [f"C{j}" for j in range(1, 7)], extra=("unit", units))


if __name__ == "__main__":
    main()
