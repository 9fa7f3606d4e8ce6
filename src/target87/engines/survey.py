"""Design-based estimation for complex household surveys, free of Django.

The design is the one-stage-with-replacement approximation of a stratified multistage design: the
estimator of R's ``svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, nest = TRUE)`` (with
``fpc = ~fpc`` when a finite population correction is given). Variances are Taylor-linearised; the
formulas follow R's ``survey`` package (``svymean``, ``svytotal``, ``svyrecvar``/``onestrat``,
``degf`` and ``svyciprop``) so that the numbers agree with it to rounding error:

* the variance of a statistic is the sum over strata of ``f_h * n_h / (n_h - 1) * Σ_j (z_hj - z̄_h)²``,
  where ``z_hj`` is the total of the statistic's influence values over PSU ``j`` of stratum ``h``,
  ``n_h`` the number of PSUs of the stratum in the whole design, ``z̄_h`` their mean (PSUs without a
  row in the domain count with a total of zero) and ``f_h = (N_h - n_h) / N_h`` the finite population
  correction (1 without one);
* a domain (subpopulation) is estimated on the whole design, as R does for ``subset(design, …)``:
  its influence values are zero outside the domain, but the strata keep all their PSUs;
* strata with a single PSU follow R's ``options(survey.lonely.psu = …)``: ``fail``, ``remove`` and
  ``certainty`` (no contribution), ``adjust`` (the PSU is centred at the grand mean instead of the
  stratum mean) and ``average`` (the variance is scaled up by the number of strata over the number
  of strata that could be used); ``adjust_domain_lonely`` is ``options(survey.adjust.domain.lonely)``
  for strata that have several PSUs but only one of them in the domain;
* the degrees of freedom of a domain are the number of its PSUs less its number of strata, counting
  only rows of non-zero weight, as ``degf()`` of a subset design.

Everything is vectorised. :meth:`Design.summarise` makes the only pass over the rows: it sums the
weights and the weighted values of every (PSU, cell) pair, where a cell is the finest combination of
the categories to be tabulated. Every table of domains is then an aggregation of those sums
(:meth:`CellSummary.domains`), so a table costs time in proportion to the number of PSUs, not rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from target87.engines.i18n import gettext as _
from target87.engines.i18n import ngettext

LONELY_PSU_OPTIONS = ("fail", "remove", "certainty", "adjust", "average")
CI_METHODS = ("logit", "xlogit", "mean", "beta", "asin")

#: above this many (PSU, cell) slots the sums are collected sparsely (by sorting) instead of densely
_DENSE_LIMIT = 1 << 24
#: rows per block when summing over the rows
_BLOCK_ROWS = 1 << 20


class SurveyError(Exception):
    """A problem with the data or the options, with a message meant for the person who gave them."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class LonelyPSUError(SurveyError):
    """Some strata have a single PSU and ``lonely_psu`` is ``fail``."""

    def __init__(self, message: str, strata: Sequence[str]):
        super().__init__(message)
        self.strata = list(strata)


def factorize(values: np.ndarray) -> tuple[np.ndarray, list]:
    """Codes 0..k-1 (int32, or int64 when needed) and the k distinct values, sorted; no missing value allowed."""
    values = np.asarray(values)
    if values.dtype.kind in "iub":
        lo = int(values.min()) if values.size else 0
        hi = int(values.max()) if values.size else 0
        if hi - lo < 4 * values.size + 1024:
            ctype = np.int32 if hi - lo < 2**31 - 1 and values.size < 2**31 - 1 else np.int64
            if lo == 0 and values.dtype == ctype:
                shifted = values
            elif lo >= -(2**31) and hi < 2**31:
                shifted = values.astype(ctype)
                if lo:
                    shifted -= ctype(lo)
            else:
                shifted = (values.astype(np.int64) - lo).astype(ctype)
            present = np.zeros(hi - lo + 1, dtype=bool)
            present[shifted] = True
            if present.all():  # already codes 0..k-1 (after the shift)
                return shifted, list(range(lo, hi + 1))
            index = (np.cumsum(present) - 1).astype(ctype)
            labels = (np.flatnonzero(present) + lo).tolist()
            return index[shifted], labels
    if values.dtype.kind == "O":
        values = values.astype(str)
    labels, codes = np.unique(values, return_inverse=True)
    return codes.astype(np.int64).reshape(-1), labels.tolist()


