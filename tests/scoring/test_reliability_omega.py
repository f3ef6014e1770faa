"""scoring.reliability: omega of the score as keyed, its one-factor fit, why it is withheld,
and alpha on pairwise-complete covariances.

Expected values from R 4.2.2 with psych 2.2.9, each with its R call in a comment, on data
written out below (psych's ``attitude``; the first 250 rows of psych's ``bfi``; two
constructed sets). ``omega.tot`` is matched to absolute 1e-6 (psych's optimizer stops about
1e-7 short of the minres minimum), ``rms`` to 1e-6, pairwise alpha (closed form) to relative
1e-12.

The R helper used throughout:

    library(psych)
    pins <- function(x) {
      cc <- x[complete.cases(x), ]
      c(omega.tot = omega(cc, nfactors = 1, flip = FALSE, plot = FALSE)$omega.tot,
        rms = fa(cc, 1, fm = "minres")$rms,
        raw_alpha = alpha(x, use = "pairwise", check.keys = FALSE)$total$raw_alpha)
    }
"""

from __future__ import annotations

import numpy as np
import pytest

from scoring.reliability import (
    OMEGA_MULTIDIMENSIONAL,
    OMEGA_REVERSED,
    RMSR_POOR,
    reliability,
)

OMEGA_TOL = 1e-6
REL = 1e-12

# psych::attitude (30 × 7), columns rating, complaints, privileges, learning, raises,
# critical, advance
ATTITUDE = np.array(
    [
        [43, 51, 30, 39, 61, 92, 45],
        [63, 64, 51, 54, 63, 73, 47],
        [71, 70, 68, 69, 76, 86, 48],
        [61, 63, 45, 47, 54, 84, 35],
        [81, 78, 56, 66, 71, 83, 47],
        [43, 55, 49, 44, 54, 49, 34],
        [58, 67, 42, 56, 66, 68, 35],
        [71, 75, 50, 55, 70, 66, 41],
        [72, 82, 72, 67, 71, 83, 31],
        [67, 61, 45, 47, 62, 80, 41],
        [64, 53, 53, 58, 58, 67, 34],
        [67, 60, 47, 39, 59, 74, 41],
        [69, 62, 57, 42, 55, 63, 25],
        [68, 83, 83, 45, 59, 77, 35],
        [77, 77, 54, 72, 79, 77, 46],
        [81, 90, 50, 72, 60, 54, 36],
        [74, 85, 64, 69, 79, 79, 63],
        [65, 60, 65, 75, 55, 80, 60],
        [65, 70, 46, 57, 75, 85, 46],
        [50, 58, 68, 54, 64, 78, 52],
        [50, 40, 33, 34, 43, 64, 33],
        [64, 61, 52, 62, 66, 80, 41],
        [53, 66, 52, 50, 63, 80, 37],
        [40, 37, 42, 58, 50, 57, 49],
        [63, 54, 42, 48, 66, 75, 33],
        [66, 77, 66, 63, 88, 76, 72],
        [78, 75, 58, 74, 80, 78, 49],
        [48, 57, 44, 45, 51, 83, 38],
        [85, 85, 71, 71, 77, 74, 55],
        [82, 82, 39, 59, 64, 78, 39],
    ],
    dtype=float,
)

