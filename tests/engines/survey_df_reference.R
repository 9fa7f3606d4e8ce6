# Reference intervals with the whole design's degrees of freedom, for tests/engines/test_survey_df.py.
#
# Usage: Rscript survey_df_reference.R CASES.csv OUT.csv
#
# CASES.csv is laid out as for survey_reference.R (data, lonely, adjust_domain_lonely, fpc, level, by).
# Every domain is subset(design, inscope == 1 & <domain>) and its interval is
# svyciprop(~y, subset, method, level, df = degf(design)): the degrees of freedom of the whole design,
# as Stata's svy subpop and SPSS Complex Samples use, instead of R's default degf(subset).
# svyciprop's "beta" method ignores its df argument (it always takes degf of the subset); its interval
# with the design's degrees of freedom is written out below, svyciprop's own formula with degf(design).
suppressPackageStartupMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
cases <- read.csv(args[1], stringsAsFactors = FALSE, colClasses = "character")
base <- dirname(args[1])
methods <- c("logit", "likelihood", "xlogit", "mean", "beta", "asin")
out <- list()
num <- function(x) format(x, digits = 17)

for (k in seq_len(nrow(cases))) {
  cs <- cases[k, ]
  d <- read.csv(file.path(base, cs$data), stringsAsFactors = FALSE, colClasses = c(stratum = "character", psu = "character"))
  options(survey.lonely.psu = cs$lonely, survey.adjust.domain.lonely = as.logical(cs$adjust_domain_lonely))
  if (as.logical(cs$fpc)) {
    des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, fpc = ~fpc, data = d, nest = TRUE)
  } else {
    des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, data = d, nest = TRUE)
  }
  whole <- degf(des)
  level <- as.numeric(cs$level)
  tables <- if (cs$by == "") "" else c("", strsplit(cs$by, ";", fixed = TRUE)[[1]])
  for (tb in tables) {
    vars <- if (tb == "") character(0) else strsplit(tb, "+", fixed = TRUE)[[1]]
    inscope <- d$inscope == 1
    if (length(vars)) {
      key <- do.call(paste, c(lapply(vars, function(v) as.character(d[[v]])), sep = "|"))
    } else {
      key <- rep("_T", nrow(d))
    }
    for (value in sort(unique(key[inscope]))) {
      sub <- des[inscope & key == value, ]
      row <- list(case = k - 1, table = tb, domain = value, design_df = whole, domain_df = degf(sub))
      for (meth in methods) {
        if (meth == "beta") {
          m <- svymean(~y, sub)
          p <- coef(m)[[1]]
          alpha <- 1 - level
          n.eff <- p * (1 - p) / vcov(m)[[1]] * (qt(alpha / 2, nrow(sub) - 1) / qt(alpha / 2, whole))^2
          ci <- suppressWarnings(c(qbeta(alpha / 2, n.eff * p, n.eff * (1 - p) + 1),
                                   qbeta(1 - alpha / 2, n.eff * p + 1, n.eff * (1 - p))))
          row[["beta_lo"]] <- num(ci[[1]])
          row[["beta_hi"]] <- num(ci[[2]])
          next
        }
        ci <- tryCatch(withCallingHandlers(attr(svyciprop(~y, sub, method = meth, level = level, df = whole), "ci"),
                                           warning = function(w) invokeRestart("muffleWarning")),
                       error = function(e) c(NA, NA))
        row[[paste0(meth, "_lo")]] <- num(ci[[1]])
        row[[paste0(meth, "_hi")]] <- num(ci[[2]])
      }
      out[[length(out) + 1]] <- as.data.frame(row, stringsAsFactors = FALSE)
    }
  }
}
write.csv(do.call(rbind, out), args[2], row.names = FALSE)
