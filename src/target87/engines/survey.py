"""Design-based estimation for complex household surveys, free of Django.

The design is the one-stage-with-replacement approximation of a stratified multistage design: the
estimator of R's ``svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, nest = TRUE)`` (with
``fpc = ~fpc`` when a finite population correction is given). Variances are Taylor-linearised; the
formulas follow R's ``survey`` package (``svymean``, ``svytotal``, ``svyrecvar``/``onestrat``,
``degf`` and ``svyciprop``, its ``likelihood`` interval included) so that the numbers agree with it
to rounding error:

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
  only rows of non-zero weight, as ``degf()`` of a subset design: R's default for ``svyciprop`` on a
  subset (``df="domain"``). Stata's ``svy, subpop()``, SPSS Complex Samples (which MICS tabulations
  use) take the whole design's instead, :meth:`Design.degf` (``df="design"``), as
  ``svyciprop(…, df = degf(design))`` does in R.

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
#: degrees of freedom of a domain's interval: the domain's own (R's default) or the whole design's
DF_OPTIONS = ("domain", "design")
CI_METHODS = ("logit", "likelihood", "xlogit", "mean", "beta", "asin")

#: above this many (PSU, cell) slots the sums are collected sparsely (by sorting) instead of densely
_DENSE_LIMIT = 1 << 24
#: rows per block when summing over the rows
_BLOCK_ROWS = 1 << 20
#: rows per block when summing into dense (PSU, cell) tables: a block's keys and values, 16 bytes a row
_SUM_BLOCK_ROWS = 1 << 18


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
    n_nonzero: np.ndarray | None = None  #: rows of non-zero weight in the domain (None: as n)
    #: sums of the first iteration of R's GLM fit in each domain, for likelihood intervals (when asked)
    glm_start: np.ndarray | None = None


@dataclass(frozen=True)
class DesignLayout:
    """What variances need from a design, without its rows: the stratum of each PSU, the PSUs of each
    stratum, the finite population corrections and the lonely-PSU rules."""

    psu_stratum: np.ndarray  #: stratum of each PSU
    n_psu: np.ndarray  #: PSUs of each stratum (float)
    f: np.ndarray  #: (N_h - n_h) / N_h of each stratum; 1 without a correction
    n_strata: int
    n_psu_total: int
    lonely_psu: str
    adjust_domain_lonely: bool


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
        del scodes  # not kept: the stratum of a row is the stratum of its PSU
        self.all_weights_nonzero = bool(np.all(w != 0))
        self.layout = DesignLayout(
            psu_stratum=self.psu_stratum,
            n_psu=self.n_psu,
            f=self.f,
            n_strata=self.n_strata,
            n_psu_total=self.n_psu_total,
            lonely_psu=self.lonely_psu,
            adjust_domain_lonely=self.adjust_domain_lonely,
        )

    def degf(self) -> float:
        """The whole design's degrees of freedom, as R's ``degf(design)``: PSUs less strata among the
        rows of non-zero weight."""
        psus = np.flatnonzero(np.bincount(self.psu[self.weights != 0], minlength=self.n_psu_total))
        strata = np.unique(self.psu_stratum[psus])
        return float(psus.size - strata.size)

    # -- checks ---------------------------------------------------------------------------------
    def lonely_strata(self, rows: np.ndarray | None = None) -> list[str]:
        """Labels of the strata with a single PSU (and a non-zero sampling fraction) among ``rows``
        (row numbers or a mask of the rows)."""
        lonely = (self.n_psu == 1) & (self.f >= 1e-7)
        if not lonely.any():
            return []
        if rows is not None:
            psu_used = np.zeros(self.n_psu_total, dtype=bool)
            psu_used[self.psu[rows]] = True
            lonely &= np.bincount(self.psu_stratum[psu_used], minlength=self.n_strata) > 0
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
        if size <= max(_DENSE_LIMIT, 2 * self.n):
            # dense sums, block by block of rows: the temporaries stay small. Each block costs a
            # pass over the sums too, hence blocks of at least half their size.
            acc: list[np.ndarray] = []
            block = max(_SUM_BLOCK_ROWS, size // 2)
            for a in range(0, self.n, block):
                b = min(self.n, a + block)
                keys, cols = self._keys_and_values(y, cell, c1, a, b)
                for k, c in enumerate(cols):
                    part = np.bincount(keys, c, minlength=size)
                    if k < len(acc):
                        acc[k] += part
                    else:
                        acc.append(part)
                    del part
                del keys, cols
            present = np.flatnonzero(acc[0])
            # one sum at a time, each dense table freed once its present pairs are taken
            sums = []
            for k in range(len(acc)):
                sums.append(acc[k][present].astype(np.float64, copy=False))
                acc[k] = None
            del acc
        else:
            keys, cols = self._keys_and_values(y, cell, c1, 0, self.n)
            present, sums = _group_sums(keys, size, cols)
            del keys, cols
        pair_cell = present % c1
        keep = pair_cell < n_cells  # the last cell holds the rows in no domain
        if keep.all():
            pair_psu = present // c1
        else:
            pair_psu = (present // c1)[keep]
            pair_cell = pair_cell[keep]
            for k in range(len(sums)):
                sums[k] = sums[k][keep]
        del present, keep
        nonzero = sums[3] if len(sums) > 3 else sums[0]  # rows of non-zero weight
        return CellSummary(self.layout, pair_psu, pair_cell, sums[0], sums[1], sums[2], nonzero, n_cells)

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

    def estimate(
        self, y: np.ndarray, domain: np.ndarray | None = None, n_domains: int = 1, *, glm_start: bool = False
    ) -> DomainEstimates:
        """Mean and total of ``y`` in each domain (``domain`` codes, -1 = in none; None = all rows).

        ``glm_start``: also the sums that likelihood intervals need (another pass over the rows).
        """
        if domain is None:
            domain = np.zeros(self.n, dtype=np.int64)
        est = self.summarise(y, domain, n_domains).domains(np.arange(n_domains), n_domains)
        if glm_start:
            est.glm_start = _glm_first_iteration(self.weights, y, lambda a, b: domain[a:b], est.n, est.weight_sum)
        return est


class CellSummary:
    """Sums of weights and weighted values per (PSU, cell) pair; tables of domains are built from it.

    ``count`` and ``nonzero`` are the numbers of rows, and of rows of non-zero weight, of each pair.
    It keeps the design's layout, not its rows.
    """

    def __init__(self, layout: DesignLayout, pair_psu, pair_cell, count, wsum, wysum, nonzero, n_cells):
        self.layout = layout
        self.pair_psu = pair_psu
        self.pair_cell = pair_cell
        self.count = count
        self.wsum = wsum
        self.wysum = wysum
        self.nonzero = nonzero
        self.n_cells = n_cells

    def domains(self, cell_to_domain: np.ndarray, n_domains: int) -> DomainEstimates:
        """Estimates for domains made of cells: ``cell_to_domain[c]`` is the domain of cell c (or -1)."""
        des = self.layout
        D = int(n_domains)
        cell_domain = np.asarray(cell_to_domain, dtype=np.int64)
        columns = [self.count, self.wsum, self.wysum, self.nonzero]
        if (cell_domain >= 0).all():  # every cell is in a domain: the pairs as they are
            key = cell_domain[self.pair_cell]
            key += self.pair_psu * D
        else:
            dom = cell_domain[self.pair_cell]
            keep = dom >= 0
            key = dom[keep]
            key += self.pair_psu[keep] * D
            del dom
            columns = [c[keep] for c in columns[:3]]
            columns.append(columns[0] if self.nonzero is self.count else self.nonzero[keep])
            del keep
        # aggregate the cells of a domain: (PSU, domain) totals
        present, (count, wsum, wysum, nz) = _group_sums(key, des.n_psu_total * D, columns)
        del key, columns
        g_psu = present // D
        g_dom = present % D
        del present
        n = np.bincount(g_dom, count, minlength=D)
        W = np.bincount(g_dom, wsum, minlength=D)
        Y = np.bincount(g_dom, wysum, minlength=D)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = Y / W
            # PSU totals of the influence values: of the mean, Σ w (y - m) / W; of the total, Σ w y
            z_mean = (wysum - mean[g_dom] * wsum) / W[g_dom]
        var_mean, var_total = self._variance(g_psu, g_dom, (z_mean, wysum), D)
        del z_mean, wysum, wsum
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
            n=n.astype(np.int64),
            weight_sum=W,
            mean=mean,
            se_mean=se_mean,
            total=Y,
            se_total=se_total,
            df=df,
            n_nonzero=np.bincount(g_dom, nz, minlength=D).astype(np.int64),
        )

    def _variance(self, g_psu, g_dom, vals, D):
        """Variances (one per row of ``vals``) of statistics with PSU totals ``vals`` per (PSU, domain)."""
        des = self.layout
        H = des.n_strata
        hd = des.psu_stratum[g_psu] * D
        hd += g_dom
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
            dev = mu[hd]
            np.subtract(v, dev, out=dev)
            dev *= dev
            centred = np.bincount(hd, dev, minlength=HD) + (n_h - m) * mu**2
            del dev
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
    p: np.ndarray,
    se: np.ndarray,
    df: np.ndarray,
    n: np.ndarray,
    method: str = "logit",
    level: float = 0.95,
    n_nonzero: np.ndarray | None = None,
    glm_start: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Confidence limits of proportions ``p`` with standard errors ``se``, as ``svyciprop``.

    ``df`` are the design degrees of freedom, ``n`` the numbers of rows in the domains (used by
    ``beta`` and ``likelihood``); ``likelihood`` also needs ``n_nonzero``, those of non-zero weight
    (default ``n``), and ``glm_start`` (:attr:`DomainEstimates.glm_start`). ``logit`` is the Wald
    interval of the intercept of a quasi-binomial survey GLM, which for an intercept-only model is
    ``expit(logit p ± t · se / (p (1 - p)))`` — computed here in closed form (R iterates the GLM; at
    p = 0 or 1 the limits are p itself, where R's non-converged fit gives ~1e-12 of it).
    ``likelihood`` inverts the Rao-Scott scaled profile likelihood of that GLM, following R's
    iterations, profile and spline (:func:`_likelihood_interval`).
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
        elif method == "likelihood":
            if glm_start is None:
                raise ValueError(
                    "the likelihood interval needs the GLM's first iteration: tabulate(..., glm_start=True)"
                )
            nz = n if n_nonzero is None else n_nonzero
            lo, hi = _likelihood_interval(p, se, df, n, nz, glm_start, level)
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


#: MASSprofile_glm's default number of steps each side of the estimate (less one)
_PROFILE_STEPS = 9
#: glm.control(): convergence of the deviance and most iterations
_GLM_EPSILON, _GLM_MAXIT = 1e-8, 25
_EPS = float(np.finfo(np.float64).eps)


def _likelihood_interval(p, se, df, n, n_nonzero, start, level):
    """``svyciprop(method = "likelihood")``: the Rao-Scott scaled profile likelihood interval.

    R fits ``svyglm(y ~ 1, family = quasibinomial)`` on the domain and calls its
    ``confint(method = "likelihood")``: ``MASSprofile_glm`` profiles the deviance in up to 9 steps
    each side of the intercept and ``confint_profile`` reads the limits off an interpolating spline.
    For an intercept-only model every piece depends on the rows only through the domain's proportion
    ``p``, its standard error, its ``n`` rows (``n_nonzero`` of non-zero weight), its degrees of
    freedom and the first iteration of R's fit (``start``, see :func:`_glm_first_iteration`), so this
    follows R's steps, vectorised over the domains:

    * R's iteratively reweighted least squares, from ``start`` (its later iterations have one fitted
      value for every row): the intercept ``b0`` and the working weights of its last iteration, whose
      sum ``S`` makes the model-based variance ``1 / S``;
    * the design-based standard error of the intercept ``sd = se / μ'(b0)`` and the design effect
      ``λ = sd² S``; ``α = Φ(t_df · √λ) / 2`` with t the lower (1 - level)/2 quantile;
    * the profile stops once the signed root deviance reaches ``zmax = √qf(α, 1, n - 1, upper)``, in
      steps of ``zmax / 5`` times ``sd``, 9 at most each side; the signed root deviance at ``b`` is
      ``±√((D(b) - D(b0)) / φ)`` with the binomial deviance ``D`` of the weights rescaled to mean 1
      and the dispersion ``φ`` (``svyvar`` of the Pearson residuals);
    * ``spline()`` (Forsythe-Malcolm-Moler) through the steps, evaluated at 3 × as many equally spaced
      points, and ``approx()`` of the intercept at the root deviances ``±Φ⁻¹(2α)``; expit of both.

    Where R stops with an error (df ≤ 0, p at 0 or 1, a zero standard error) the limits are NaN; so
    they are in the unlikely case of a fit that converges at its first iteration.
    """
    sp = _special()
    p, se, df, n, n_nonzero = np.broadcast_arrays(*(np.asarray(a, dtype=np.float64) for a in (p, se, df, n, n_nonzero)))
    shape, size = p.shape, p.size
    p, se, df, n, n_nonzero = (a.reshape(-1) for a in (p, se, df, n, n_nonzero))
    start = np.asarray(start, dtype=np.float64).reshape(4, size)
    lo = np.full(size, np.nan)
    hi = np.full(size, np.nan)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        b0, S, iterations = _glm_fit(p, n, start)
        mu0 = _r_plogis(b0)
        sd = se / _r_mu_eta(b0)
        lam = sd**2 * S
        t = _qt((1 - level) / 2, df)
        alpha = sp.ndtr(t * np.sqrt(lam)) / 2
        k = n - 1
        # R's qf(alpha, 1, k, lower.tail = FALSE): through qbeta, or qchisq beyond 4e5 df
        xb = sp.betaincinv(k / 2, 0.5, alpha)
        zmax = np.where(k > 4e5, -sp.ndtri(alpha / 2), np.sqrt((1 / xb - 1) * k))
        phi = n_nonzero / (n_nonzero - 1) * (p * (1 - p)) / (mu0 * (1 - mu0))
        cut = sp.ndtri(2 * alpha)  # the lower limit's root deviance; the upper one is its opposite
        ok = (df > 0) & (p > 0) & (p < 1) & (sd > 0) & np.isfinite(sd) & (zmax > 0) & np.isfinite(zmax)
        ok &= np.isfinite(cut) & (iterations > 1)
    idx = np.flatnonzero(ok)
    if not idx.size:
        return lo.reshape(shape), hi.reshape(shape)
    b0, mu0, sd, zmax, phi, n, p, cut = (a[idx] for a in (b0, mu0, sd, zmax, phi, n, p, cut))
    # the steps, (domain, side, step): b0 ± step · zmax/5 · sd
    steps = np.arange(1, _PROFILE_STEPS + 1, dtype=np.float64)
    sign = np.array([-1.0, 1.0])
    b = b0[:, None, None] + sign[None, :, None] * steps[None, None, :] * (zmax / 5 * sd)[:, None, None]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        mu = _r_plogis(b)
        m0, w1, w0 = mu0[:, None, None], (n * p)[:, None, None], (n * (1 - p))[:, None, None]
        dev = 2 * (
            np.where(w1 > 0, w1 * np.log(m0 / mu), 0.0) + np.where(w0 > 0, w0 * np.log((1 - m0) / (1 - mu)), 0.0)
        )
        z = sign[None, :, None] * np.sqrt(np.maximum(dev / phi[:, None, None], 0.0))
    # R computes step k while k ≤ 9 and the previous |z| < zmax: the steps up to the first |z| ≥ zmax.
    # A NaN stops R with an error.
    reached = np.abs(z) >= zmax[:, None, None]
    taken = np.where(reached.any(axis=2), reached.argmax(axis=2) + 1, _PROFILE_STEPS)  # (domain, side)
    used = steps[None, None, :] <= taken[:, :, None]
    bad = np.isnan(np.where(used, z, 0.0)).any(axis=(1, 2))
    nodes = 1 + taken.sum(axis=1)  # b0 and the steps taken
    for m in np.unique(nodes[~bad]):
        g = np.flatnonzero((nodes == m) & ~bad)
        # the nodes in increasing order (R sorts the profile): the steps down reversed, b0, the steps up
        down = taken[g, 0][:, None]
        col = np.arange(m)[None, :]
        rows = np.arange(g.size)[:, None]
        left, centre = col < down, col == down
        step_down = np.clip(down - col - 1, 0, _PROFILE_STEPS - 1)
        step_up = np.clip(col - down - 1, 0, _PROFILE_STEPS - 1)
        zg, bg = z[g], b[g]
        zs = np.where(left, zg[rows, 0, step_down], np.where(centre, 0.0, zg[rows, 1, step_up]))
        bs = np.where(left, bg[rows, 0, step_down], np.where(centre, b0[g][:, None], bg[rows, 1, step_up]))
        lo[idx[g]], hi[idx[g]] = _spline_inverse(bs, zs, cut[g])
    with np.errstate(over="ignore", invalid="ignore"):
        return _expit(lo).reshape(shape), _expit(hi).reshape(shape)


def _glm_fit(p, n, start):
    """R's ``glm.fit`` of ``y ~ 1`` (quasi-binomial, logit link, weights of mean 1) in each domain.

    ``start`` holds the sums of the first iteration over the domain's rows (:func:`_glm_first_iteration`);
    from the second on, every row has the same fitted value and the sums need only ``n p`` and ``n``.
    Returns the intercept, the sum of the working weights of the last iteration and the number of
    iterations, as R stops: when the deviance changes by less than 1e-8 of itself (+ 0.1), or after 25.
    """
    s0, s1, dev_start, c = start
    w1, w0 = n * p, n * (1 - p)

    def deviance(mu):
        return c + 2 * (np.where(w1 > 0, w1 * np.log(1 / mu), 0.0) + np.where(w0 > 0, w0 * np.log(1 / (1 - mu)), 0.0))

    beta = s1 / s0
    weight_sum = s0.copy()
    dev_old = dev_start
    iterations = np.ones(p.shape, dtype=np.int64)
    active = np.ones(p.shape, dtype=bool)
    for it in range(1, _GLM_MAXIT + 1):
        if it > 1:
            a = np.flatnonzero(active)
            eta = beta[a]
            mu, mu_eta = _r_plogis(eta), _r_mu_eta(eta)
            beta[a] = eta + (w1[a] - mu * n[a]) / (mu_eta * n[a])
            weight_sum[a] = n[a] * mu_eta**2 / (mu * (1 - mu))
            iterations[a] = it
        dev = deviance(_r_plogis(beta))
        done = np.abs(dev - dev_old) / (np.abs(dev) + 0.1) < _GLM_EPSILON
        active &= ~done
        dev_old = dev
        if not active.any():
            break
    return beta, weight_sum, iterations


def _glm_first_iteration(weights, y, row_domain, n, weight_sum):
    """Sums over each domain's rows of R's first iteration of ``glm.fit`` (quasi-binomial, logit).

    R rescales the weights of the domain to mean 1 (``w / mean(w)``), starts every row at
    ``μ = (w y + 0.5) / (w + 1)`` and takes one weighted least-squares step. Returns, per domain, the
    sum of the working weights, their sum times the working response, the deviance at the start and
    the constant ``2 Σ w (y log y + (1 - y) log(1 - y))`` of the deviance (0 for a 0/1 variable), as
    rows of a (4, domains) array. ``row_domain(a, b)`` gives the domain of rows a..b (-1: none).
    """
    D = n.size
    out = np.zeros((4, D))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_w = weight_sum / n
    block = _SUM_BLOCK_ROWS // 4  # a dozen temporaries a row
    for a in range(0, weights.size, block):
        b = min(weights.size, a + block)
        d = row_domain(a, b)
        w = weights[a:b]
        rows = np.flatnonzero((d >= 0) & (w > 0))  # R's fit leaves out rows of zero weight
        if not rows.size:
            continue
        d = d[rows]
        wt = w[rows] / mean_w[d]
        yr = y[a:b][rows]
        yy = np.asarray(yr, dtype=np.float64)
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            mustart = (wt * yy + 0.5) / (wt + 1)
            eta = np.log(mustart / (1 - mustart))
            del mustart
            mu = _r_plogis(eta)
            mu_eta = _r_mu_eta(eta)
            z = eta + (yy - mu) / mu_eta
            del eta
            ww = wt * mu_eta**2 / (mu * (1 - mu))
            del mu_eta
            if yr.dtype == bool:  # y log(y / μ) + (1 - y) log((1 - y) / (1 - μ)), of which one term is 0
                dev = 2 * wt * np.log(1 / np.where(yr, mu, 1 - mu))
                const = None
            else:
                dev = 2 * wt * (_y_log_y(yy, mu) + _y_log_y(1 - yy, 1 - mu))
                const = 2 * wt * (_y_log_y(yy, yy) + _y_log_y(1 - yy, 1 - yy))
        del mu, wt, yy
        z *= ww
        for k, v in enumerate((ww, z, dev, const)):
            if v is not None:
                out[k] += np.bincount(d, v, minlength=D)
    return out


def _y_log_y(y, mu):
    return np.where(y != 0, y * np.log(np.where(y != 0, y, 1.0) / mu), 0.0)


def _r_plogis(eta):
    """R's inverse logit link (``make.link("logit")``): exp(η) / (1 + exp(η)), with exp(η) at ε or 1/ε beyond ±30."""
    e = np.where(eta < -30, _EPS, np.where(eta > 30, 1 / _EPS, np.exp(np.clip(eta, -30, 30))))
    return e / (1 + e)