# psych::bfi[1:250, 1:25] (A1–A5, C1–C5, E1–E5, N1–N5, O1–O5 on a 1–6 scale), one
# respondent per 25 digits, "." for NA
BFI_250 = (
    "2434423344333443422336343 2452554434116433335542433 5454445425244454542342552",
    "4465544355534442524133435 2334544532225452344333433 6656566613216563522343561",
    "2553554423434551221152561 4315132424364216326432453 436336634553.435523366661",
    "2566565621224555552451552 4456543532132543342353563 2555554545334544532.46454",
    "5556454322333241222242452 5556644421224651112153444 4522155522343652422352555",
    "4366355535116644545566632 4662544444125554444551563 5554555543224666554451454",
    "4454354546124555655242242 4465511156114565551141532 5421246554335541332161324",
    "1661554423124342554651662 1565643245212522222261552 2656535636224664446661561",
    "4556555411325562331162562 1661652511116662312164553 2444365611244263353252661",
    "2566645434126664452361643 2513554525126541422524541 4565555354126555443144651",
    "1656355543251535556643365 2566655524124553241252552 1565415646662111213666561",
    "2456546424223532241355542 444444333423423.212243553 5354222434343235344345443",
    "1646456315663222224155453 1442365634343355655455452 1666666611111661111161661",
    "1543565522323651212151661 1556544434434442233343252 5436452524642441212.33225",
    "1544545433332542313243543 5643553345644432234535444 2666654534224552222352551",
    "1666652121656652146565661 5534344345445244535235442 2645532346242443422454532",
    "1532336313555535555333251 1666655412116664411163661 1666443142225446663331462",
    "1565466662444361116556363 3644455325114652211151556 4356356252352626555625264",
    "1666665522125652323253552 1435555445254552445351661 1422255551454343455544663",
    "3452454524555455553252555 1654466614441253444444421 3354564422214641214143552",
    "2344553246443524465224355 2445355434654344545566462 14666.6623115664431353363",
    "4535465522115663531341461 2666646614365444366441663 2.4645452155333111.121461",
    "1542512226252212554254461 4322242245434241215261661 2345655422124441224232552",
    "1663665614442331225262352 4566446612435552331341462 24625244111144.1322162453",
    "4445354624224645543541423 1555455512443251244451542 3555455511235542122351542",
    "2556554632114652233251434 2666654512116652421163541 5666555634125664344654563",
    "1224224251224224222423424 2555542354444542345244351 1565365443454453334362562",
    "1633166516453514466561661 1462633445645623546462561 1665656511325553322245452",
    "1652645523344532456665461 4446525443533352242434344 1555544522522553322245544",
    "1654645445224551322251452 1646444524124552322242342 3455433.33444343344342443",
    "1555552412415551114161552 1562554534354443343461562 2454522344152622364632225",
    "1663666511135662546162561 2646445631242544523634356 2334356414562243466652354",
    "3122221266661113544451361 1455664411512351211151561 4326545626551554566651264",
    "2623442535532351112221533 255354343535455.564462561 3442443442234354422442542",
    "2555266415322254555462561 1452621246653332133143456 1641164521663114366523363",
    "1656653465243454543454462 155526.611321265.54341661 6111236334145266632561652",
    "2656554446134645624665662 3656435234256656664654464 1666644534324542323441561",
    ".456455515343231214236133 1665453512244541112242462 1666666516552551555661662",
    "1654554522116652222261541 4212241266552212424226355 1543456414324561224141651",
    "5222122235562124422251552 2543454523124554432361552 1566665426125661222461661",
    "4655646552136664313463653 2544445555563223425624464 6552555611125565443162651",
    "2551655536246654433153642 2455555466555531224252561 2555255526553222325551661",
    "2565654532224554422243542 2544554535235452334252662 2553223456252222444252462",
    "454.353425143544554544363 2444444445434654535442463 3545444535245545555563452",
    "43333655235.3233334451566 2433344436253254644535353 1666666365655666645656662",
    "1665661345344635525244661 166461131111666441.241622 1656566411125454621261653",
    "1656555414236654454552564 3664623255116664443363452 2313133326661135436422153",
    "2455544642124656644644345 2535165422115623544542543 1656632423325532222144453",
    "5445635336446552521262552 2543364424643341114361461 1663666615145563644651461",
    "2645444535334443334344552 2635244645215461111162521 1556555522221535244252551",
    "1553352256232345553252562 1665665311125551112461661 2556544254435543421165462",
    "4431454411114663422141642 2655355621253451321362465 3565545424225553354352653",
    "1666553444125652222354552 2555431445555352454554551 2441335445444521214451661",
    "2455456521344266623455455 155655451142444342.151444 1662553234223552423542462",
    "2645423245234544324255442 1523425652521341241156226 1666655522225642243456564",
    "2455511345125521212161556 2456546412116651122151552 26544424552.4354424164552",
    "1555556422415464554251561 1661366514561416665651251 3443433536255345422454445",
    "4456456642225554245442533 1555544445225553333462545 2655454534465663322256651",
    "2666555521215561222351663 1224364656451634664534364 1656645334634551222361561",
    "6566566613664454544461363 4343443544244345532354444 3422332241225452311163651",
    "4343352445354145554461661 1656654524345642321155353 3544433444543242323254434",
    "4223343345452255445452562 3443355432344234454461661 1656335116133366662636116",
    "1554544444415541211264661 2216366611225661311161662 2445555512652555556322352",
    "1662555512226666642461551 2344431132333342323262452 1643644525254564552652661",
    "2345345425533442244343453 5435444445155641114554445 1544455524342444443442352",
    "1665313225665126466331334 2563553334126565412244542 2456524432443522432331353",
    "2655524346135661121163453 1564532521112541222451551 2555556512233541312543455",
    "1522222623564153555425461 3355544434323543533444323 2456556412214651211153432",
    "1655554434324541242162453 2646245511645461215452151 2556424224543354443232343",
    "14.6664411666161111161461 1565533344115553442343543 2321412215152451512141251",
    "2555562522224652221251561 1656645456346555562.61152 5444554.44444532222153454",
    "3433333346552246666334244 16646555133162.2211261661 2441454422453354512351562",
    "1666665412115663432266551 2444351321113655661143523 5545466616224551143464452",
    "5312362245543421444262652 25554555432455434434.5343 15.5666111611511116166611",
    "1556655533115551111252555 1566453435223642222451553 1565625522134663522351561",
    "1666415632426422554455561 3553443433343433433332443 2543265624242254522151.51",
    "1565553415224552222153452 2665555421235462322161562 5456414622335452213256463",
    "2643553324443332322464463 5456256411113632423162632 3524554633352321332452552",
    "3656665511124662212352461 2544433454224445544435434 1.46555233224242334343562",
    "1666543456224531244443553 3446355524643341322162352 3565656521314653533141443",
    "15.6555611124664432261562 2446345424642341111162.52 4555554524224552321154441",
    "1646654512515461221142553 4342555522223364433261461 3555543335343554522254455",
    "5211221256252423645356264 3334452523423542223223245 4241454415224352412144.42",
    "3545542444346663422151353",
)
BFI_KEYS = {  # psych's bfi.keys: a minus sign reverses the item (7 − x)
    "A": (-1, 2, 3, 4, 5),
    "C": (6, 7, 8, -9, -10),
    "E": (-11, -12, 13, 14, 15),
    "N": (16, 17, 18, 19, 20),
    "O": (21, -22, 23, 24, -25),
}


