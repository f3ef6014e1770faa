# Reference values for tests/scoring/test_matrix.py, test_summary.py and test_reliability.py
# (domain scores, group and item summaries, reliability). The test suite does not need R.
#
#   Rscript tests/scoring/data/reference_scores_reliability.R   (from the repository root,
#                                                                or from this folder)
#
# Needs R with psych and GPArotation (Debian: apt-get install r-cran-psych). The values in
# the tests were produced with R 4.2.2 and psych 2.2.9.
# In the CSV files an empty cell is a skipped item and "NA" is "not applicable"; both are
# missing. Reliability is computed on the complete cases, as tisa does, so psych's alpha()
# (which otherwise uses pairwise covariances, and all rows as Feldt's n) sees the same data.

suppressMessages(library(psych))
options(digits = 15, warn = -1)
here <- if (dir.exists("tests/scoring/data")) "tests/scoring/data" else "."

read_domain <- function(file) {
  raw <- read.csv(file.path(here, file), colClasses = "character", na.strings = NULL)
  items <- grep("^[A-Z][0-9]+$", names(raw), value = TRUE)
  x <- as.data.frame(lapply(raw[items], function(v) as.numeric(ifelse(v %in% c("", "NA"), NA, v))))
  na_mask <- as.matrix(raw[items] == "NA")
  list(x = x, na = na_mask, raw = raw)
}

show <- function(label, value) {
  cat(sprintf("%-42s %s\n", label, paste(sprintf("%.15g", value), collapse = ", ")))
}

# One-factor minres solved to machine precision (BFGS on the loadings, analytic gradient),
# an independent check of where psych's fa(fm = "minres") optimizer stops.
minres_tight <- function(R, start) {
  f <- function(l) { E <- R - tcrossprod(l); diag(E) <- 0; sum(E^2) / 2 }
  g <- function(l) { E <- R - tcrossprod(l); diag(E) <- 0; -2 * E %*% l }
  optim(start, f, g, method = "BFGS", control = list(reltol = 1e-16, maxit = 10000))$par
}

reliability_block <- function(name, x) {
  cc <- x[complete.cases(x), ]
  a <- alpha(cc, warnings = FALSE)
  o <- suppressMessages(omega(cc, nfactors = 1, flip = FALSE, plot = FALSE))
  fa1 <- suppressMessages(fa(cor(cc), 1, fm = "minres"))
  R <- cor(cc)
  lt <- minres_tight(R, as.vector(fa1$loadings))
  cat("\n##", name, "\n")
  show("n_complete", nrow(cc))
  show("alpha()$total$raw_alpha", a$total$raw_alpha)
  show("alpha()$total$std.alpha", a$total$std.alpha)
  show("alpha()$total$average_r", a$total$average_r)
  show("alpha()$feldt$lower.ci", a$feldt$lower.ci)
  show("alpha()$feldt$upper.ci", a$feldt$upper.ci)
  show("alpha()$item.stats$r.drop", a$item.stats$r.drop)
  show("alpha()$alpha.drop$raw_alpha", a$alpha.drop$raw_alpha)
  show("omega(nfactors = 1, flip = FALSE)$omega.tot", o$omega.tot)
  show("fa(cor, 1, fm = 'minres')$loadings", as.vector(fa1$loadings))
  show("tight minres loadings", lt * sign(sum(lt)))
  show("tight minres omega.tot (as keyed)", 1 - sum(1 - lt^2) / sum(R))
}

summary_block <- function(name, d, min_answered = 0.75, favorable = 4:5) {
  x <- d$x
  k <- ncol(x)
  need <- if (k <= 3) k else ceiling(min_answered * k - 1e-9)
  answered <- rowSums(!is.na(x))
  s <- ifelse(answered >= need, rowMeans(x, na.rm = TRUE), NA)
  sc <- s[!is.na(s)]
  answers <- unlist(x)[!is.na(unlist(x))]
  cat("\n##", name, "summary\n")
  show("required items", need)
  show("n scored", length(sc))
  show("sum of scores", sum(sc))
  show("mean", mean(sc))
  show("sd", sd(sc))
  show("t.test(s)$conf.int", t.test(sc)$conf.int)
  show("answers at points 1..5", tabulate(answers, 5))
  show("share favorable", mean(answers %in% favorable))
  show("share NA (slots)", mean(d$na))
  show("item n", colSums(!is.na(x)))
  show("item n_na", colSums(d$na))
  show("item mean", colMeans(x, na.rm = TRUE))
  show("item sd", apply(x, 2, sd, na.rm = TRUE))
  invisible(s)
}