def _r_mu_eta(eta):
    """R's dμ/dη of the logit link: exp(η) / (1 + exp(η))², ε beyond ±30."""
    e = np.exp(np.clip(eta, -30, 30))
    return np.where((eta > 30) | (eta < -30), _EPS, e / ((1 + e) * (1 + e)))


def _spline_inverse(x, y, cut):
    """Per row: ``approx(s$y, s$x, xout = c(cut, -cut))$y`` with ``s = spline(x, y)``, as R computes them.

    ``x`` (rows × nodes) increase along each row; ``spline`` uses Forsythe, Malcolm and Moler's end
    conditions and evaluates at ``3 × nodes`` equally spaced points; ``approx`` is linear, NaN outside.
    """
    rows, m = x.shape
    # nodes that do not increase (a standard error too small to move the intercept) end in an
    # error in R, or in ties it collapses: NaN
    with np.errstate(invalid="ignore"):
        strict = np.all(np.diff(x, axis=1) > 0, axis=1) & np.all(np.isfinite(x), axis=1) & (m >= 2)
    lo = np.full(rows, np.nan)
    hi = np.full(rows, np.nan)
    if not strict.any():
        return lo, hi
    x, y, cut = x[strict], y[strict], cut[strict]
    b, c, d = _fmm_coefficients(x, y)
    n_out = 3 * m
    xmin, xmax = x[:, 0], x[:, -1]
    by = (xmax - xmin) / (n_out - 1)
    u = xmin[:, None] + np.arange(n_out)[None, :] * by[:, None]  # R's seq.int(xmin, xmax, length.out = n)
    u[:, -1] = xmax
    # node i with x[i] ≤ u < x[i + 1] (the last node at u = xmax)
    i = np.clip((x[:, None, :] <= u[:, :, None]).sum(axis=2) - 1, 0, m - 1)
    r = np.arange(x.shape[0])[:, None]
    dx = u - x[r, i]
    v = y[r, i] + dx * (b[r, i] + dx * (c[r, i] + dx * d[r, i]))
    out = []
    for target in (cut, -cut):
        out.append(_approx(v, u, target))
    lo[strict], hi[strict] = out
    return lo, hi