def bfi_250() -> np.ndarray:
    rows = " ".join(BFI_250).split()
    return np.array([[np.nan if c == "." else float(c) for c in row] for row in rows])


def bfi_scale(name: str, keyed: bool = True) -> np.ndarray:
    data = bfi_250()
    cols = BFI_KEYS[name]
    x = data[:, [abs(c) - 1 for c in cols]]
    if keyed:
        for j, c in enumerate(cols):
            if c < 0:
                x[:, j] = 7 - x[:, j]
    return x


def digits(text: str) -> np.ndarray:
    return np.array([[float(c) for c in row] for row in text.split()])


# Two unrelated factors of three items each (loadings .8, 5-point), n = 60: numpy
# default_rng(11), y = .8 f + .6 e cut at -1.5, -.5, .5, 1.5
TWO_FACTORS = digits(
    "333445 454312 323333 433332 344111 455324 455233 333323 343333 333334 232211 333222 "
    "211213 233123 222333 434323 332433 424222 334544 323323 432333 454232 323432 222342 "
    "433332 443344 444343 443232 343434 121233 323534 232233 433422 334323 542223 454443 "
    "343344 444435 222442 344442 132544 122443 444211 433222 334344 535121 333443 544334 "
    "223444 333332 223333 324424 233132 222453 333321 444444 554324 333123 444455 223233"
)
# One factor, five items, the third reverse-worded and not keyed (loading -.6), n = 40
ONE_REVERSED = digits(
    "13534 33245 33422 13523 23423 44533 43453 23533 53243 22332 45354 23342 44245 45153 "
    "42145 34434 42531 55254 45345 44224 34242 42434 23433 23433 34453 45123 35443 22443 "
    "53453 34242 54244 23342 53345 43333 54443 55345 32532 54254 22342 35345"
)


def test_data_as_r_read_it():
    assert ATTITUDE.shape == (30, 7) and ATTITUDE.sum() == 12_692  # sum(attitude)
    data = bfi_250()
    assert data.shape == (250, 25)
    assert int(np.isnan(data).sum()) == 29  # sum(is.na(bfi[1:250, 1:25]))
    assert (TWO_FACTORS.shape, ONE_REVERSED.shape) == ((60, 6), (40, 5))