def _group_sums(keys: np.ndarray, size: int, columns: Sequence[np.ndarray | None]):
    """Sums of ``columns`` (None = a count) per distinct key: (distinct keys, list of sums)."""
    if size <= max(_DENSE_LIMIT, 2 * keys.size):
        counts = np.bincount(keys, minlength=size)
        present = np.flatnonzero(counts)
        sums = [
            counts[present].astype(np.float64) if c is None else np.bincount(keys, c, minlength=size)[present]
            for c in columns
        ]
        return present, sums
    uniq, inverse = np.unique(keys, return_inverse=True)
    inverse = inverse.reshape(-1)
    sums = [np.bincount(inverse, None if c is None else c, minlength=uniq.size).astype(np.float64) for c in columns]
    return uniq, sums


@dataclass
class DomainEstimates:
    """Estimates of one table: arrays with one element per domain."""

    n: np.ndarray  #: rows in the domain
    weight_sum: np.ndarray  #: Σ w over the domain
    mean: np.ndarray  #: weighted mean (a proportion for a 0/1 variable); NaN for an empty domain
    se_mean: np.ndarray
    total: np.ndarray  #: weighted total Σ w·y over the domain
    se_total: np.ndarray
    df: np.ndarray  #: design degrees of freedom of the domain (PSUs less strata, non-zero weights)


