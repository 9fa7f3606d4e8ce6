# Reference estimates from R's survey package for tests/engines/test_survey_r.py.
#
# Usage: Rscript survey_reference.R CASES.csv OUT.csv
#
# CASES.csv has one line per case: data (a CSV file, relative to CASES.csv), lonely (survey.lonely.psu),
# adjust_domain_lonely (TRUE/FALSE), fpc (TRUE: use the column fpc), level, by (domain variables,
# "+" for a cross, "" for the total only, ";" between tables). Each data file has the columns weight,
# stratum, psu, y (0/1), inscope (1 = part of the population studied) and the domain variables.
# Every domain is estimated as subset(design, inscope == 1 & <domain>), as svyby would.
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
      m <- svymean(~y, sub)
      tt <- svytotal(~y, sub)
      row <- list(case = k - 1, table = tb, domain = value, n = nrow(sub), df = degf(sub),
                  mean = num(coef(m)[[1]]), se = num(SE(m)[[1]]),
                  total = num(coef(tt)[[1]]), se_total = num(SE(tt)[[1]]))
      for (meth in methods) {
        # warnings (e.g. a GLM that does not converge at p = 0) are silenced; an error gives NA
        ci <- tryCatch(withCallingHandlers(attr(svyciprop(~y, sub, method = meth, level = level), "ci"),
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