@pytest.mark.parametrize(
    ("label", "x", "n_complete", "omega_tot", "rms", "alpha_pairwise", "withheld", "reversed"),
    [
        # pins(attitude): one factor fits once sampling error is taken out (RMSR .107 at
        # n = 30, unbiased about .056)
        (
            "attitude",
            ATTITUDE,
            30,
            0.850992465078405,
            0.107341183669302,
            0.84314276956476,
            None,
            (),
        ),
        # pins(bfi[1:250, 1:5]): A1 ("Am indifferent to the feelings of others") not keyed;
        # psych's default flip = TRUE would give the keyed 0.7598
        (
            "bfi A as answered",
            bfi_scale("A", keyed=False),
            243,
            0.626348614455971,
            0.0600460872813323,
            0.446526830964803,
            OMEGA_REVERSED,
            (0,),
        ),
        # pins(x) with x <- bfi[1:250, 1:5]; x$A1 <- 7 - x$A1 (and likewise for C, E, N, O)
        (
            "bfi A keyed",
            bfi_scale("A"),
            243,
            0.759842557745532,
            0.0600460872813323,
            0.735508700482124,
            None,
            (),
        ),
        (
            "bfi C keyed",
            bfi_scale("C"),
            246,
            0.72321319272557,
            0.0631944527284423,
            0.717374509188506,
            None,
            (),
        ),
        (
            "bfi E keyed",
            bfi_scale("E"),
            245,
            0.777945495792598,
            0.051965285305064,
            0.774727878455291,
            None,
            (),
        ),
        # N1, N2 (anger) against N3–N5 (depression): a second factor this subset shows
        # (unbiased RMSR .102); in all 2,800 rows of bfi the RMSR is .062 and omega shown
        (
            "bfi N keyed",
            bfi_scale("N"),
            241,
            0.810866806691628,
            0.105738518597267,
            0.807037104116234,
            OMEGA_MULTIDIMENSIONAL,
            (),
        ),
        (
            "bfi O keyed",
            bfi_scale("O"),
            246,
            0.6685591968154,
            0.032133983119678,
            0.647623076388412,
            None,
            (),
        ),
        # pins(two): psych's default omega gives 0.68-like values with the second factor
        # "reversed"; here it is withheld as measuring more than one thing
        (
            "two factors",
            TWO_FACTORS,
            60,
            0.65983934011239,
            0.232958065250747,
            0.599412398393889,
            OMEGA_MULTIDIMENSIONAL,
            (3, 4, 5),
        ),
        # pins(rev)
        (
            "one reversed item",
            ONE_REVERSED,
            40,
            0.48726274845066,
            0.0379972137736423,
            0.183303680119861,
            OMEGA_REVERSED,
            (2,),
        ),
    ],
)
def test_omega_as_keyed_fit_and_pairwise_alpha_match_psych(
    label, x, n_complete, omega_tot, rms, alpha_pairwise, withheld, reversed
):
    r = reliability(x)
    assert r.n_complete == n_complete
    assert r.omega_estimate == pytest.approx(omega_tot, abs=OMEGA_TOL)
    assert r.omega_rmsr == pytest.approx(rms, abs=OMEGA_TOL)
    assert r.alpha_pairwise == pytest.approx(alpha_pairwise, rel=REL)
    assert (r.omega_withheld, r.reversed_items) == (withheld, reversed)
    assert r.omega_total == (None if withheld else r.omega_estimate)
    loadings = np.array([i.loading for i in r.items])
    assert loadings.sum() > 0
    assert tuple(np.flatnonzero(loadings < 0)) == reversed


def test_withheld_omega_says_why_in_plain_words():
    r = reliability(ONE_REVERSED)
    assert (
        "omega_total: withheld: item(s) in column(s) 2 load negatively on what the other items "
        "measure; they seem reversed: check their keying"
    ) in r.notes
    r = reliability(TWO_FACTORS)
    assert any(
        n.startswith("omega_total: withheld: these items measure more than one thing")
        for n in r.notes
    )
    assert r.omega_rmsr_unbiased > RMSR_POOR