class Design:
    """A stratified cluster design (one-stage-with-replacement approximation, nested PSUs).

    ``weights`` are sampling weights (≥ 0); ``strata`` and ``psu`` are labels of any type (None: one
    stratum, and each row its own PSU); ``fpc`` per row is either the stratum's number of PSUs in the
    population (all values ≥ 1) or the sampling fraction (all values ≤ 1), as in R's ``svydesign``.
    """

    def __init__(
        self,
        weights: np.ndarray,
        strata: np.ndarray | None = None,
        psu: np.ndarray | None = None,
        fpc: np.ndarray | None = None,
        *,
        lonely_psu: str = "fail",
        adjust_domain_lonely: bool = False,
        strata_labels: Sequence[str] | None = None,
    ):
        if lonely_psu not in LONELY_PSU_OPTIONS:
            raise SurveyError(
                _("Unknown lonely-PSU option {value}: use one of {options}.").format(
                    value=lonely_psu, options=", ".join(LONELY_PSU_OPTIONS)
                )
            )
        self.lonely_psu = lonely_psu
        self.adjust_domain_lonely = bool(adjust_domain_lonely)
        w = np.ascontiguousarray(weights, dtype=np.float64)
        n = w.size
        self.n = n
        self.weights = w
        if strata is None:
            scodes, slabels = np.zeros(n, dtype=np.int64), ["1"]
        else:
            scodes, slabels = factorize(strata)
            if strata_labels is not None:  # strata were codes 0..k-1 of these labels
                slabels = [strata_labels[int(c)] for c in slabels]
        self.stratum_labels = [str(s) for s in slabels]
        n_strata = len(slabels)
        if psu is None:
            # each row is its own PSU; number them stratum by stratum
            order = np.argsort(scodes, kind="stable")
            pidx = np.empty(n, dtype=np.int64)
            pidx[order] = np.arange(n, dtype=np.int64)
            psu_stratum = scodes[order]
        else:
            pcodes, plabels = factorize(psu)
            n_p = len(plabels)
            # nest = TRUE: a PSU is a (stratum, psu) pair. Usually each PSU label lies in one stratum;
            # the pairs are then the PSU labels themselves, found without sorting.
            owner = np.empty(n_p, dtype=scodes.dtype)
            owner[pcodes] = scodes
            nested = all(
                np.array_equal(owner[pcodes[a : a + _BLOCK_ROWS]], scodes[a : a + _BLOCK_ROWS])
                for a in range(0, n, _BLOCK_ROWS)
            )
        if psu is not None and nested:
            pidx = pcodes
            psu_stratum = owner.astype(np.int64)
            del owner
        elif psu is not None:
            del owner
            key = np.multiply(scodes, n_p, dtype=np.int64)
            key += pcodes
            del pcodes
            if n_strata * n_p <= max(_DENSE_LIMIT, 2 * n):
                present = np.bincount(key, minlength=n_strata * n_p) > 0
                index = np.cumsum(present) - 1
                index = index.astype(np.int32 if index.size < 2**31 else np.int64)
                pidx = index[key]
                psu_stratum = np.flatnonzero(present) // n_p
            else:
                uniq, inv = np.unique(key, return_inverse=True)
                pidx = inv.reshape(-1).astype(np.int64)
                psu_stratum = uniq // n_p
            del key
        self.stratum = scodes
        self.psu = pidx
        self.psu_stratum = psu_stratum.astype(np.int64)
        self.n_psu_total = int(psu_stratum.size)
        self.n_psu = np.bincount(self.psu_stratum, minlength=n_strata).astype(np.float64)
        self.n_strata = n_strata
        # finite population correction per stratum, as R's onestrat: f = (N - n) / N
        if fpc is None:
            self.f = np.ones(n_strata)
        else:
            fpc = np.asarray(fpc, dtype=np.float64)
            if np.any(~np.isfinite(fpc) & ~np.isposinf(fpc)) or np.any(fpc <= 0):
                raise SurveyError(_("The finite population correction must be positive for every row."))
            ispop = bool(np.any(fpc > 1))
            if ispop and not np.all(fpc >= 1):
                raise SurveyError(
                    _(
                        "The finite population correction must be all population sizes (≥ 1) or all sampling fractions (≤ 1)."
                    )
                )
            fpc_h = np.zeros(n_strata)
            fpc_h[scodes] = fpc  # constant within a stratum; the last value wins, as a check below tells
            if np.any(fpc_h[scodes] != fpc):
                raise SurveyError(_("The finite population correction varies within a stratum."))
            popsize = fpc_h if ispop else self.n_psu / fpc_h
            if np.any(popsize < self.n_psu):
                raise SurveyError(_("The finite population correction implies more than 100% sampling in some strata."))
            with np.errstate(invalid="ignore", divide="ignore"):
                self.f = np.where(np.isposinf(popsize), 1.0, (popsize - self.n_psu) / popsize)
        self.all_weights_nonzero = bool(np.all(w != 0))

    # -- checks ---------------------------------------------------------------------------------
    def lonely_strata(self, rows: np.ndarray | None = None) -> list[str]:
        """Labels of the strata with a single PSU (and a non-zero sampling fraction) among ``rows``."""
        lonely = (self.n_psu == 1) & (self.f >= 1e-7)
        if not lonely.any():
            return []
        if rows is not None:
            used = np.bincount(self.stratum[rows], minlength=self.n_strata) > 0
            lonely &= used
        return [self.stratum_labels[i] for i in np.flatnonzero(lonely)]

    def check_lonely(self, rows: np.ndarray | None = None) -> None:
        if self.lonely_psu != "fail":
            return
        strata = self.lonely_strata(rows)
        if strata:
            shown = ", ".join(strata[:10]) + (" …" if len(strata) > 10 else "")
            raise LonelyPSUError(
                ngettext(
                    "{count} stratum has a single PSU: {strata}.",
                    "{count} strata have a single PSU: {strata}.",
                    len(strata),
                ).format(count=len(strata), strata=shown)
                + " "
                + _(
                    "The variance cannot be estimated there. Choose how to treat them with --lonely-psu remove, certainty, adjust or average "
                    "(as R's survey.lonely.psu), or merge these strata with a neighbouring one."
                ).format(count=len(strata), strata=shown),
                strata,
            )

    # -- estimation -----------------------------------------------------------------------------
    def summarise(self, y: np.ndarray, cell: np.ndarray, n_cells: int) -> CellSummary:
        """One pass over the rows: sums per (PSU, cell). ``cell`` is -1 for rows in no domain."""
        y = np.asarray(y)
        c1 = n_cells + 1
        size = self.n_psu_total * c1
        n_sums = 3 if self.all_weights_nonzero else 4
        if size <= max(_DENSE_LIMIT, 2 * self.n):
            # dense sums, block by block of rows: the temporaries stay small
            acc = [np.zeros(size) for _ in range(n_sums)]
            block = max(_BLOCK_ROWS, size)  # each block costs a pass over the sums too
            for a in range(0, self.n, block):
                b = min(self.n, a + block)
                keys, cols = self._keys_and_values(y, cell, c1, a, b)
                for k, c in enumerate(cols):
                    acc[k] += np.bincount(keys, c, minlength=size)
                del keys, cols
            present = np.flatnonzero(acc[0])
            sums = [s_[present] for s_ in acc]
            del acc
        else:
            keys, cols = self._keys_and_values(y, cell, c1, 0, self.n)
            present, sums = _group_sums(keys, size, cols)
            del keys, cols
        pair_cell = present % c1
        keep = pair_cell < n_cells
        pair_psu = (present // c1)[keep]
        pair_cell = pair_cell[keep]
        sums = [s[keep] for s in sums]
        nonzero = sums[3] > 0 if len(sums) > 3 else np.ones(pair_psu.size, dtype=bool)
        return CellSummary(self, pair_psu, pair_cell, sums[0], sums[1], sums[2], nonzero, n_cells)

    def _keys_and_values(self, y, cell, c1, a, b):
        """(PSU, cell) keys of rows a..b and the values to sum: count, w, w·y (and w ≠ 0)."""
        cell = cell[a:b]
        keys = np.multiply(self.psu[a:b], c1, dtype=np.int64)
        keys += cell
        outside = cell < 0
        if outside.any():
            keys[outside] += c1  # -1 → the extra cell n_cells
        w = self.weights[a:b]
        yb = y[a:b]
        wy = np.where(yb, w, 0.0) if yb.dtype == bool else w * yb
        cols: list[np.ndarray | None] = [None, w, wy]
        if not self.all_weights_nonzero:
            cols.append((w != 0).astype(np.float64))
        return keys, cols

    def estimate(self, y: np.ndarray, domain: np.ndarray | None = None, n_domains: int = 1) -> DomainEstimates:
        """Mean and total of ``y`` in each domain (``domain`` codes, -1 = in none; None = all rows)."""
        if domain is None:
            domain = np.zeros(self.n, dtype=np.int64)
        return self.summarise(y, domain, n_domains).domains(np.arange(n_domains), n_domains)


class CellSummary:
    """Sums of weights and weighted values per (PSU, cell) pair; tables of domains are built from it."""

    def __init__(self, design, pair_psu, pair_cell, count, wsum, wysum, nonzero, n_cells):
        self.design = design
        self.pair_psu = pair_psu
        self.pair_cell = pair_cell
        self.count = count
        self.wsum = wsum
        self.wysum = wysum
        self.nonzero = nonzero
        self.n_cells = n_cells

    def domains(self, cell_to_domain: np.ndarray, n_domains: int) -> DomainEstimates:
        """Estimates for domains made of cells: ``cell_to_domain[c]`` is the domain of cell c (or -1)."""
        des = self.design
        D = int(n_domains)
        dom = np.asarray(cell_to_domain, dtype=np.int64)[self.pair_cell]
        keep = dom >= 0
        dom = dom[keep]
        psu = self.pair_psu[keep]
        # aggregate the cells of a domain: (PSU, domain) totals
        key = psu * D + dom
        present, (count, wsum, wysum, nz) = _group_sums(
            key,
            des.n_psu_total * D,
            [self.count[keep], self.wsum[keep], self.wysum[keep], self.nonzero[keep].astype(np.float64)],
        )
        g_psu = present // D
        g_dom = present % D
        n = np.bincount(g_dom, count, minlength=D)
        W = np.bincount(g_dom, wsum, minlength=D)
        Y = np.bincount(g_dom, wysum, minlength=D)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = Y / W
            # PSU totals of the influence values: of the mean, Σ w (y - m) / W; of the total, Σ w y
            z_mean = (wysum - mean[g_dom] * wsum) / W[g_dom]
        var_mean, var_total = self._variance(g_psu, g_dom, np.stack([z_mean, wysum]), D)
        # degrees of freedom: PSUs less strata among the rows of non-zero weight
        nzmask = nz > 0
        psus_nz = np.bincount(g_dom[nzmask], minlength=D)
        hs = des.psu_stratum[g_psu[nzmask]]
        hd_used = np.bincount(hs * D + g_dom[nzmask], minlength=des.n_strata * D) > 0
        strata_nz = hd_used.reshape(des.n_strata, D).sum(axis=0)
        df = (psus_nz - strata_nz).astype(np.float64)
        empty = n == 0
        mean = np.where(empty, np.nan, mean)
        se_mean = np.where(empty, np.nan, np.sqrt(var_mean))
        se_total = np.where(empty, np.nan, np.sqrt(var_total))
        return DomainEstimates(
            n=n.astype(np.int64), weight_sum=W, mean=mean, se_mean=se_mean, total=Y, se_total=se_total, df=df
        )

    def _variance(self, g_psu, g_dom, vals, D):
        """Variances (one per row of ``vals``) of statistics with PSU totals ``vals`` per (PSU, domain)."""
        des = self.design
        H = des.n_strata
        h = des.psu_stratum[g_psu]
        hd = h * D + g_dom
        HD = H * D
        m = np.bincount(hd, minlength=HD).astype(np.float64)  # PSUs of stratum h present in domain d
        n_h = np.repeat(des.n_psu, D)  # PSUs of the stratum in the whole design
        f_h = np.repeat(des.f, D)
        with np.errstate(invalid="ignore", divide="ignore"):
            scale = np.where(n_h > 1, f_h * n_h / (n_h - 1), f_h)
        census = f_h < 1e-7
        used = m > 0
        lonely = n_h == 1
        domain_lonely = (m == 1) & (n_h > 1) & des.adjust_domain_lonely
        mode = des.lonely_psu
        uncentred = np.zeros(HD, dtype=bool)
        na = np.zeros(HD, dtype=bool)
        if mode == "adjust":
            uncentred = lonely | domain_lonely
        elif mode == "average":
            na = lonely | domain_lonely
        na &= ~census & used
        uncentred &= ~census
        out = []
        nstrat = np.bincount(np.flatnonzero(used) % D, minlength=D).astype(np.float64)
        nok = nstrat - np.bincount(np.flatnonzero(na) % D, minlength=D)
        for v in vals:
            S = np.bincount(hd, v, minlength=HD)
            mu = S / n_h
            centred = np.bincount(hd, (v - mu[hd]) ** 2, minlength=HD) + (n_h - m) * mu**2
            if uncentred.any():
                raw = np.bincount(hd, v * v, minlength=HD)
                centred = np.where(uncentred, raw, centred)
            contrib = np.where(census | na | ~used, 0.0, scale * centred)
            var = contrib.reshape(H, D).sum(axis=0)
            if mode == "average":
                with np.errstate(invalid="ignore", divide="ignore"):
                    var = var * nstrat / nok
            out.append(var)
        return out


# -- confidence intervals for proportions, as R's svyciprop ---------------------------------------
#: Set by a short-lived command (``target87 estimate``): load scipy's compiled special functions
#: without the rest of ``scipy.special``, whose import (array API support, numpy.testing …) costs
#: several times the estimation of a million rows. Not for long-running, threaded processes.
LEAN_SCIPY = False


def _special():
    """scipy's special functions (stdtrit, ndtr, ndtri, betaincinv)."""
    import sys

    loaded = sys.modules.get("scipy.special")
    if loaded is not None and hasattr(loaded, "stdtrit"):
        return loaded
    if LEAN_SCIPY and loaded is None:
        try:
            import importlib
            import types

            import scipy

            stub = types.ModuleType("scipy.special")
            stub.__path__ = [str(Path(scipy.__path__[0]) / "special")]
            sys.modules["scipy.special"] = stub
            try:
                ufuncs = importlib.import_module("scipy.special._ufuncs")
            finally:
                del sys.modules["scipy.special"]  # a later `import scipy.special` loads the whole package
            if all(hasattr(ufuncs, f) for f in ("stdtrit", "ndtr", "ndtri", "betaincinv")):
                return ufuncs
        except Exception:
            pass
    import scipy.special

    return scipy.special


def _qt(p, df):
    stdtrit = _special().stdtrit
    df = np.asarray(df, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return np.where(df > 0, stdtrit(np.where(df > 0, df, 1.0), p), np.nan)


def ci_proportion(
    p: np.ndarray, se: np.ndarray, df: np.ndarray, n: np.ndarray, method: str = "logit", level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Confidence limits of proportions ``p`` with standard errors ``se``, as ``svyciprop``.

    ``df`` are the design degrees of freedom, ``n`` the numbers of rows (used by ``beta``). ``logit`` is
    the Wald interval of the intercept of a quasi-binomial survey GLM, which for an intercept-only
    model is ``expit(logit p ± t · se / (p (1 - p)))`` — computed here in closed form (R iterates the
    GLM; at p = 0 or 1 the limits are p itself, where R's non-converged fit gives ~1e-12 of it).
    """
    if method not in CI_METHODS:
        raise SurveyError(
            _("Unknown confidence interval method {value}: use one of {options}.").format(
                value=method, options=", ".join(CI_METHODS)
            )
        )
    if not 0 < level < 1:
        raise SurveyError(_("The confidence level must be between 0 and 1, e.g. 0.95."))
    p = np.asarray(p, dtype=np.float64)
    se = np.asarray(se, dtype=np.float64)
    alpha = 1 - level
    t = _qt(1 - alpha / 2, df)  # > 0
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        if method == "mean":
            lo, hi = p - t * se, p + t * se
        elif method == "xlogit":
            eta = np.log(p / (1 - p))
            half = t * se / (p * (1 - p))
            lo, hi = _expit(eta - half), _expit(eta + half)
        elif method == "logit":
            # R: confint.svyglm turns the t quantile into a normal one through a confidence level,
            # 1 - 2 Φ(-t); once that level rounds to 1 the interval is infinite (limits 0 and NaN).
            ndtr, ndtri = _special().ndtr, _special().ndtri
            tlevel = 1 - 2 * ndtr(-t)
            z = ndtri(1 - (1 - tlevel) / 2)
            eta = np.log(p / (1 - p))
            half = z * se / (p * (1 - p))
            lo, hi = _expit(eta - half), _expit(eta + half)
            edge = ((p == 0) | (p == 1)) & np.isfinite(z)
            lo = np.where(edge, p, lo)
            hi = np.where(edge, p, hi)
            infinite = np.isinf(z) & np.isfinite(p)
            lo = np.where(infinite, 0.0, lo)
            hi = np.where(infinite, np.nan, hi)
        elif method == "asin":
            eta = np.arcsin(np.sqrt(p))
            half = t * se / (2 * np.sqrt(p * (1 - p)))
            lo, hi = np.sin(eta - half) ** 2, np.sin(eta + half) ** 2
        else:  # beta
            betaincinv = _special().betaincinv
            n_eff = p * (1 - p) / se**2
            n_eff = n_eff * (_qt(alpha / 2, np.asarray(n, dtype=np.float64) - 1) / _qt(alpha / 2, df)) ** 2
            lo = betaincinv(n_eff * p, n_eff * (1 - p) + 1, alpha / 2)
            hi = betaincinv(n_eff * p + 1, n_eff * (1 - p), 1 - alpha / 2)
            bad = ~np.isfinite(n_eff)
            lo = np.where(bad, np.nan, lo)
            hi = np.where(bad, np.nan, hi)
    return lo, hi


def _expit(x):
    # R's survey:::expit, overflow included (exp(x) / (1 + exp(x)) is NaN for x > 709)
    e = np.exp(x)
    return e / (1 + e)


# -- tables of domains --------------------------------------------------------------------------
@dataclass
class Table:
    """One table: the domains are every combination of the categories of ``variables``."""

    variables: tuple[str, ...]
    categories: list[tuple[str, ...]]  #: one tuple of category labels per domain (empty: the total)
    estimates: DomainEstimates


def tabulate(
    design: Design,
    y: np.ndarray,
    variables: dict[str, tuple[np.ndarray, Sequence[str]]],
    tables: Sequence[Sequence[str]],
    scope: np.ndarray | None = None,
) -> list[Table]:
    """Estimate the mean and total of ``y`` for every domain of every table, in one pass over the rows.

    ``variables`` maps a name to (codes, labels): codes 0..k-1 index labels, -1 marks a missing value
    (such a row counts in the tables that do not use that variable). ``tables`` lists the variables of
    each table (``()`` is the total). ``scope`` (a boolean mask) restricts every domain to a
    subpopulation, as ``subset()`` of the design would; the rows outside stay in the design.
    """
    used: list[str] = []
    for t in tables:
        for v in t:
            if v not in variables:
                raise SurveyError(_("Unknown variable {name}.").format(name=v))
            if v not in used:
                used.append(v)
    sizes = [len(variables[v][1]) + 1 for v in used]  # +1: a level for missing values
    n_cells = int(np.prod(sizes, dtype=np.int64)) if used else 1
    if n_cells > 1 << 40:
        raise SurveyError(_("Too many combinations of categories to tabulate at once."))
    dtype = next(t for t in (np.int8, np.int16, np.int32, np.int64) if n_cells < np.iinfo(t).max)
    cell = np.zeros(design.n, dtype=dtype)
    radix = 1
    radices = []
    for v, size in zip(used, sizes):
        codes = np.asarray(variables[v][0])
        missing = codes < 0
        codes = codes.astype(dtype)
        if missing.any():
            codes[missing] = size - 1
        del missing
        if radix != 1:
            codes *= dtype(radix)
        cell += codes
        del codes
        radices.append(radix)
        radix *= size
    if scope is not None:
        np.putmask(cell, ~np.asarray(scope, dtype=bool), -1)
    # cells that occur: a compact numbering keeps the (PSU, cell) table small
    if n_cells > min(design.n, 1 << 16):
        occurring, cell_c = np.unique(cell, return_inverse=True)
        cell_c = cell_c.reshape(-1)
        if occurring.size and occurring[0] < 0:
            cell_c = cell_c - 1
            occurring = occurring[1:]
    else:  # renumber the cells that occur through a lookup table, block by block
        counts = np.zeros(n_cells + 1, dtype=np.int64)
        for a in range(0, design.n, _BLOCK_ROWS):
            counts += np.bincount(cell[a : a + _BLOCK_ROWS].astype(np.intp) + 1, minlength=n_cells + 1)
        occurring = np.flatnonzero(counts[1:])
        if occurring.size < n_cells:
            lut = np.full(n_cells + 1, -1, dtype=cell.dtype)
            lut[occurring + 1] = np.arange(occurring.size, dtype=cell.dtype)
            cell_c = np.empty_like(cell)
            for a in range(0, design.n, _BLOCK_ROWS):
                b = min(design.n, a + _BLOCK_ROWS)
                cell_c[a:b] = lut[cell[a:b].astype(np.intp) + 1]
        else:
            cell_c = cell
        del cell
    summary = design.summarise(y, cell_c, occurring.size)
    out = []
    for t in tables:
        idx = [used.index(v) for v in t]
        shape = [sizes[i] - 1 for i in idx]
        n_dom = int(np.prod(shape, dtype=np.int64)) if t else 1
        dom = np.zeros(occurring.size, dtype=np.int64)
        mult = 1
        for i, k in zip(reversed(idx), reversed(shape)):
            code = (occurring // radices[i]) % sizes[i]
            dom = np.where((code == k) | (dom < 0), -1, dom + code * mult)
            mult *= k
        est = summary.domains(dom, n_dom)
        labels = [list(map(str, variables[v][1])) for v in t]
        cats = [tuple(c) for c in _product(labels)] if t else [()]
        out.append(Table(tuple(t), cats, est))
    return out


def _product(lists):
    import itertools

    return itertools.product(*lists)