def _fmm_coefficients(x, y):
    """R's ``fmm_spline`` (stats/src/splines.c), row by row at once: the cubic's b, c, d at each node."""
    rows, n = x.shape
    b = np.zeros((rows, n))
    c = np.zeros((rows, n))
    d = np.zeros((rows, n))
    if n < 3:
        b[:, 0] = b[:, 1] = (y[:, 1] - y[:, 0]) / (x[:, 1] - x[:, 0])
        return b, c, d
    d[:, 0] = x[:, 1] - x[:, 0]
    c[:, 1] = (y[:, 1] - y[:, 0]) / d[:, 0]
    for i in range(1, n - 1):
        d[:, i] = x[:, i + 1] - x[:, i]
        b[:, i] = 2.0 * (d[:, i - 1] + d[:, i])
        c[:, i + 1] = (y[:, i + 1] - y[:, i]) / d[:, i]
        c[:, i] = c[:, i + 1] - c[:, i]
    b[:, 0] = -d[:, 0]
    b[:, n - 1] = -d[:, n - 2]
    c[:, 0] = c[:, n - 1] = 0.0
    if n > 3:
        c0 = c[:, 2] / (x[:, 3] - x[:, 1]) - c[:, 1] / (x[:, 2] - x[:, 0])
        cn = c[:, n - 2] / (x[:, n - 1] - x[:, n - 3]) - c[:, n - 3] / (x[:, n - 2] - x[:, n - 4])
        c[:, 0] = c0 * d[:, 0] * d[:, 0] / (x[:, 3] - x[:, 0])
        c[:, n - 1] = -cn * d[:, n - 2] * d[:, n - 2] / (x[:, n - 1] - x[:, n - 4])
    for i in range(1, n):
        t = d[:, i - 1] / b[:, i - 1]
        b[:, i] = b[:, i] - t * d[:, i - 1]
        c[:, i] = c[:, i] - t * c[:, i - 1]
    c[:, n - 1] = c[:, n - 1] / b[:, n - 1]
    for i in range(n - 2, -1, -1):
        c[:, i] = (c[:, i] - d[:, i] * c[:, i + 1]) / b[:, i]
    b[:, n - 1] = (y[:, n - 1] - y[:, n - 2]) / d[:, n - 2] + d[:, n - 2] * (c[:, n - 2] + 2.0 * c[:, n - 1])
    for i in range(n - 1):
        b[:, i] = (y[:, i + 1] - y[:, i]) / d[:, i] - d[:, i] * (c[:, i + 1] + 2.0 * c[:, i])
        d[:, i] = (c[:, i + 1] - c[:, i]) / d[:, i]
        c[:, i] = 3.0 * c[:, i]
    c[:, n - 1] = 3.0 * c[:, n - 1]
    d[:, n - 1] = d[:, n - 2]
    return b, c, d


