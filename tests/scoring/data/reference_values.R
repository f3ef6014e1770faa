# Regenerates the R reference values pinned in tests/scoring/test_agreement.py and
# tests/scoring/test_change.py. The test suite itself does not need R.
#
#   Rscript tests/scoring/data/reference_values.R      (from the repository root)
#
# Produced with R 4.2.2, multilevel 2.7, psych 2.2.9 (Debian packages r-cran-multilevel and
# r-cran-psych).

suppressMessages({
  library(multilevel)
  library(psych)
})
options(digits = 15)

cat("== agreement_units.csv ==\n")
d <- read.csv("tests/scoring/data/agreement_units.csv", na.strings = c("", "NA"))
items <- d[, c("Q1", "Q2", "Q3", "Q4")]

# rwg(j), uniform null for five options: ranvar = (5^2 - 1) / 12 = 2
print(rwg.j(items, d$unit, ranvar = 2))
# one item: rwg(j) with J = 1 is rwg
print(rwg(d$Q1, d$unit, ranvar = 2))

# ICC(1), ICC(2) of the domain score: mean of the answered items
d$score <- rowMeans(items, na.rm = TRUE)
fit <- aov(score ~ as.factor(unit), data = d)
print(summary(fit))
s <- summary(fit)[[1]]
cat("ICC1 ", ICC1(fit), "\n")
cat("ICC2 ", ICC2(fit), "\n")
cat("F    ", s[1, "F value"], "\n")
cat("p    ", s[1, "Pr(>F)"], "\n")
# statsBy needs two or more variables; the second is a rescaled copy and is not used
d$score_copy <- 2 * d$score
sb <- statsBy(d[, c("unit", "score", "score_copy")], group = "unit")
cat("psych statsBy ICC1 ", sb$ICC1["score"], " ICC2 ", sb$ICC2["score"], "\n")

cat("== Shrout & Fleiss (1979) Table 2, targets as groups ==\n")
sf <- matrix(c(9, 2, 5, 8,
               6, 1, 3, 2,
               8, 4, 6, 8,
               7, 1, 2, 6,
               10, 5, 6, 9,
               6, 2, 4, 7), ncol = 4, byrow = TRUE)
long <- data.frame(score = as.vector(t(sf)), target = rep(1:6, each = 4))
fit_sf <- aov(score ~ as.factor(target), data = long)
cat("ICC1 ", ICC1(fit_sf), " ICC2 ", ICC2(fit_sf), "\n")
print(ICC(sf, lmer = FALSE)$results[, c("type", "ICC", "F", "df1", "df2", "p")])

cat("== Welch t tests: t.test(later, earlier) ==\n")
earlier <- c(3.2, 3.6, 2.8, 4.0, 3.4, 3.0, 3.8, 2.6, 3.5, 3.1)
later <- c(3.9, 4.2, 3.6, 4.4, 3.7, 4.8, 4.0, 3.3)
r <- t.test(later, earlier)
cat("t ", r$statistic, " df ", r$parameter, " p ", r$p.value, "\n")
cat("diff ", mean(later) - mean(earlier), " ci ", r$conf.int, "\n")

flat_earlier <- c(4.1, 3.9, 4.0, 4.2, 3.8, 4.0)
flat_later <- c(4.0, 4.1, 3.9, 4.2, 3.9, 4.1, 4.0)
r2 <- t.test(flat_later, flat_earlier)
cat("t ", r2$statistic, " df ", r2$parameter, " p ", r2$p.value, " ci ", r2$conf.int, "\n")

cat("== p.adjust(p, 'BH') ==\n")
p <- c(0.001, 0.008, NA, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, NA, 0.212, 0.216)
print(p.adjust(p, "BH"))
print(p.adjust(c(0.5, 0.01, 0.01, 0.03), "BH"))