def test_pairwise_alpha_uses_every_answer_and_equals_alpha_without_missing_answers():
    r = reliability(ATTITUDE)
    assert r.alpha_pairwise == pytest.approx(r.alpha, rel=REL)
    x = bfi_scale("C")
    r = reliability(x)
    complete = reliability(x[~np.isnan(x).any(axis=1)])
    assert complete.alpha == pytest.approx(r.alpha, rel=REL)  # listwise: the same rows
    assert r.alpha_pairwise != pytest.approx(r.alpha, abs=1e-6)


def anti_correlated(seed: int, noise: float, one_answer: bool) -> np.ndarray:
    """Four items, the second and fourth the mirror image (6 − x) of the first and third,
    which give the same answer when ``one_answer``: a domain whose items cancel each other
    in the total. A share ``noise`` of the answers is replaced by random ones."""
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 6, (60, 1)).astype(float)
    b = a if one_answer else rng.integers(1, 6, (60, 1)).astype(float)
    x = np.hstack([a, 6 - a, b, 6 - b])
    replace = rng.random(x.shape) < noise
    return np.where(replace, rng.integers(1, 6, x.shape), x)


def test_items_that_cancel_each_other_give_a_very_negative_alpha_and_no_omega():
    # the "alpha = -18.8 shows omega = 0.98": omega is withheld as reversed
    r = reliability(anti_correlated(3, 0.05, one_answer=True))
    assert r.alpha < -5
    assert r.omega_withheld == OMEGA_REVERSED and r.omega_total is None
    assert len(r.reversed_items) == 2


def test_a_total_that_never_varies_has_no_omega_at_all():
    # the "a scale whose total never varies shows omega = 0.9997"
    x = anti_correlated(4, 0.0, one_answer=False)
    assert np.ptp(x.sum(axis=1)) == 0
    r = reliability(x)
    assert (r.alpha, r.omega_total, r.omega_estimate) == (None, None, None)
    assert (
        "omega_total: undefined: the total score does not vary among the complete responses"
        in r.notes
    )


def test_omega_of_a_reversed_item_is_lower_than_keyed():
    keyed = reliability(bfi_scale("A")).omega_estimate
    as_answered = reliability(bfi_scale("A", keyed=False)).omega_estimate
    assert as_answered < keyed


def six_items_one_factor(rng: np.random.Generator, n: int) -> np.ndarray:
    lam = np.tile([0.5, 0.6, 0.7], 2)
    latent = rng.standard_normal((n, 1)) * lam + rng.standard_normal((n, 6)) * np.sqrt(1 - lam**2)
    return 1.0 + np.searchsorted([-1.5, -0.5, 0.5, 1.5], latent).astype(float)


def test_the_test_of_one_factor_fit_rejects_at_its_level_when_one_factor_holds():
    # 300 one-factor data sets of 100 respondents: about 5 % with p < .05 (binomial standard
    # error 1.3 %)
    rng = np.random.default_rng(20261204)
    p = np.array([reliability(six_items_one_factor(rng, 100)).omega_fit_p for _ in range(300)])
    assert 0.02 <= np.mean(p < 0.05) <= 0.09
    assert 0.4 <= np.mean(p) <= 0.6  # uniform under the null


def test_the_fit_test_rejects_two_factors_and_has_nothing_to_test_with_three_items():
    assert reliability(TWO_FACTORS).omega_fit_p < 1e-6
    assert reliability(ONE_REVERSED).omega_fit_p > 0.05
    # three items: a one-factor model has no degrees of freedom left to test
    assert reliability(ATTITUDE[:, [0, 1, 3]]).omega_fit_p == 1.0


def test_a_large_corrected_rmsr_that_chance_explains_does_not_withhold_omega():
    # among small one-factor samples, some show a corrected RMSR above .08 that the test of
    # fit attributes to chance: omega stays shown for them
    rng = np.random.default_rng(7)
    results = [reliability(six_items_one_factor(rng, 30)) for _ in range(120)]
    chance = [r for r in results if r.omega_rmsr_unbiased > RMSR_POOR and r.omega_fit_p >= 0.05]
    assert chance
    assert all(r.omega_withheld != OMEGA_MULTIDIMENSIONAL for r in chance)
    withheld = np.mean([r.omega_withheld == OMEGA_MULTIDIMENSIONAL for r in results])
    assert withheld <= 0.06