def _approx(x, y, v):
    """Per row, R's ``approx(x, y, xout = v)$y``: linear, NaN outside the range; x sorted, ties averaged."""
    out = np.full(x.shape[0], np.nan)
    order = np.argsort(x, axis=1, kind="stable")
    r = np.arange(x.shape[0])[:, None]
    xs, ys = x[r, order], y[r, order]
    ties = np.any(np.diff(xs, axis=1) == 0, axis=1)
    for k in np.flatnonzero(ties):  # rare: collapse equal x to the mean of their y, as regularize.values
        ux, inverse = np.unique(xs[k], return_inverse=True)
        uy = np.bincount(inverse, ys[k]) / np.bincount(inverse)
        out[k] = _approx_row(ux, uy, v[k])
    plain = np.flatnonzero(~ties)
    if plain.size:
        xs, ys, v = xs[plain], ys[plain], v[plain]
        m = xs.shape[1]
        rr = np.arange(plain.size)
        j = np.clip((xs <= v[:, None]).sum(axis=1), 1, m - 1)
        i = j - 1
        x0, x1, y0, y1 = xs[rr, i], xs[rr, j], ys[rr, i], ys[rr, j]
        with np.errstate(invalid="ignore", divide="ignore"):
            val = y0 + (y1 - y0) * ((v - x0) / (x1 - x0))
        val = np.where(v == x1, y1, np.where(v == x0, y0, val))
        inside = (v >= xs[:, 0]) & (v <= xs[:, -1])
        out[plain] = np.where(inside, val, np.nan)
    return out