cat("R ", R.version$major, ".", R.version$minor, ", psych ", format(packageVersion("psych")),
    "\n", sep = "")

a <- read_domain("domain_a.csv")
a_keyed <- a
a_keyed$x$A3 <- 6 - a_keyed$x$A3           # reverse.code: min + max - x on 1..5
reliability_block("domain_a keyed (A3 reversed)", a_keyed$x)
reliability_block("domain_a as answered (A3 not reversed)", a$x)
summary_block("domain_a keyed", a_keyed)

b <- read_domain("domain_b.csv")
reliability_block("domain_b", b$x)
summary_block("domain_b", b)

cm <- read_domain("domain_c.csv")
reliability_block("domain_c", cm$x)
s <- summary_block("domain_c", cm)
unit <- cm$raw$unit
cat("\n## domain_c by unit (sorted: north, south, west)\n")
ok <- !is.na(s)
show("n", tapply(s[ok], unit[ok], length))
show("mean", tapply(s[ok], unit[ok], mean))
show("sd", tapply(s[ok], unit[ok], sd))
show("ci low", tapply(s[ok], unit[ok], function(v) t.test(v)$conf.int[1]))
show("ci high", tapply(s[ok], unit[ok], function(v) t.test(v)$conf.int[2]))
answers_by_unit <- split(as.data.frame(cm$x), unit)
show("share favorable", sapply(answers_by_unit, function(u) {
  v <- unlist(u); v <- v[!is.na(v)]; mean(v %in% 4:5)
}))
show("share NA", sapply(split(as.data.frame(cm$na), unit), function(u) mean(as.matrix(u))))

cat("\n## t intervals\n")
show("t.test(c(2, 3, 4))$conf.int", t.test(c(2, 3, 4))$conf.int)
show("t.test(c(2, 3, 4), conf.level = 0.9)", t.test(c(2, 3, 4), conf.level = 0.9)$conf.int)

# The docstring example of scoring.reliability.reliability
cat("\n## docstring example\n")
ex <- data.frame(a = c(1, 2, 3, 4, 5, 3, 2, 4), b = c(2, 1, 4, 3, 5, 4, 2, 3),
                 c = c(2, 3, 3, 5, 4, 2, 1, 4), d = c(3, 2, 2, 4, 5, 3, 1, 3))
aex <- alpha(ex, warnings = FALSE)
show("alpha(ex)$total raw_alpha, std.alpha", c(aex$total$raw_alpha, aex$total$std.alpha))
show("omega(ex, nfactors = 1, flip = FALSE)$omega.tot",
     suppressMessages(omega(ex, nfactors = 1, flip = FALSE, plot = FALSE))$omega.tot)

# A domain with an item everyone answered the same way (column c). psych's alpha() cannot
# take it (it deletes the item, or stops with delete = FALSE), so base R gives the values
# that stay defined: raw alpha from the covariance matrix, r.drop of the other items, alpha
# with an item deleted.
cat("\n## constant item\n")
x <- data.frame(a = c(1, 2, 3, 4, 5, 3, 2, 4), b = c(2, 1, 4, 3, 5, 4, 2, 3),
                c = c(3, 3, 3, 3, 3, 3, 3, 3), d = c(3, 2, 2, 4, 5, 3, 1, 3))
raw_alpha <- function(x) { C <- cov(x); k <- ncol(x); k / (k - 1) * (1 - sum(diag(C)) / sum(C)) }
show("raw alpha", raw_alpha(x))
show("alpha.ci(alpha, 8, 4) lower, upper",
     unlist(alpha.ci(raw_alpha(x), 8, 4)[c("lower.ci", "upper.ci")]))
show("r.drop of a, b, d", sapply(c("a", "b", "d"), function(i) cor(x[[i]], rowSums(x[names(x) != i]))))
show("alpha without a, b, c, d", sapply(names(x), function(i) raw_alpha(x[names(x) != i])))

# A three-item Heywood case: psych's optimizer stops at the bound with a worse fit.
cat("\n## Heywood case\n")
h <- data.frame(a = c(1, 2, 3, 4, 5), b = c(2, 2, 4, 4, 5), c = c(2, 3, 3, 5, 4))
fh <- suppressMessages(fa(cor(h), 1, fm = "minres"))
show("fa(cor(h), 1, fm = 'minres')$loadings", as.vector(fh$loadings))
show("omega(h, nfactors = 1, flip = FALSE)$omega.tot",
     suppressMessages(omega(h, nfactors = 1, flip = FALSE, plot = FALSE))$omega.tot)
show("alpha(h)$total$raw_alpha", alpha(h, warnings = FALSE)$total$raw_alpha)