def _approx_row(x, y, v):
    if x.size < 2 or not x[0] <= v <= x[-1]:
        return np.nan
    j = min(max(int(np.searchsorted(x, v, side="right")), 1), x.size - 1)
    i = j - 1
    if v == x[j]:
        return y[j]
    if v == x[i]:
        return y[i]
    return y[i] + (y[j] - y[i]) * ((v - x[i]) / (x[j] - x[i]))


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
    *,
    glm_start: bool = False,
) -> list[Table]:
    """Estimate the mean and total of ``y`` for every domain of every table, in one pass over the rows.

    ``variables`` maps a name to (codes, labels): codes 0..k-1 index labels, -1 marks a missing value
    (such a row counts in the tables that do not use that variable). ``tables`` lists the variables of
    each table (``()`` is the total). ``scope`` (a boolean mask) restricts every domain to a
    subpopulation, as ``subset()`` of the design would; the rows outside stay in the design.
    ``glm_start`` also sums, for each table, what likelihood intervals need (another pass over the rows).
    To free the rows before the tables are made, call :func:`summarise_tables` and then its ``tables()``.
    """
    return summarise_tables(design, y, variables, tables, scope, glm_start=glm_start).tables()


@dataclass
class TableSums:
    """The sums :func:`tabulate` makes over the rows; ``tables()`` makes the tables from them alone."""

    summary: CellSummary
    #: per table: its variables, the domain of each cell (-1: none), its number of domains, its categories
    layouts: list[tuple[tuple[str, ...], np.ndarray, int, list[tuple[str, ...]]]]
    glm_starts: list[np.ndarray | None]

    def tables(self) -> list[Table]:
        out = []
        for (variables, cell_domain, n_domains, categories), start in zip(self.layouts, self.glm_starts, strict=True):
            est = self.summary.domains(cell_domain, n_domains)
            est.glm_start = start
            out.append(Table(variables, categories, est))
        return out


def summarise_tables(
    design: Design,
    y: np.ndarray,
    variables: dict[str, tuple[np.ndarray, Sequence[str]]],
    tables: Sequence[Sequence[str]],
    scope: np.ndarray | None = None,
    *,
    glm_start: bool = False,
) -> TableSums:
    """The pass over the rows of :func:`tabulate` (same arguments): what it returns holds no row."""
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
        del cell
        cell_c = cell_c.reshape(-1)
        if occurring.size and occurring[0] < 0:
            cell_c -= 1
            occurring = occurring[1:]
    else:  # renumber the cells that occur through a lookup table, block by block
        counts = np.zeros(n_cells + 1, dtype=np.int64)
        for a in range(0, design.n, _SUM_BLOCK_ROWS):
            counts += np.bincount(cell[a : a + _SUM_BLOCK_ROWS].astype(np.intp) + 1, minlength=n_cells + 1)
        occurring = np.flatnonzero(counts[1:])
        if occurring.size < n_cells:
            lut = np.full(n_cells + 1, -1, dtype=cell.dtype)
            lut[occurring + 1] = np.arange(occurring.size, dtype=cell.dtype)
            cell_c = np.empty_like(cell)
            for a in range(0, design.n, _SUM_BLOCK_ROWS):
                b = min(design.n, a + _SUM_BLOCK_ROWS)
                cell_c[a:b] = lut[cell[a:b].astype(np.intp) + 1]
        else:
            cell_c = cell
        del cell
    summary = design.summarise(y, cell_c, occurring.size)
    layouts = []
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
        labels = [list(map(str, variables[v][1])) for v in t]
        cats = [tuple(c) for c in _product(labels)] if t else [()]
        layouts.append((tuple(t), dom, n_dom, cats))
    starts: list[np.ndarray | None] = [None] * len(layouts)
    if glm_start:
        # the domains' rows and weights, from the cells' sums: R rescales each domain's weights to mean 1
        cell_n = np.bincount(summary.pair_cell, summary.count, minlength=occurring.size)
        cell_w = np.bincount(summary.pair_cell, summary.wsum, minlength=occurring.size)
        for k, (_t, dom, n_dom, _cats) in enumerate(layouts):
            inside = dom >= 0
            n = np.bincount(dom[inside], cell_n[inside], minlength=n_dom)
            w = np.bincount(dom[inside], cell_w[inside], minlength=n_dom)
            row_dom = np.append(dom, -1)  # cell -1 (a row outside the scope) → no domain

            def row_domain(a, b, row_dom=row_dom):
                return row_dom[cell_c[a:b]]

            starts[k] = _glm_first_iteration(design.weights, y, row_domain, n, w)
    return TableSums(summary, layouts, starts)


def _product(lists):
    import itertools

    return itertools.product(*lists)
