"""The words of reports (figures and exports) in English and Spanish, and how numbers are written.

Instrument text (titles, domains, items) comes from the instrument through the report; this
module holds only the words around it. Every key exists in every language (a test checks it):
a missing translation is a failure, never a silent fallback. Reports must not import ``ui/``,
so these words live here rather than in ``ui/i18n.py``.

Numbers are written with the language's decimal mark (``3.6`` in English, ``3,6`` in
Spanish) and rounded only here, where they are shown.
"""

from __future__ import annotations

import math
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reports.builder import ChangeResult

LANGUAGES = ("en", "es")

# key -> text per language; placeholders use str.format.
WORDS: dict[str, dict[str, str]] = {
    # -- generic ---------------------------------------------------------------------------
    "withheld": {"en": "withheld", "es": "no se muestra"},
    "withheld_k": {"en": "withheld (< {k})", "es": "no se muestra (< {k})"},
    "no_data": {"en": "no data", "es": "sin datos"},
    # why a number is not shown (scoring.disclosure reason codes), in full and in a table cell
    "reason.below_k": {"en": "fewer than {k} answered", "es": "respondieron menos de {k}"},
    "reason.protects_smaller": {
        "en": "withheld to protect a smaller group",
        "es": "no se muestra para proteger a un grupo menor",
    },
    "reason.no_data": {"en": "no data", "es": "sin datos"},
    "reason.short.below_k": {"en": "< {k} answered", "es": "< {k} respuestas"},
    "reason.short.protects_smaller": {
        "en": "protects a smaller group", "es": "protege a un grupo menor",
    },
    "reason.short.no_data": {"en": "no data", "es": "sin datos"},
    "reason.withheld": {"en": "withheld: {reason}", "es": "no se muestra: {reason}"},
    "reason.legend": {
        "en": "“< {k} answered” = fewer than {k} answered; “protects a smaller group” = "
        "withheld to protect a smaller group (it rests on {k} or more, but showing it would "
        "let a smaller group be worked out by subtraction); “no data” = nobody answered.",
        "es": "«< {k} respuestas» = respondieron menos de {k}; «protege a un grupo menor» = no "
        "se muestra para proteger a un grupo menor (reúne {k} o más, pero mostrarlo permitiría "
        "deducir un grupo menor restando); «sin datos» = nadie respondió.",
    },
    "dash": {"en": "—", "es": "—"},
    "none": {"en": "none", "es": "ninguno"},
    "yes": {"en": "yes", "es": "sí"},
    "no": {"en": "no", "es": "no"},
    "and": {"en": "and", "es": "y"},
    "of": {"en": "of", "es": "de"},
    "n_of_m": {"en": "{n} of {m}", "es": "{n} de {m}"},
    "html.contents": {"en": "Contents", "es": "Contenido"},
    "page_of": {"en": "Page {page} of {pages}", "es": "Página {page} de {pages}"},
    "page": {"en": "Page {page}", "es": "Página {page}"},
    "scale_1_5": {"en": "mean score (1–5)", "es": "puntuación media (1–5)"},
    "closing_question": {"en": "Closing question", "es": "Pregunta final"},
    "agency": {"en": "whole agency", "es": "toda la agencia"},
    # -- verdicts and statuses -------------------------------------------------------------
    "verdict.improved": {"en": "improved", "es": "mejoró"},
    "verdict.declined": {"en": "declined", "es": "empeoró"},
    "verdict.no clear change": {"en": "no clear change", "es": "sin cambio claro"},
    "verdict.withheld": {"en": "withheld", "es": "no se muestra"},
    # -- change: the four verdicts of scoring.change and what each can say ----------------
    # ("no clear change" above is the legacy verdict of reports frozen before these four)
    "verdict.stable": {"en": "stable", "es": "estable"},
    "verdict.too few to tell": {
        "en": "too few to tell", "es": "muy pocas respuestas para saberlo",
    },
    "reason.changed_units": {
        "en": "the units covered changed and comparing only the common units would expose a "
        "small group",
        "es": "las unidades incluidas cambiaron y comparar solo las unidades comunes expondría "
        "a un grupo pequeño",
    },
    "reason.short.changed_units": {
        "en": "units changed", "es": "cambiaron las unidades",
    },
    "change.why.stable": {
        "en": "the change is smaller than half a standard deviation (about {points} points "
        "here)",
        "es": "el cambio es menor que media desviación estándar (unos {points} puntos aquí)",
    },
    "change.why.too few to tell": {
        "en": "with {n_before} and {n_after} responses only a change of about {mde} points or "
        "more could be detected",
        "es": "con {n_before} y {n_after} respuestas solo se podría detectar un cambio de unos "
        "{mde} puntos o más",
    },
    "change.why.no clear change": {
        "en": "this report was computed before tisa told a stable score apart from too few "
        "responses to tell",
        "es": "este informe se calculó antes de que tisa distinguiera una puntuación estable de "
        "muy pocas respuestas para saberlo",
    },
    "change.why.improved": {
        "en": "the rise is clear (adjusted p < .05) and at least small (g ≥ 0.2)",
        "es": "la subida es clara (p ajustado < 0,05) y al menos pequeña (g ≥ 0,2)",
    },
    "change.why.declined": {
        "en": "the fall is clear (adjusted p < .05) and at least small (g ≤ −0.2)",
        "es": "la bajada es clara (p ajustado < 0,05) y al menos pequeña (g ≤ −0,2)",
    },
    "change.mde": {
        "en": "about {points} points (g {g})", "es": "unos {points} puntos (g {g})",
    },
    "change.units": {
        "en": "Compared on the {n} units present in both rounds: {units}. The units covered "
        "differ between the rounds, so the change is never computed on totals of different "
        "units.",
        "es": "Comparado en las {n} unidades presentes en ambas rondas: {units}. Las unidades "
        "incluidas difieren entre las rondas, así que el cambio nunca se calcula sobre totales "
        "de unidades distintas.",
    },
    "change.independent": {
        "en": "Responses are anonymous, so the two rounds are compared as independent groups. "
        "When many of the same people answer both rounds, this comparison is conservative: it "
        "may miss a real change, but it does not invent one.",
        "es": "Las respuestas son anónimas, así que las dos rondas se comparan como grupos "
        "independientes. Cuando muchas de las mismas personas responden en ambas rondas, esta "
        "comparación es conservadora: puede pasar por alto un cambio real, pero no inventa "
        "ninguno.",
    },
    "change.verdicts": {
        "en": "▲ improved and ▼ declined: the change is clear (Welch's test adjusted across "
        "domains, p < .05) and at least small (|Hedges' g| ≥ 0.2). ◆ stable: the 95% interval "
        "of g lies within ± 0.5, half a standard deviation, the smallest change that usually "
        "matters (Norman, Sloan & Wyrwich 2003). ○ too few to tell: neither, because with the "
        "responses at hand only a larger change could have been detected (the smallest "
        "detectable change is given with 80% power).",
        "es": "▲ mejoró y ▼ empeoró: el cambio es claro (prueba de Welch ajustada entre "
        "dominios, p < 0,05) y al menos pequeño (|g de Hedges| ≥ 0,2). ◆ estable: el intervalo "
        "del 95 % de g queda dentro de ± 0,5, media desviación estándar, el menor cambio que "
        "suele importar (Norman, Sloan y Wyrwich 2003). ○ muy pocas respuestas para saberlo: "
        "ninguno de los dos, porque con las respuestas disponibles solo se habría detectado un "
        "cambio mayor (el menor cambio detectable se da con una potencia del 80 %).",
    },
    "change.legacy": {
        "en": "● no clear change: a verdict of reports computed before tisa told “stable” apart "
        "from “too few to tell”.",
        "es": "● sin cambio claro: un veredicto de informes calculados antes de que tisa "
        "distinguiera «estable» de «muy pocas respuestas para saberlo».",
    },
    "trend.other_units": {
        "en": "{rounds} covered other units of this group than this round: those means are of "
        "the units of that round, so the trend there mixes who was asked with change; the "
        "change since the previous round is computed on the units present in both.",
        "es": "{rounds} incluyó otras unidades de este grupo que esta ronda: esas medias son de "
        "las unidades de esa ronda, así que ahí la evolución mezcla a quién se preguntó con el "
        "cambio; el cambio desde la ronda anterior se calcula en las unidades presentes en "
        "ambas.",
    },
    "col.mde": {"en": "Smallest detectable", "es": "Menor detectable"},
    "col.reading": {"en": "What it means", "es": "Qué significa"},
    "xl.g_ci_low": {"en": "g 95% CI low", "es": "g IC 95 % inferior"},
    "xl.g_ci_high": {"en": "g 95% CI high", "es": "g IC 95 % superior"},
    "xl.mde_points": {
        "en": "Smallest detectable change (points)", "es": "Menor cambio detectable (puntos)",
    },
    "xl.mde_g": {"en": "Smallest detectable change (g)", "es": "Menor cambio detectable (g)"},
    "xl.mid_points": {
        "en": "Half a standard deviation (points)", "es": "Media desviación estándar (puntos)",
    },
    "xl.units_compared": {
        "en": "Units compared (present in both rounds)",
        "es": "Unidades comparadas (presentes en ambas rondas)",
    },
    "xl.reading": {"en": "What it means", "es": "Qué significa"},
    "status.shown": {"en": "shown", "es": "se muestra"},
    "status.withheld": {"en": "withheld", "es": "no se muestra"},
    "status.no data": {"en": "no data", "es": "sin datos"},
    # -- roles -----------------------------------------------------------------------------
    "role.frontline": {"en": "Frontline practice", "es": "Atención directa"},
    "role.supervisor": {"en": "Supervisor", "es": "Supervisión"},
    "role.manager": {"en": "Manager or leadership", "es": "Gerencia o dirección"},
    "role.support": {"en": "Administrative or support", "es": "Administración o apoyo"},
    "role.other": {"en": "Other", "es": "Otro puesto"},
    "role.prefer not to say": {"en": "Prefer not to say", "es": "Prefiero no decirlo"},
    "role.not shown": {"en": "not shown", "es": "no se muestra"},
    # -- months (for round dates on charts) ------------------------------------------------
    "months": {
        "en": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
        "es": "ene feb mar abr may jun jul ago sep oct nov dic",
    },
    # -- figures ---------------------------------------------------------------------------
    "fig.withheld_scope": {
        "en": "Results for {scope} are withheld: {reason}.",
        "es": "Los resultados de {scope} no se muestran: {reason}.",
    },
    "fig.no_data_scope": {
        "en": "There are no responses for {scope} in this round.",
        "es": "No hay respuestas de {scope} en esta ronda.",
    },
    "fig.domains.title": {
        "en": "Domain scores, {scope}", "es": "Puntuaciones por dominio, {scope}",
    },
    "fig.domains.xlabel": {
        "en": "mean score (1 = lowest, 5 = highest), line = 95% confidence interval",
        "es": "puntuación media (1 = mínima, 5 = máxima), línea = intervalo de confianza del 95 %",
    },
    "fig.domains.label": {"en": "{mean} · {fav} favorable", "es": "{mean} · {fav} favorable"},
    "fig.domains.alt": {
        "en": "Horizontal bar chart of the mean score of {n} domains for {scope}, "
        "{round}, on a scale of 1 to 5 with 95% confidence intervals. {details}",
        "es": "Gráfico de barras horizontales con la puntuación media de {n} dominios para "
        "{scope}, {round}, en una escala de 1 a 5 con intervalos de confianza del 95 %. "
        "{details}",
    },
    "fig.domains.alt_item": {
        "en": "{domain}: mean {mean} (95% CI {low} to {high}), {fav} favorable",
        "es": "{domain}: media {mean} (IC 95 % de {low} a {high}), {fav} favorable",
    },
    "fig.domains.alt_item_no_ci": {
        "en": "{domain}: mean {mean}, {fav} favorable",
        "es": "{domain}: media {mean}, {fav} favorable",
    },
    "fig.domains.alt_unscored": {"en": "{domain}: not scored", "es": "{domain}: sin puntuación"},
    "fig.change.title": {
        "en": "Change since {previous}", "es": "Cambio desde {previous}",
    },
    "fig.change.xlabel": {
        "en": "difference of means (this round − previous), line = 95% confidence interval",
        "es": "diferencia de medias (esta ronda − anterior), línea = intervalo de confianza "
        "del 95 %",
    },
    "fig.change.items": {
        "en": "comparable on {n} of {m} items", "es": "comparable en {n} de {m} ítems",
    },
    "fig.change.none": {
        "en": "No change can be shown: {why}.", "es": "No se puede mostrar el cambio: {why}.",
    },
    "fig.change.no_previous": {
        "en": "there is no earlier round to compare with",
        "es": "no hay una ronda anterior con la que comparar",
    },
    "fig.change.no_previous_group": {
        "en": "the group was withheld or absent in the previous round",
        "es": "el grupo no se mostró o no existía en la ronda anterior",
    },
    "fig.change.alt": {
        "en": "Chart of the change of {n} domain means for {scope} since {previous}, with 95% "
        "confidence intervals and a shaded band of ± half a standard deviation: {counts}. "
        "{details}",
        "es": "Gráfico del cambio de la media de {n} dominios para {scope} desde "
        "{previous}, con intervalos de confianza del 95 % y una franja sombreada de ± media "
        "desviación estándar: {counts}. {details}",
    },
    "fig.change.alt_count": {"en": "{n} {verdict}", "es": "{verdict}: {n}"},
    "fig.change.alt_item": {
        "en": "{domain}: {verdict}, {why}; {diff} (95% CI {low} to {high}), smallest "
        "detectable change {mde}, comparable on {n} of {m} items",
        "es": "{domain}: {verdict}, {why}; {diff} (IC 95 % de {low} a {high}), menor cambio "
        "detectable {mde}, comparable en {n} de {m} ítems",
    },
    "fig.change.legend": {
        "en": "▲ improved   ▼ declined   ◆ stable   ○ too few to tell   band = ± half a "
        "standard deviation",
        "es": "▲ mejoró   ▼ empeoró   ◆ estable   ○ muy pocas respuestas para saberlo   "
        "franja = ± media desviación estándar",
    },
    "fig.change.legend_legacy": {
        "en": "● no clear change (a report computed before the four verdicts)",
        "es": "● sin cambio claro (un informe calculado antes de los cuatro veredictos)",
    },
    "fig.change.units": {
        "en": "on the {n} units present in both rounds",
        "es": "en las {n} unidades presentes en ambas rondas",
    },
    "fig.trend.title": {
        "en": "Domain means over the rounds, {scope}",
        "es": "Medias por dominio a lo largo de las rondas, {scope}",
    },
    "fig.trend.alt": {
        "en": "Small line charts, one per domain, of the mean score (1 to 5) of {scope} in "
        "{n} rounds ({rounds}), on comparable items. {details}",
        "es": "Pequeños gráficos de líneas, uno por dominio, de la puntuación media (1 a 5) "
        "de {scope} en {n} rondas ({rounds}), en ítems comparables. {details}",
    },
    "fig.trend.alt_item": {"en": "{domain}: {values}", "es": "{domain}: {values}"},
    "fig.trend.gap": {
        "en": "a missing point is a round where the group was withheld or had no data",
        "es": "un punto que falta es una ronda en la que el grupo no se mostró o no tenía datos",
    },
    "fig.heatmap.title": {
        "en": "Domain means by unit, {scope}", "es": "Medias por dominio y unidad, {scope}",
    },
    "fig.heatmap.legend": {
        "en": "Hatched = withheld (fewer than {k} responses, or to protect a smaller group); "
        "— = no responses. Darker = lower mean.",
        "es": "Rayado = no se muestra (menos de {k} respuestas, o para proteger a un grupo "
        "menor); — = sin respuestas. Más oscuro = media más baja.",
    },
    "fig.heatmap.marks": {
        "en": "In a cell of a shown unit: <k = fewer than {k} answered; P = withheld to protect "
        "a smaller group.",
        "es": "En una celda de una unidad que se muestra: <k = respondieron menos de {k}; P = no "
        "se muestra para proteger a un grupo menor.",
    },
    "fig.heatmap.alt": {
        "en": "Heat map of domain means (1 to 5) for {n} units of {scope}, with the mean "
        "written in each cell. {shown} units shown, {withheld} withheld, {empty} without "
        "responses. {details}",
        "es": "Mapa de calor de las medias por dominio (1 a 5) de {n} unidades de {scope}, "
        "con la media escrita en cada celda (se muestran: {shown}; no se muestran: {withheld}; "
        "sin respuestas: {empty}). {details}",
    },
    "fig.heatmap.alt_shown": {
        "en": "{unit} ({n} responses): lowest {low_domain} {low}, highest {high_domain} {high}",
        "es": "{unit} ({n} respuestas): más baja {low_domain} {low}, más alta {high_domain} "
        "{high}",
    },
    "fig.heatmap.alt_withheld": {"en": "{unit}: {reason}", "es": "{unit}: {reason}"},
    "fig.heatmap.alt_cells": {
        "en": "{unit}, not shown: {cells}", "es": "{unit}, no se muestra: {cells}",
    },
    "fig.withheld_item": {"en": "{what}: {reason}", "es": "{what}: {reason}"},
    "fig.heatmap.alt_empty": {"en": "{unit}: no responses", "es": "{unit}: sin respuestas"},
    "fig.items.title": {"en": "Answers per item: {domain}", "es": "Respuestas por ítem: {domain}"},
    "fig.items.xlabel": {
        "en": "% of answers (left of 0: less favorable, right: more favorable)",
        "es": "% de respuestas (a la izquierda de 0: menos favorable; a la derecha: más favorable)",
    },
    "fig.items.na": {"en": "% n/a", "es": "% n/a"},
    "fig.items.reverse": {"en": "(reverse-worded)", "es": "(redacción inversa)"},
    "fig.items.legend_low": {"en": "least favorable", "es": "menos favorable"},
    "fig.items.legend_high": {"en": "most favorable", "es": "más favorable"},
    "fig.items.legend_mid": {"en": "middle", "es": "punto medio"},
    "fig.items.alt": {
        "en": "Diverging stacked bar chart of the answers to the {n} items of {domain} for "
        "{scope}: less favorable answers to the left, more favorable to the right; "
        "reverse-worded items are flipped so right is always favorable. {details}",
        "es": "Gráfico de barras apiladas divergentes de las respuestas a los {n} ítems de "
        "{domain} para {scope}: las respuestas menos favorables a la izquierda y las más "
        "favorables a la derecha; los ítems de redacción inversa se invierten para que la "
        "derecha sea siempre favorable. {details}",
    },
    "fig.items.alt_item": {
        "en": "{item}: {fav} favorable, {unfav} unfavorable, {na} not applicable ({n} answers)",
        "es": "{item}: {fav} favorable, {unfav} desfavorable, {na} no aplicable ({n} respuestas)",
    },
    "fig.items.unknown_domain": {
        "en": "The report has no domain {domain}.",
        "es": "El informe no tiene el dominio {domain}.",
    },
    "fig.roles.title": {
        "en": "Domain means by role, whole agency",
        "es": "Medias por dominio según el puesto, toda la agencia",
    },
    "fig.roles.hidden": {
        "en": "Not shown: {roles}",
        "es": "No se muestran: {roles}",
    },
    "fig.roles.none": {
        "en": "No role has enough responses to be shown (at least {k}).",
        "es": "Ningún puesto tiene suficientes respuestas para mostrarse (al menos {k}).",
    },
    "fig.roles.legend": {"en": "{role} (n = {n})", "es": "{role} (n = {n})"},
    "fig.roles.alt": {
        "en": "Dot chart of domain means (1 to 5) for the whole agency by role, one marker "
        "shape per role: {roles}. {hidden} {details}",
        "es": "Gráfico de puntos de las medias por dominio (1 a 5) de toda la agencia según "
        "el puesto, con una forma de marcador por puesto: {roles}. {hidden} {details}",
    },
    "fig.roles.alt_item": {"en": "{domain}: {values}", "es": "{domain}: {values}"},
    # -- the document ----------------------------------------------------------------------
    "doc.title": {"en": "Improvement report", "es": "Informe de mejora"},
    "cover.organization": {"en": "Organization", "es": "Organización"},
    "cover.scope": {"en": "Group reported on", "es": "Grupo del informe"},
    "cover.round": {"en": "Round", "es": "Ronda"},
    "cover.dates": {"en": "Dates", "es": "Fechas"},
    "cover.instrument": {"en": "Instrument (version)", "es": "Instrumento (versión)"},
    "cover.responses": {"en": "Responses", "es": "Respuestas"},
    "cover.responses_withheld": {
        "en": "withheld ({reason})", "es": "no se muestra ({reason})",
    },
    "cover.invited": {"en": "Staff invited", "es": "Personal invitado"},
    "cover.invited_hidden": {
        "en": "not shown (fewer than {k})", "es": "no se muestra (menos de {k})",
    },
    "cover.rate": {"en": "Response rate", "es": "Tasa de respuesta"},
    "cover.rate_hidden": {
        "en": "not shown (fewer than {k} invited)", "es": "no se muestra (menos de {k} invitados)",
    },
    "cover.threshold": {"en": "Minimum group size", "es": "Tamaño mínimo de grupo"},
    "cover.threshold_value": {"en": "{k} responses", "es": "{k} respuestas"},
    "cover.comment_threshold": {
        "en": "Minimum group size for comments", "es": "Tamaño mínimo de grupo para comentarios",
    },
    "cover.produced": {"en": "Report produced on", "es": "Informe elaborado el"},
    "cover.anonymity": {
        "en": "Answers are anonymous. No result is shown for a group of fewer than {k} "
        "responses, and further groups are withheld where a small group could otherwise be "
        "worked out by subtraction. The same cells are withheld in every page and every "
        "download of this report.",
        "es": "Las respuestas son anónimas. No se muestra ningún resultado de un grupo de menos "
        "de {k} respuestas, y se ocultan otros grupos cuando, por resta, se podría deducir "
        "un grupo pequeño. Las mismas celdas se ocultan en todas las páginas y descargas de "
        "este informe.",
    },
    "sec.summary": {"en": "Summary", "es": "Resumen"},
    "sum.withheld": {
        "en": "Results for {scope} are withheld: {reason}. This protects everyone who "
        "answered. Their answers are counted in the results of the larger group this unit "
        "belongs to.",
        "es": "Los resultados de {scope} no se muestran: {reason}. Así se protege a todas las "
        "personas que respondieron. Sus respuestas cuentan en los resultados del grupo mayor "
        "al que pertenece esta unidad.",
    },
    "sum.no_data": {
        "en": "No one from {scope} responded in this round.",
        "es": "Nadie de {scope} respondió en esta ronda.",
    },
    "sum.responses_rate": {
        "en": "{n} of {invited} invited staff responded ({rate}).",
        "es": "Respondieron {n} de las {invited} personas invitadas ({rate}).",
    },
    "sum.responses": {
        "en": "{n} staff responded. The response rate is shown only for groups of at least {k} "
        "invited.",
        "es": "Respondieron {n} personas. La tasa de respuesta solo se muestra para grupos de al "
        "menos {k} personas invitadas.",
    },
    "sum.domain": {"en": "{domain} ({mean}, {fav} favorable)",
                   "es": "{domain} ({mean}, {fav} favorable)"},
    "sum.domain_mean": {"en": "{domain} ({mean})", "es": "{domain} ({mean})"},
    "sum.change_withheld": {
        "en": "Change not shown for: {domains}.", "es": "Cambio no mostrado en: {domains}.",
    },
    "sum.withheld_domains": {
        "en": "Not shown: {domains}.", "es": "No se muestran: {domains}.",
    },
    "sum.strengths": {"en": "Strengths: {domains}.", "es": "Fortalezas: {domains}."},
    "sum.priorities": {"en": "Priorities: {domains}.", "es": "Prioridades: {domains}."},
    "sum.change": {
        "en": "Since {previous}: improved in {improved}; declined in {declined}; stable in "
        "{stable} domain(s); too few responses to tell in {too_few} domain(s).",
        "es": "Desde {previous}: mejoró en {improved}; empeoró en {declined}; estable en "
        "{stable} dominio(s); muy pocas respuestas para saberlo en {too_few} dominio(s).",
    },
    "sum.change_legacy": {
        "en": "No clear change in {n} domain(s) (a verdict of reports computed before tisa told "
        "stable apart from too few to tell).",
        "es": "Sin cambio claro en {n} dominio(s) (un veredicto de informes calculados antes de "
        "que tisa distinguiera estable de muy pocas respuestas para saberlo).",
    },
    "sum.no_change_group": {
        "en": "No change since {previous} can be shown: this group was withheld or absent then.",
        "es": "No se puede mostrar el cambio desde {previous}: entonces este grupo no se mostró "
        "o no existía.",
    },
    "sum.caution": {
        "en": "Read with caution (the items of these domains do not hang together well): "
        "{domains}.",
        "es": "Leer con cautela (los ítems de estos dominios no son bastante coherentes "
        "entre sí): {domains}.",
    },
    "sum.many_na": {
        "en": "Many staff answered “not applicable” to: {items}. A high share is itself a "
        "finding.",
        "es": "Muchas personas respondieron «no aplicable» a: {items}. Una proporción alta ya es "
        "un hallazgo.",
    },
    "sum.flagged": {
        "en": "{n} response(s) carry a data-quality flag (for example the same answer to every "
        "item); they are included in the results.",
        "es": "{n} respuesta(s) tienen una señal de calidad de datos (por ejemplo, la misma "
        "respuesta en todos los ítems); se incluyen en los resultados.",
    },
    "sec.domains": {"en": "Domain scores", "es": "Puntuaciones por dominio"},
    "sec.domains.intro": {
        "en": "Each domain score is a staff member's mean over the domain's items on a scale of "
        "1 to 5 (reverse-worded items turned around), averaged over staff. The line on each "
        "bar is the 95% confidence interval, held within the scale; “favorable” is the share "
        "of the answers of the staff who have a score that fall on the scale's two highest "
        "points.",
        "es": "La puntuación de cada dominio es la media de cada persona en los ítems del "
        "dominio, en una escala de 1 a 5 (con los ítems de redacción inversa invertidos), "
        "promediada entre el personal. La línea de cada barra es el intervalo de confianza "
        "del 95 %, dentro de la escala; «favorable» es la proporción de las respuestas de las "
        "personas con puntuación que caen en los dos puntos más altos de la escala.",
    },
    "sec.change": {"en": "Change since the previous round", "es": "Cambio desde la ronda anterior"},
    "sec.change.intro": {
        "en": "Responses are anonymous, so the two rounds are compared as independent groups; "
        "when many of the same people answer both rounds, this is conservative (a real change "
        "may be missed, none is invented). Each domain gets one of four verdicts: improved, "
        "declined, stable (the change is smaller than half a standard deviation), or too few "
        "to tell (with the responses at hand only a larger change could be detected). Only "
        "items that mean the same in both versions of the instrument are compared.",
        "es": "Las respuestas son anónimas, así que las dos rondas se comparan como grupos "
        "independientes; cuando muchas de las mismas personas responden en ambas rondas, esto "
        "es conservador (un cambio real puede pasar inadvertido, ninguno se inventa). Cada "
        "dominio recibe uno de cuatro veredictos: mejoró, empeoró, estable (el cambio es menor "
        "que media desviación estándar) o muy pocas respuestas para saberlo (con las respuestas "
        "disponibles solo se detectaría un cambio mayor). Solo se comparan los ítems que "
        "significan lo mismo en ambas versiones del instrumento.",
    },
    "sec.trend": {"en": "Trend over all rounds", "es": "Evolución en todas las rondas"},
    "sec.trend.intro": {
        "en": "Domain means in every round on the items comparable with this round's "
        "instrument; (3/5) means the mean uses 3 of the domain's 5 items.",
        "es": "Medias por dominio en cada ronda, en los ítems comparables con el instrumento "
        "de esta ronda; (3/5) significa que la media usa 3 de los 5 ítems del dominio.",
    },
    "sec.reliability": {"en": "Reliability and agreement", "es": "Fiabilidad y acuerdo"},
    "sec.reliability.intro": {
        "en": "Reliability says whether a domain's items hang together as one measure "
        "(Cronbach's alpha, with its 95% interval, and McDonald's omega of the score as "
        "scored); it is given from 30 complete responses on. Agreement says whether staff "
        "within a unit see things alike (rwg(j), in LeBreton & Senter's bands); the mean of a "
        "unit whose answers fall into two separate groups describes nobody. ICC(1) is the "
        "share of the differences between people that lies between units; ICC(2) says how "
        "reliably the unit means differ.",
        "es": "La fiabilidad indica si los ítems de un dominio forman una sola medida (alfa "
        "de Cronbach, con su intervalo del 95 %, y omega de McDonald de la puntuación tal como "
        "se calcula); se da a partir de 30 respuestas completas. El acuerdo indica si el "
        "personal de una unidad ve las cosas de forma parecida (rwg(j), en las bandas de "
        "LeBreton y Senter); la media de una unidad cuyas respuestas se reparten en dos grupos "
        "separados no describe a nadie. El ICC(1) es la parte de las diferencias entre personas "
        "que se debe a las unidades; el ICC(2), con qué fiabilidad difieren las medias de las "
        "unidades.",
    },
    "rel.good": {"en": "items hang together well", "es": "los ítems son muy coherentes"},
    "rel.acceptable": {"en": "acceptable", "es": "aceptable"},
    "rel.caution": {"en": "interpret with caution", "es": "interpretar con cautela"},
    "rel.unreliable": {"en": "unreliable", "es": "poco fiable"},
    "rel.weak_items": {
        "en": "Items that relate weakly to the rest of their domain (corrected item–total "
        "correlation below .30): {items}.",
        "es": "Ítems poco relacionados con el resto de su dominio (correlación ítem-total "
        "corregida inferior a 0,30): {items}.",
    },
    # -- display rules of reliability, agreement and means (reports.display) ---------------
    "disp.rel.needs": {
        "en": "reliability needs at least {min} complete responses; {n} here",
        "es": "la fiabilidad necesita al menos {min} respuestas completas; aquí hay {n}",
    },
    "disp.rel.needs_below_k": {
        "en": "reliability needs at least {min} complete responses; fewer than {k} here",
        "es": "la fiabilidad necesita al menos {min} respuestas completas; aquí hay menos de "
        "{k}",
    },
    "disp.rel.not_computed": {
        "en": "reliability could not be computed", "es": "no se pudo calcular la fiabilidad",
    },
    "disp.alpha.negative": {
        "en": "the items do not hang together: α below zero",
        "es": "los ítems no son coherentes entre sí: α por debajo de cero",
    },
    "disp.alpha.value_ci": {
        "en": "{alpha} (95% CI {ci}, {method})", "es": "{alpha} (IC 95 % {ci}, {method})",
    },
    "disp.ci.feldt": {"en": "Feldt", "es": "Feldt"},
    "disp.ci.bootstrap": {"en": "bootstrap", "es": "bootstrap"},
    "disp.omega.reversed_one": {
        "en": "item {items} seems reversed: check its keying",
        "es": "el ítem {items} parece invertido: revise su codificación",
    },
    "disp.omega.reversed_many": {
        "en": "items {items} seem reversed: check their keying",
        "es": "los ítems {items} parecen invertidos: revise su codificación",
    },
    "disp.omega.reversed_unnamed": {
        "en": "an item seems reversed: check the keying",
        "es": "un ítem parece invertido: revise la codificación",
    },
    "disp.omega.multidimensional": {
        "en": "these items measure more than one thing",
        "es": "estos ítems miden más de una cosa",
    },
    "disp.omega.rmsr": {
        "en": "(one-factor RMSR {rmsr})", "es": "(RMSR de un factor {rmsr})",
    },
    "disp.omega.rmsr_short": {"en": "one-factor RMSR {rmsr}", "es": "RMSR de un factor {rmsr}"},
    "disp.omega.ci": {"en": "95% CI {ci}, bootstrap", "es": "IC 95 % {ci}, bootstrap"},
    "disp.icc.none": {"en": "not computed", "es": "no calculado"},
    "disp.icc.icc1": {"en": "ICC(1) {icc1}", "es": "ICC(1) {icc1}"},
    "disp.icc.icc1_n0": {
        "en": "ICC(1) {icc1} with N/G = {size}, {icc1_n0} with n0 = {n0}",
        "es": "ICC(1) {icc1} con N/G = {size}, {icc1_n0} con n0 = {n0}",
    },
    "disp.icc.icc2": {"en": "ICC(2) {icc2}", "es": "ICC(2) {icc2}"},
    "disp.icc.not_reliable": {
        "en": "units do not differ reliably ({values})",
        "es": "las unidades no difieren de forma fiable ({values})",
    },
    "disp.icc.share": {
        "en": "{share} of differences lie between units ({values})",
        "es": "{share} de las diferencias se deben a las unidades ({values})",
    },
    "disp.band.lack": {"en": "lack of agreement", "es": "falta de acuerdo"},
    "disp.band.weak": {"en": "weak agreement", "es": "acuerdo débil"},
    "disp.band.moderate": {"en": "moderate agreement", "es": "acuerdo moderado"},
    "disp.band.strong": {"en": "strong agreement", "es": "acuerdo fuerte"},
    "disp.band.very strong": {"en": "very strong agreement", "es": "acuerdo muy fuerte"},
    "disp.agr.values": {"en": "rwg(j) {rwg}", "es": "rwg(j) {rwg}"},
    "disp.agr.values_skewed": {
        "en": "rwg(j) {rwg}; {skewed} under a slightly skewed null",
        "es": "rwg(j) {rwg}; {skewed} con una nula ligeramente asimétrica",
    },
    "disp.agr.weak": {
        "en": "Weak or lacking agreement in: {units}.",
        "es": "Acuerdo débil o inexistente en: {units}.",
    },
    "disp.agr.split": {
        "en": "Answers fall into two separate groups in: {units}.",
        "es": "Las respuestas se reparten en dos grupos separados en: {units}.",
    },
    "disp.agr.fine": {
        "en": "no shown unit with weak or lacking agreement",
        "es": "ninguna unidad mostrada con acuerdo débil o inexistente",
    },
    "disp.sum.agreement": {
        "en": "Agreement among staff is weak or lacking, or their answers fall into two "
        "separate groups, in these units (domains in brackets): {units}.",
        "es": "El acuerdo entre el personal es débil o inexistente, o sus respuestas se reparten "
        "en dos grupos separados, en estas unidades (dominios entre paréntesis): {units}.",
    },
    "disp.note.ci_clipped": {
        "en": "The 95% interval of the mean of {domains} reached beyond the scale; it is shown "
        "within the scale ({low} to {high}).",
        "es": "El intervalo del 95 % de la media de {domains} sobrepasaba la escala; se muestra "
        "dentro de la escala ({low} a {high}).",
    },
    "disp.fig.alt_item_no_fav": {
        "en": "{domain}: mean {mean} (95% CI {low} to {high}), % favorable not shown",
        "es": "{domain}: media {mean} (IC 95 % de {low} a {high}), % favorable no se muestra",
    },
    "disp.col.agreement_units": {
        "en": "Agreement per unit", "es": "Acuerdo por unidad",
    },
    "disp.tab.agreement_units": {
        "en": "Agreement within each unit shown (rwg(j), LeBreton & Senter's bands; the value "
        "under a slightly skewed null is a sensitivity check). Units with fewer than {k} "
        "complete responses are not listed.",
        "es": "Acuerdo dentro de cada unidad que se muestra (rwg(j), bandas de LeBreton y "
        "Senter; el valor con una nula ligeramente asimétrica es una comprobación de "
        "sensibilidad). No se listan las unidades con menos de {k} respuestas completas.",
    },
    "disp.col.band": {"en": "Agreement", "es": "Acuerdo"},
    "disp.col.rwg": {"en": "rwg(j)", "es": "rwg(j)"},
    "disp.col.rwg_skewed": {
        "en": "rwg(j), slightly skewed null", "es": "rwg(j), nula ligeramente asimétrica",
    },
    "disp.col.split": {"en": "Two separate groups", "es": "Dos grupos separados"},
    "xl.alpha_ci_method": {"en": "Alpha CI method", "es": "Método del IC de alfa"},
    "xl.omega_ci_low": {"en": "Omega 95% CI low", "es": "Omega IC 95 % inferior"},
    "xl.omega_ci_high": {"en": "Omega 95% CI high", "es": "Omega IC 95 % superior"},
    "xl.omega_rmsr": {"en": "One-factor RMSR", "es": "RMSR de un factor"},
    "xl.icc1_n0": {"en": "ICC(1) with n0", "es": "ICC(1) con n0"},
    "xl.icc_n0": {"en": "n0", "es": "n0"},
    "xl.icc_words": {"en": "Differences between units", "es": "Diferencias entre unidades"},
    "xl.about.agreement": {
        "en": "Agreement within each shown unit per domain: rwg(j), its band (LeBreton & Senter "
        "2008), rwg(j) under a slightly skewed null, and whether answers fall into two separate "
        "groups; units with fewer than {k} complete responses are not listed.",
        "es": "Acuerdo dentro de cada unidad que se muestra, por dominio: rwg(j), su banda "
        "(LeBreton y Senter 2008), rwg(j) con una nula ligeramente asimétrica y si las "
        "respuestas se reparten en dos grupos separados; no se listan las unidades con menos de "
        "{k} respuestas completas.",
    },
    "cb.alpha_ci_method": {
        "en": "How alpha's interval was computed: feldt (F distribution) or bootstrap (BCa).",
        "es": "Cómo se calculó el intervalo de alfa: feldt (distribución F) o bootstrap (BCa).",
    },
    "cb.omega_ci_low": {
        "en": "Lower bound of omega's 95% bootstrap (BCa) interval.",
        "es": "Límite inferior del intervalo bootstrap (BCa) del 95 % de omega.",
    },
    "cb.omega_ci_high": {
        "en": "Upper bound of omega's 95% bootstrap (BCa) interval.",
        "es": "Límite superior del intervalo bootstrap (BCa) del 95 % de omega.",
    },
    "cb.omega_rmsr": {
        "en": "Root mean square of the residual correlations of the one-factor solution behind "
        "omega; large values mean the items measure more than one thing.",
        "es": "Raíz de la media de los cuadrados de las correlaciones residuales de la solución "
        "de un factor en la que se basa omega; un valor alto indica que los ítems miden más de "
        "una cosa.",
    },
    "cb.icc1_n0": {
        "en": "ICC(1) with Bliese's n0 for units of unequal size in place of N/G (below 0 "
        "written as 0).",
        "es": "ICC(1) con el n0 de Bliese para unidades de distinto tamaño en lugar de N/G (por "
        "debajo de 0 se escribe 0).",
    },
    "cb.icc_n0": {
        "en": "n0 = (N − Σnⱼ²/N) / (G − 1), the group size for unequal units (Bliese 2000).",
        "es": "n0 = (N − Σnⱼ²/N) / (G − 1), el tamaño de grupo para unidades desiguales "
        "(Bliese 2000).",
    },
    "cb.icc_group_size": {
        "en": "N/G, the mean unit size used by ICC(1).",
        "es": "N/G, el tamaño medio de unidad que usa ICC(1).",
    },
    "cb.rwg_j": {
        "en": "Within-unit agreement rwg(j) (uniform null), per shown unit.",
        "es": "Acuerdo dentro de la unidad rwg(j) (nula uniforme), por unidad que se muestra.",
    },
    "cb.rwg_j_skewed": {
        "en": "rwg(j) under a slightly skewed null: a sensitivity value.",
        "es": "rwg(j) con una nula ligeramente asimétrica: un valor de sensibilidad.",
    },
    "cb.band": {
        "en": "LeBreton & Senter's (2008) band of rwg(j): lack (.00–.30), weak (.31–.50), "
        "moderate (.51–.70), strong (.71–.90), very strong (.91–1.00).",
        "es": "Banda de rwg(j) de LeBreton y Senter (2008): lack (falta, .00–.30), weak (débil, "
        ".31–.50), moderate (moderado, .51–.70), strong (fuerte, .71–.90), very strong (muy "
        "fuerte, .91–1.00).",
    },
    "cb.split": {
        "en": "1 when the unit's answers fall into two separate groups, else 0.",
        "es": "1 cuando las respuestas de la unidad se reparten en dos grupos separados; si no, 0.",
    },
    "cb.reason.too_few_complete": {
        "en": "Reliability needs at least 30 complete responses (and at least {k}); fewer here.",
        "es": "La fiabilidad necesita al menos 30 respuestas completas (y al menos {k}); aquí "
        "hay menos.",
    },
    "cb.reason.negative_alpha": {
        "en": "Alpha is below zero: the items do not hang together; no number and no interval "
        "are given.",
        "es": "Alfa es menor que cero: los ítems no son coherentes entre sí; no se da ni la "
        "cifra ni el intervalo.",
    },
    "cb.reason.omega_reversed": {
        "en": "Omega withheld: an item loads negatively (it seems reversed: check its keying).",
        "es": "Omega no se muestra: un ítem carga en negativo (parece invertido: revise su "
        "codificación).",
    },
    "cb.reason.omega_multidimensional": {
        "en": "Omega withheld: one factor does not fit (the items measure more than one thing).",
        "es": "Omega no se muestra: un solo factor no se ajusta (los ítems miden más de una "
        "cosa).",
    },
    "cb.reason.not_computed": {
        "en": "The statistic could not be computed from these answers.",
        "es": "La estadística no pudo calcularse con estas respuestas.",
    },
    "sec.units": {"en": "Units", "es": "Unidades"},
    "sec.units.intro": {
        "en": "Domain means of every unit (each unit includes the units below it). A unit "
        "marked “withheld” had fewer than {k} responses, or is withheld so that a smaller "
        "group cannot be worked out from the totals; “no data” means no responses.",
        "es": "Medias por dominio de cada unidad (cada unidad incluye las unidades que "
        "dependen de ella). Una unidad marcada «no se muestra» tuvo menos de {k} respuestas, "
        "o se oculta para que no pueda deducirse un grupo menor a partir de los totales; "
        "«sin datos» significa que no hubo respuestas.",
    },
    "sec.roles": {"en": "Roles", "es": "Puestos"},
    "sec.roles.intro": {
        "en": "Domain means by the role staff chose, for the whole agency only (a breakdown "
        "of units by role could single people out). Roles with fewer than {k} responses are "
        "withheld, with further roles where needed to protect them.",
        "es": "Medias por dominio según el puesto que eligió cada persona, solo para toda la "
        "agencia (un desglose de unidades por puesto podría identificar a personas). Los "
        "puestos con menos de {k} respuestas no se muestran, y otros tampoco cuando hace falta "
        "para protegerlos.",
    },
    "sec.items": {"en": "Item detail", "es": "Detalle por ítem"},
    "sec.items.intro": {
        "en": "How staff answered each item. The distribution counts answers to each point "
        "(1 / 2 / 3 / 4 / 5, as answered); “not applicable” answers are not counted there. An "
        "item where {high} or more answered “not applicable” is marked: that is a finding.",
        "es": "Cómo respondió el personal a cada ítem. La distribución cuenta las respuestas "
        "en cada punto (1 / 2 / 3 / 4 / 5, tal como se respondieron); las respuestas «no "
        "aplicable» no se cuentan ahí. Se marca el ítem en el que {high} o más respondieron "
        "«no aplicable»: eso ya es un hallazgo.",
    },
    "items.high_na": {"en": "(high)", "es": "(alto)"},
    "sec.comments": {"en": "Comments", "es": "Comentarios"},
    "sec.comments.intro": {
        "en": "Comments in staff's own words, from groups of at least {kc} people, shuffled and "
        "undated.",
        "es": "Comentarios del personal en sus propias palabras, de grupos de al menos {kc} "
        "personas, en orden aleatorio y sin fecha.",
    },
    "comments.none": {"en": "No comments to show.", "es": "No hay comentarios que mostrar."},
    "comments.withheld": {
        "en": "Some comments are not listed here: they came from a group of fewer than {k} "
        "people outside this report's group, or could not be grouped with at least {k}.",
        "es": "Algunos comentarios no aparecen aquí: provienen de un grupo de menos de {k} "
        "personas fuera del grupo de este informe, o no pudieron agruparse con al menos {k}.",
    },
    "sec.actions": {"en": "Actions", "es": "Acciones"},
    "actions.before": {
        "en": "Actions planned after {previous}", "es": "Acciones planificadas tras {previous}",
    },
    "actions.before.intro": {
        "en": "Each action is shown beside the change of its domain since then.",
        "es": "Cada acción aparece junto al cambio de su dominio desde entonces.",
    },
    "actions.now": {
        "en": "Actions planned after {round}", "es": "Acciones planificadas tras {round}",
    },
    "actions.none": {
        "en": "No actions have been planned yet.", "es": "Todavía no se han planificado acciones.",
    },
    "action.planned": {"en": "planned", "es": "planificada"},
    "action.in progress": {"en": "in progress", "es": "en curso"},
    "action.done": {"en": "done", "es": "hecha"},
    "action.dropped": {"en": "dropped", "es": "descartada"},
    "sec.methods": {"en": "Methods", "es": "Métodos"},
    "col.domain": {"en": "Domain", "es": "Dominio"},
    "col.n": {"en": "n", "es": "n"},
    "col.mean": {"en": "Mean", "es": "Media"},
    "col.ci": {"en": "95% CI", "es": "IC 95 %"},
    "col.sd": {"en": "SD", "es": "DE"},
    "col.favorable": {"en": "% favorable", "es": "% favorable"},
    "col.items": {"en": "Items compared", "es": "Ítems comparados"},
    "col.before": {"en": "Before", "es": "Antes"},
    "col.after": {"en": "Now", "es": "Ahora"},
    "col.diff": {"en": "Change", "es": "Cambio"},
    "col.g": {"en": "Hedges' g", "es": "g de Hedges"},
    "col.p_adj": {"en": "Adjusted p", "es": "p ajustado"},
    "col.verdict": {"en": "Verdict", "es": "Conclusión"},
    "col.n_complete": {"en": "Complete", "es": "Completas"},
    "col.alpha": {"en": "Alpha (95% CI)", "es": "Alfa (IC 95 %)"},
    "col.omega": {"en": "Omega", "es": "Omega"},
    "col.reliability": {"en": "Reliability", "es": "Fiabilidad"},
    "col.agreement": {"en": "Agreement within units", "es": "Acuerdo dentro de las unidades"},
    "col.icc": {"en": "Differences between units", "es": "Diferencias entre unidades"},
    "col.unit": {"en": "Unit", "es": "Unidad"},
    "col.role": {"en": "Role", "es": "Puesto"},
    "col.item": {"en": "Item", "es": "Ítem"},
    "col.text": {"en": "Text", "es": "Texto"},
    "col.na": {"en": "% not applicable", "es": "% no aplicable"},
    "col.distribution": {"en": "Answers 1 / 2 / 3 / 4 / 5", "es": "Respuestas 1 / 2 / 3 / 4 / 5"},
    "col.action": {"en": "Action", "es": "Acción"},
    "col.owner": {"en": "Owner", "es": "Responsable"},
    "col.due": {"en": "Due", "es": "Fecha límite"},
    "col.indicator": {"en": "Indicator", "es": "Indicador"},
    "col.status": {"en": "Status", "es": "Estado"},
    "col.change": {"en": "Domain change", "es": "Cambio del dominio"},
    "tab.domains": {"en": "Domain summary.", "es": "Resumen por dominio."},
    "tab.change": {
        "en": "Change since {previous}: means on comparable items only.",
        "es": "Cambio desde {previous}: medias solo en ítems comparables.",
    },
    "tab.trend": {"en": "Domain means per round.", "es": "Medias por dominio en cada ronda."},
    "tab.reliability": {
        "en": "Reliability and agreement in plain language.",
        "es": "Fiabilidad y acuerdo en lenguaje sencillo.",
    },
    "tab.units": {
        "en": "Domain means by unit; “withheld” = fewer than {k} responses or protecting a "
        "smaller group.",
        "es": "Medias por dominio y unidad; «no se muestra» = menos de {k} respuestas o "
        "protección de un grupo menor.",
    },
    "tab.roles": {
        "en": "Domain means by role, whole agency; “withheld” = fewer than {k} responses or "
        "protecting a smaller group.",
        "es": "Medias por dominio y puesto, toda la agencia; «no se muestra» = menos de {k} "
        "respuestas o protección de un grupo menor.",
    },
    "tab.items": {"en": "Items of {domain}.", "es": "Ítems de {domain}."},
    "tab.actions_before": {
        "en": "Actions and their domain's change.", "es": "Acciones y el cambio de su dominio.",
    },
    "tab.actions_now": {"en": "Actions planned now.", "es": "Acciones planificadas ahora."},
    # -- methods ---------------------------------------------------------------------------
    "methods.anonymity.title": {
        "en": "Anonymity and withheld results", "es": "Anonimato y resultados ocultos",
    },
    "methods.anonymity": {
        "en": "Access codes and submitted answers are stored with no link between them, and "
        "only the date of submission is kept. Any statistic over fewer than {k} responses (the "
        "round's minimum group size) is withheld. Complementary suppression: where units below "
        "a shown unit are withheld and together hold fewer than {k} responses, the next "
        "smallest of them is withheld too, until the withheld responses reach {k}, so that "
        "no withheld group can be found by subtracting shown groups from a shown total; roles "
        "are treated the same way. The decision is taken once per round on the whole unit "
        "tree, so every viewer and every export sees the same cells. Response rates are shown "
        "only for groups with at least {k} invited. Comments are shown only for groups of at "
        "least {kc} people, shuffled and undated.",
        "es": "Los códigos de acceso y las respuestas enviadas se guardan sin ningún vínculo "
        "entre ellos, y solo se conserva la fecha de envío. Se oculta toda estadística basada "
        "en menos de {k} respuestas (el tamaño mínimo de grupo de la ronda). Supresión "
        "complementaria: cuando las unidades que dependen de una unidad mostrada se ocultan y "
        "juntas suman menos de {k} respuestas, también se oculta la siguiente más pequeña, "
        "hasta que las respuestas ocultas lleguen a {k}, de modo que ningún grupo oculto pueda "
        "deducirse restando grupos mostrados de un total mostrado; los puestos se tratan igual. "
        "La decisión se toma una vez por ronda sobre todo el árbol de unidades, así que todas "
        "las personas y todas las descargas ven las mismas celdas. Las tasas de respuesta solo "
        "se muestran para grupos con al menos {k} personas invitadas. Los comentarios solo se "
        "muestran para grupos de al menos {kc} personas, en orden aleatorio y sin fecha.",
    },
    "methods.scores.title": {"en": "Scores", "es": "Puntuaciones"},
    "methods.scores": {
        "en": "Reverse-worded items are turned around: x′ = min + max − x. “Not applicable” is "
        "missing, never zero. A staff member's domain score is the mean of the domain's items "
        "they answered, when they answered at least the instrument's minimum share of them "
        "(all items when a domain has three or fewer). A group's mean comes with its standard "
        "deviation and a 95% confidence interval from the t distribution, mean ± t(0.975, "
        "n − 1) · SD / √n, held within the scale (a bound beyond 1 or 5 is shown as 1 or 5). "
        "“% favorable” is the share of answers in the scale's favorable points, pooled over "
        "the domain's items and over the staff who have a score (the same people as the "
        "mean); it is not given where the mean is not.",
        "es": "Los ítems de redacción inversa se invierten: x′ = mín + máx − x. «No aplicable» "
        "es un dato faltante, nunca un cero. La puntuación de una persona en un dominio es "
        "la media de los ítems que respondió, si respondió al menos la proporción mínima que "
        "fija el instrumento (todos los ítems si el dominio tiene tres o menos). La media de "
        "un grupo se acompaña de su desviación estándar y de un intervalo de confianza del "
        "95 % basado en la distribución t, media ± t(0,975; n − 1) · DE / √n, dentro de la "
        "escala (un límite por debajo de 1 o por encima de 5 se muestra como 1 o 5). El «% "
        "favorable» es la proporción de respuestas en los puntos favorables de la escala, "
        "sumando todos los ítems del dominio y solo las personas con puntuación (las mismas "
        "que la media); no se da donde no se da la media.",
    },
    "methods.reliability.title": {"en": "Reliability", "es": "Fiabilidad"},
    "methods.reliability": {
        "en": "Reliability is given only from 30 complete responses (the staff who answered "
        "every item of a domain), the usual floor for a stable alpha; below that the report "
        "says so and gives no number. Cronbach's alpha, α = k / (k − 1) · (1 − Σσ²ᵢ / σ²ₓ), with "
        "its 95% interval from Feldt's (1965) F distribution, or from a bias-corrected and "
        "accelerated (BCa) bootstrap where answers pile up at one end of the scale, which "
        "makes Feldt's interval too narrow; the method is named beside it. An alpha below "
        "zero is written in words (the items do not hang together), without a number. "
        "McDonald's omega total of the score as scored, ω = 1 − Σ(1 − λᵢ²) / ΣR, from a "
        "one-factor minimum-residual solution of the inter-item correlations R (as R psych's "
        "omega with flip = FALSE), with its BCa interval and the root mean square residual (RMSR) "
        "of that "
        "solution beside it. Omega is withheld with its reason when an item loads negatively "
        "(it seems reversed: check its keying) or when one factor does not fit (the items "
        "measure more than one thing). Reading: α ≥ .80 items hang together well; ≥ .70 "
        "acceptable; < .70 interpret with caution; < .60 unreliable. An item whose corrected "
        "item–total correlation is below .30 is named.",
        "es": "La fiabilidad solo se da a partir de 30 respuestas completas (las personas que "
        "respondieron todos los ítems de un dominio), el mínimo habitual para un alfa estable; "
        "por debajo, el informe lo dice y no da ninguna cifra. Alfa de Cronbach, α = k / (k − "
        "1) · (1 − Σσ²ᵢ / σ²ₓ), con su intervalo del 95 % según la distribución F de Feldt "
        "(1965), o según un bootstrap corregido y acelerado (BCa) cuando las respuestas se "
        "acumulan en un extremo de la escala, lo que hace demasiado estrecho el intervalo de "
        "Feldt; el método se indica al lado. Un alfa menor que cero se expresa con palabras "
        "(los ítems no son coherentes entre sí), sin cifra. Omega total de McDonald de la "
        "puntuación tal como se calcula, ω = 1 − Σ(1 − λᵢ²) / ΣR, a partir de una solución de un "
        "factor por mínimos residuos de las correlaciones entre ítems R (como omega de R psych "
        "con flip = FALSE), con su intervalo BCa y la raíz del residuo cuadrático medio (RMSR) "
        "de esa solución al lado. Omega no se muestra, y se dice por qué, cuando un ítem carga "
        "en negativo (parece invertido: revise su codificación) o cuando un solo factor no se "
        "ajusta (los ítems miden más de una cosa). Lectura: α ≥ 0,80 los ítems son muy "
        "coherentes; ≥ 0,70 aceptable; < 0,70 interpretar con cautela; < 0,60 poco fiable. Se "
        "señala el ítem cuya correlación ítem-total corregida es inferior a 0,30.",
    },
    "methods.agreement.title": {"en": "Agreement", "es": "Acuerdo"},
    "methods.agreement": {
        "en": "Within-unit agreement rwg(j) = J(1 − s̄²/σ²E) / (J(1 − s̄²/σ²E) + s̄²/σ²E) "
        "(James, Demaree & Wolf 1984) with the uniform null σ²E = (A² − 1)/12 and s̄² the "
        "mean within-unit item variance, set to 0 when s̄² exceeds σ²E, read in LeBreton & "
        "Senter's (2008) bands: .00–.30 lack of agreement, .31–.50 weak, .51–.70 moderate, "
        ".71–.90 strong, .91–1.00 very strong agreement. Units with weak or lacking agreement "
        "are named. As they recommend, rwg(j) is also given under a slightly skewed null "
        "distribution, as a sensitivity value. A unit is flagged when its staff's answers fall "
        "into two separate groups: cut in two where the cut explains most, each group holds at "
        "least a quarter of the unit, their means lie at least 1.75 points apart on a 1–5 scale "
        "and the cut explains most of the differences between its people (a rule that flags "
        "at most 5% of simulated single-peaked units). Per-unit values are given only for "
        "units with at least {k} complete responses. ICC(1) = (MSB − MSW) / (MSB + (k − 1)MSW) "
        "and ICC(2) = (MSB − MSW) / MSB from a one-way analysis of variance of staff's domain "
        "scores by "
        "unit (Bliese 2000), with k the mean unit size N/G; ICC(1) is also given with n0 = "
        "(N − Σnⱼ²/N) / (G − 1) for units of unequal size. Both are shares of variance and "
        "cannot be negative: an estimate below 0 is shown as 0, and ICC(2) at 0 reads “units "
        "do not differ reliably”.",
        "es": "Acuerdo dentro de la unidad rwg(j) = J(1 − s̄²/σ²E) / (J(1 − s̄²/σ²E) + "
        "s̄²/σ²E) (James, Demaree y Wolf 1984), con la distribución nula uniforme σ²E = (A² − "
        "1)/12 y s̄² la varianza media de los ítems dentro de la unidad, igual a 0 cuando s̄² "
        "supera σ²E, leído en las bandas de LeBreton y Senter (2008): .00–.30 falta de "
        "acuerdo, .31–.50 débil, .51–.70 moderado, .71–.90 fuerte, .91–1.00 muy fuerte. Se "
        "nombran las unidades con acuerdo débil o inexistente. Como ellos recomiendan, rwg(j) "
        "se da también con una distribución nula ligeramente asimétrica, como valor de "
        "sensibilidad. Se señala una unidad cuando las respuestas de su personal se reparten en "
        "dos grupos separados: partidas en dos donde el corte explica más, cada grupo reúne al "
        "menos una cuarta parte de la unidad, sus medias distan al menos 1,75 puntos en una "
        "escala de 1 a 5 y el corte explica la mayor parte de las diferencias entre sus "
        "personas (una regla que señala como máximo el 5 % de las unidades simuladas de un "
        "solo pico). Los valores por unidad solo se "
        "dan para unidades con al menos {k} respuestas completas. ICC(1) = (MSB − MSW) / (MSB "
        "+ (k − 1)MSW) e ICC(2) = (MSB − MSW) / MSB, a partir de un análisis de varianza de un "
        "factor de las puntuaciones por unidad (Bliese 2000), con k el tamaño medio de unidad "
        "N/G; ICC(1) se da también con n0 = (N − Σnⱼ²/N) / (G − 1) para unidades de distinto "
        "tamaño. Ambos son proporciones de varianza y no pueden ser negativos: una estimación "
        "menor que 0 se muestra como 0, e ICC(2) en 0 se lee «las unidades no difieren de "
        "forma fiable».",
    },
    "methods.change.title": {"en": "Change between rounds", "es": "Cambio entre rondas"},
    "methods.change": {
        "en": "Rounds are compared as independent groups (answers are anonymous, so nobody's "
        "answers can be paired across rounds); when many of the same people answer both "
        "rounds the test is conservative, as it ignores their correlation. The change is the "
        "difference of means (this round − the previous one) with Welch's 95% interval and "
        "Welch's t test; Hedges' g = J · d with d on the pooled SD and J = 1 − 3 / (4(n₁ + n₂) "
        "− 9), with the 95% interval g ± 1.96 · √((n₁ + n₂)/(n₁n₂) + g²/(2(n₁ + n₂))); p values "
        "are adjusted across the domains of one comparison by Benjamini and Hochberg (1995). "
        "“Improved” or “declined” when the adjusted p < .05 and |g| ≥ 0.2; otherwise "
        "“stable” when the interval of g lies within ± 0.5 (half a standard deviation, the "
        "minimal important difference of Norman, Sloan & Wyrwich 2003), else “too few to "
        "tell”. The smallest detectable change is the g a two-sided test at .05 would detect "
        "with 80% power for the two group sizes, also given in points (g × pooled SD). When "
        "the units covered differ between the rounds, the change is computed on the units "
        "present in both, named in the report, and withheld when what is left out is not "
        "itself a group of shown units of at least {k} people. Only items comparable between "
        "the two instrument versions (unchanged or reworded, by the instrument's item lineage) "
        "enter the comparison, and the report says on how many of a domain's items it rests.",
        "es": "Las rondas se comparan como grupos independientes (las respuestas son anónimas, "
        "así que no se pueden emparejar entre rondas); cuando muchas de las mismas personas "
        "responden en ambas rondas la prueba es conservadora, porque no tiene en cuenta esa "
        "correlación. El cambio es la diferencia de medias (esta ronda − la anterior) con el "
        "intervalo del 95 % y la prueba t de Welch; g de Hedges = J · d, con d sobre la DE "
        "combinada y J = 1 − 3 / (4(n₁ + n₂) − 9), con el intervalo del 95 % g ± 1,96 · "
        "√((n₁ + n₂)/(n₁n₂) + g²/(2(n₁ + n₂))); los valores p se ajustan entre los dominios de "
        "una comparación con el método de Benjamini y Hochberg (1995). «Mejoró» o «empeoró» "
        "cuando el p ajustado < 0,05 y |g| ≥ 0,2; si no, «estable» cuando el intervalo de g "
        "queda dentro de ± 0,5 (media desviación estándar, la diferencia mínima importante de "
        "Norman, Sloan y Wyrwich 2003), y si tampoco, «muy pocas respuestas para saberlo». El "
        "menor cambio detectable es la g que una prueba bilateral al 0,05 detectaría con una "
        "potencia del 80 % para los dos tamaños de grupo, también en puntos (g × DE "
        "combinada). Cuando las unidades incluidas difieren entre las rondas, el cambio se "
        "calcula en las unidades presentes en ambas, que el informe nombra, y no se muestra "
        "cuando lo que queda fuera no es a su vez un grupo de unidades mostradas de al menos "
        "{k} personas. Solo entran en la comparación los ítems comparables entre las dos "
        "versiones del instrumento (sin cambios o con nueva redacción, según su linaje), y el "
        "informe indica en cuántos ítems del dominio se basa.",
    },
    "methods.quality.title": {"en": "Data quality", "es": "Calidad de los datos"},
    "methods.quality": {
        "en": "Responses are flagged, never silently deleted: the same answer throughout "
        "(long strings), no variation over ten or more items, or less than 2 seconds per "
        "answered item. Flagged responses are included in this report unless it says "
        "otherwise.",
        "es": "Las respuestas se señalan, nunca se eliminan sin aviso: la misma respuesta en "
        "todo (cadenas largas), ninguna variación en diez o más ítems, o menos de 2 segundos "
        "por ítem respondido. Las respuestas señaladas se incluyen en este informe salvo que "
        "se indique lo contrario.",
    },
    "methods.sources.title": {"en": "Sources", "es": "Fuentes"},
    # -- spreadsheet and CSV ---------------------------------------------------------------
    "xl.field": {"en": "Field", "es": "Campo"},
    "xl.value": {"en": "Value", "es": "Valor"},
    "xl.scope_status": {"en": "Status of the group", "es": "Estado del grupo"},
    "xl.opens": {"en": "Opens on", "es": "Abre el"},
    "xl.closes": {"en": "Closes on", "es": "Cierra el"},
    "xl.rate_pct": {"en": "Response rate (%)", "es": "Tasa de respuesta (%)"},
    "xl.strengths": {"en": "Strengths", "es": "Fortalezas"},
    "xl.priorities": {"en": "Priorities", "es": "Prioridades"},
    "xl.previous": {"en": "Previous round", "es": "Ronda anterior"},
    "xl.flagged": {
        "en": "Responses with a data-quality flag", "es": "Respuestas con señal de calidad",
    },
    "xl.domain_id": {"en": "Domain id", "es": "Id de dominio"},
    "xl.ci_low": {"en": "95% CI low", "es": "IC 95 % inferior"},
    "xl.ci_high": {"en": "95% CI high", "es": "IC 95 % superior"},
    "xl.alpha": {"en": "Cronbach's alpha", "es": "Alfa de Cronbach"},
    "xl.alpha_ci_low": {"en": "Alpha 95% CI low", "es": "Alfa IC 95 % inferior"},
    "xl.alpha_ci_high": {"en": "Alpha 95% CI high", "es": "Alfa IC 95 % superior"},
    "xl.weak_items": {"en": "Weak items", "es": "Ítems débiles"},
    "xl.low_agreement": {
        "en": "Units with weak or lacking agreement",
        "es": "Unidades con acuerdo débil o inexistente",
    },
    "xl.split": {
        "en": "Units whose answers fall into two separate groups",
        "es": "Unidades cuyas respuestas se reparten en dos grupos separados",
    },
    "xl.items_compared": {"en": "Items compared", "es": "Ítems comparados"},
    "xl.items_total": {"en": "Items in the domain", "es": "Ítems del dominio"},
    "xl.n_before": {"en": "n before", "es": "n antes"},
    "xl.n_after": {"en": "n now", "es": "n ahora"},
    "xl.level": {"en": "Level", "es": "Nivel"},
    "xl.status": {"en": "Status", "es": "Estado"},
    "xl.scale": {"en": "Scale", "es": "Escala"},
    "xl.reverse": {"en": "Reverse-worded", "es": "Redacción inversa"},
    "xl.n_na": {"en": "n not applicable", "es": "n no aplicable"},
    "xl.count": {"en": "Answers of {point}", "es": "Respuestas de {point}"},
    "xl.blank": {"en": "(empty cell)", "es": "(celda vacía)"},
    "xl.about.summary": {
        "en": "The round, the group reported on, responses, response rate and thresholds.",
        "es": "La ronda, el grupo del informe, las respuestas, la tasa de respuesta y los "
        "umbrales.",
    },
    "xl.about.domains": {
        "en": "One row per domain: score, confidence interval, % favorable, reliability and "
        "agreement.",
        "es": "Una fila por dominio: puntuación, intervalo de confianza, % favorable, fiabilidad "
        "y acuerdo.",
    },
    "xl.about.change": {
        "en": "Change of each domain since the previous round, on comparable items only, with "
        "its verdict (improved, declined, stable, too few to tell) and the smallest detectable "
        "change. The rounds are compared as independent groups (answers are anonymous); when "
        "many of the same people answer both rounds this is conservative. When the units "
        "covered differ, only the units present in both rounds are compared (column “units "
        "compared”).",
        "es": "Cambio de cada dominio desde la ronda anterior, solo en ítems comparables, con "
        "su veredicto (mejoró, empeoró, estable, muy pocas respuestas para saberlo) y el menor "
        "cambio detectable. Las rondas se comparan como grupos independientes (las respuestas "
        "son anónimas); cuando muchas de las mismas personas responden en ambas rondas, esto "
        "es conservador. Cuando las unidades incluidas difieren, solo se comparan las "
        "unidades presentes en ambas rondas (columna «unidades comparadas»).",
    },
    "xl.about.trend": {
        "en": "Domain means in every round on items comparable with this round.",
        "es": "Medias por dominio en cada ronda, en ítems comparables con esta ronda.",
    },
    "xl.about.units": {
        "en": "The heat map: domain means of every unit (a unit includes the units below it). "
        "“withheld” = fewer than {k} responses, or withheld to protect a smaller group; never a "
        "number.",
        "es": "El mapa de calor: medias por dominio de cada unidad (una unidad incluye las que "
        "dependen de ella). «no se muestra» = menos de {k} respuestas, o se oculta para proteger "
        "a un grupo menor; nunca un número.",
    },
    "xl.about.roles": {
        "en": "Domain means by role for the whole agency, with the same rule.",
        "es": "Medias por dominio según el puesto, para toda la agencia, con la misma regla.",
    },
    "xl.about.items": {
        "en": "One row per item: answers, % not applicable, mean (reverse-worded items turned "
        "around), % favorable and the count of answers at each point as answered.",
        "es": "Una fila por ítem: respuestas, % no aplicable, media (con los ítems de redacción "
        "inversa invertidos), % favorable y el número de respuestas en cada punto tal como se "
        "respondieron.",
    },
    "cb.header.name": {"en": "name", "es": "nombre"},
    "cb.header.meaning": {"en": "meaning", "es": "significado"},
    "cb.section": {
        "en": "Part of the report: overview, domain, item, agreement (per unit), change, trend, "
        "unit or role.",
        "es": "Parte del informe: overview (general), domain (dominio), item (ítem), agreement "
        "(acuerdo por unidad), change (cambio), trend (evolución), unit (unidad) o role "
        "(puesto).",
    },
    "cb.group_type": {
        "en": "What the group is: scope (the group reported on), unit, role or round.",
        "es": "Qué es el grupo: scope (el grupo del informe), unit (unidad), role (puesto) o "
        "round (ronda).",
    },
    "cb.group": {"en": "The group's name.", "es": "El nombre del grupo."},
    "cb.depth": {
        "en": "For units: depth in the unit tree (0 = the group reported on or the agency).",
        "es": "Para unidades: profundidad en el árbol (0 = el grupo del informe o la agencia).",
    },
    "cb.domain": {"en": "Domain id (texts below).", "es": "Id del dominio (textos abajo)."},
    "cb.item": {"en": "Item id (texts below).", "es": "Id del ítem (textos abajo)."},
    "cb.statistic": {
        "en": "Which statistic the row holds (see the names below).",
        "es": "Qué estadística contiene la fila (ver los nombres abajo).",
    },
    "cb.value": {
        "en": "The value, unrounded; empty when the status is not “shown”. Decimal point, "
        "whatever the language.",
        "es": "El valor, sin redondear; vacío cuando el estado no es «shown». Con punto decimal, "
        "en cualquier idioma.",
    },
    "cb.status": {
        "en": "shown, withheld, no data or not available (see below).",
        "es": "shown, withheld, no data o not available (ver abajo).",
    },
    "cb.n_responses": {"en": "Responses of the group.", "es": "Respuestas del grupo."},
    "cb.invited": {
        "en": "Staff invited (withheld when fewer than {k}).",
        "es": "Personal invitado (no se muestra si es menos de {k}).",
    },
    "cb.response_rate": {
        "en": "Responses / invited × 100 (only with at least {k} invited).",
        "es": "Respuestas / invitados × 100 (solo con al menos {k} invitados).",
    },
    "cb.min_group_size": {
        "en": "The round's minimum group size k.", "es": "El tamaño mínimo de grupo k de la ronda.",
    },
    "cb.min_comment_group_size": {
        "en": "The minimum group size for comments.",
        "es": "El tamaño mínimo de grupo para los comentarios.",
    },
    "cb.n_flagged": {
        "en": "Responses with a data-quality flag (included).",
        "es": "Respuestas con señal de calidad de datos (incluidas).",
    },
    "cb.n_scored": {
        "en": "Staff with a score on the domain.", "es": "Personas con puntuación en el dominio.",
    },
    "cb.mean": {
        "en": "Mean score, 1–5 (reverse-worded items turned around).",
        "es": "Puntuación media, 1–5 (ítems de redacción inversa invertidos).",
    },
    "cb.sd": {
        "en": "Standard deviation (n − 1 denominator).",
        "es": "Desviación estándar (denominador n − 1).",
    },
    "cb.ci_low": {
        "en": "Lower bound of the 95% confidence interval of the mean (t), held within the "
        "scale: a bound below the scale's lowest point is written as that point.",
        "es": "Límite inferior del intervalo de confianza del 95 % de la media (t), dentro de "
        "la escala: un límite por debajo del punto más bajo se escribe como ese punto.",
    },
    "cb.ci_high": {
        "en": "Upper bound of the 95% confidence interval of the mean (t), held within the "
        "scale: a bound above the scale's highest point is written as that point.",
        "es": "Límite superior del intervalo de confianza del 95 % de la media (t), dentro de "
        "la escala: un límite por encima del punto más alto se escribe como ese punto.",
    },
    "cb.pct_favorable": {
        "en": "% of answers in the scale's favorable points (0–100); for a domain, the answers "
        "of the staff with a score (the base of the mean), and only where the mean is given.",
        "es": "% de respuestas en los puntos favorables de la escala (0–100); para un dominio, "
        "las respuestas de las personas con puntuación (la base de la media), y solo donde se "
        "da la media.",
    },
    "cb.n_complete": {
        "en": "Staff who answered every item of the domain (used for reliability).",
        "es": "Personas que respondieron todos los ítems del dominio (para la fiabilidad).",
    },
    "cb.alpha": {
        "en": "Cronbach's alpha, from 30 complete responses on; below zero it has no value "
        "(reason negative_alpha).",
        "es": "Alfa de Cronbach, a partir de 30 respuestas completas; por debajo de cero no "
        "tiene valor (motivo negative_alpha).",
    },
    "cb.alpha_ci_low": {
        "en": "Lower bound of the 95% interval of alpha (method in alpha_ci_method).",
        "es": "Límite inferior del intervalo del 95 % de alfa (método en alpha_ci_method).",
    },
    "cb.alpha_ci_high": {
        "en": "Upper bound of the 95% interval of alpha (method in alpha_ci_method).",
        "es": "Límite superior del intervalo del 95 % de alfa (método en alpha_ci_method).",
    },
    "cb.omega": {
        "en": "McDonald's omega total of the score as scored (no item reversed); withheld when "
        "an item loads negatively or one factor does not fit (see the reasons).",
        "es": "Omega total de McDonald de la puntuación tal como se calcula (sin invertir "
        "ítems); no se muestra cuando un ítem carga en negativo o un solo factor no se ajusta "
        "(ver los motivos).",
    },
    "cb.icc1": {
        "en": "ICC(1): share of the variance of scores between units, with k = N/G (below 0 "
        "written as 0).",
        "es": "ICC(1): parte de la varianza de las puntuaciones entre unidades, con k = N/G "
        "(por debajo de 0 se escribe 0).",
    },
    "cb.icc2": {
        "en": "ICC(2): reliability of the unit means (below 0 written as 0: units do not "
        "differ reliably).",
        "es": "ICC(2): fiabilidad de las medias de las unidades (por debajo de 0 se escribe 0: "
        "las unidades no difieren de forma fiable).",
    },
    "cb.n": {"en": "Answers (not counting “not applicable”), or responses of a group.",
             "es": "Respuestas (sin contar «no aplicable»), o respuestas de un grupo."},
    "cb.n_na": {"en": "“Not applicable” answers.", "es": "Respuestas «no aplicable»."},
    "cb.pct_na": {
        "en": "% “not applicable” of all who saw the item (0–100).",
        "es": "% «no aplicable» de quienes vieron el ítem (0–100).",
    },
    "cb.count_P": {
        "en": "count_1 … count_5: answers at each scale point, as answered (not reversed).",
        "es": "count_1 … count_5: respuestas en cada punto de la escala, tal como se "
        "respondieron (sin invertir).",
    },
    "cb.n_items_compared": {
        "en": "Items comparable with the previous round (by lineage).",
        "es": "Ítems comparables con la ronda anterior (según su linaje).",
    },
    "cb.n_items": {"en": "Items of the domain.", "es": "Ítems del dominio."},
    "cb.n_before": {
        "en": "Scored staff in the previous round.", "es": "Personas con puntuación en la ronda "
        "anterior.",
    },
    "cb.n_after": {
        "en": "Scored staff in this round.", "es": "Personas con puntuación en esta ronda.",
    },
    "cb.mean_before": {
        "en": "Mean in the previous round on comparable items.",
        "es": "Media en la ronda anterior en ítems comparables.",
    },
    "cb.mean_after": {
        "en": "Mean in this round on comparable items.",
        "es": "Media en esta ronda en ítems comparables.",
    },
    "cb.diff": {"en": "mean_after − mean_before.", "es": "mean_after − mean_before."},
    "cb.diff_ci_low": {
        "en": "Lower bound of Welch's 95% interval of diff.",
        "es": "Límite inferior del intervalo del 95 % de Welch para diff.",
    },
    "cb.diff_ci_high": {
        "en": "Upper bound of Welch's 95% interval of diff.",
        "es": "Límite superior del intervalo del 95 % de Welch para diff.",
    },
    "cb.hedges_g": {
        "en": "Hedges' g (later − earlier, pooled SD, small-sample corrected).",
        "es": "g de Hedges (posterior − anterior, DE combinada, corregida para muestras "
        "pequeñas).",
    },
    "cb.p_adjusted": {
        "en": "Welch p adjusted across domains (Benjamini–Hochberg).",
        "es": "p de Welch ajustado entre dominios (Benjamini–Hochberg).",
    },
    "cb.verdict": {
        "en": "improved / declined (adjusted p < .05 and |g| ≥ 0.2), stable (95% interval of g "
        "within ± 0.5) or too few to tell; “no clear change” only in reports computed before "
        "these four. Rounds are compared as independent groups, which is conservative when "
        "many of the same people answer both.",
        "es": "improved (mejoró) / declined (empeoró) (p ajustado < 0,05 y |g| ≥ 0,2), stable "
        "(estable: intervalo del 95 % de g dentro de ± 0,5) o too few to tell (muy pocas "
        "respuestas para saberlo); «no clear change» (sin cambio claro) solo en informes "
        "calculados antes de estos cuatro. Las rondas se comparan como grupos independientes, "
        "lo que es conservador cuando muchas de las mismas personas responden en ambas.",
    },
    "cb.hedges_g_ci_low": {
        "en": "Lower bound of the 95% interval of hedges_g.",
        "es": "Límite inferior del intervalo del 95 % de hedges_g.",
    },
    "cb.hedges_g_ci_high": {
        "en": "Upper bound of the 95% interval of hedges_g.",
        "es": "Límite superior del intervalo del 95 % de hedges_g.",
    },
    "cb.mde_g": {
        "en": "Smallest change in g that a two-sided test at .05 detects with 80% power for "
        "n_before and n_after.",
        "es": "Menor cambio en g que una prueba bilateral al 0,05 detecta con una potencia del "
        "80 % para n_before y n_after.",
    },
    "cb.mde_points": {
        "en": "mde_g in points of the score (mde_g × pooled SD).",
        "es": "mde_g en puntos de la puntuación (mde_g × DE combinada).",
    },
    "cb.mid_points": {
        "en": "Half a pooled standard deviation in points: a change within it is “stable”.",
        "es": "Media desviación estándar combinada en puntos: un cambio dentro de ella es "
        "«estable».",
    },
    "cb.units_compared": {
        "en": "When the units covered differ between the rounds: the units present in both, "
        "on which the change is computed (separated by “; ”); empty when the whole group is "
        "compared.",
        "es": "Cuando las unidades incluidas difieren entre las rondas: las unidades presentes "
        "en ambas, sobre las que se calcula el cambio (separadas por «; »); vacío cuando se "
        "compara el grupo entero.",
    },
    "cb.reason.changed_units": {
        "en": "Withheld: the units covered changed between the rounds, and comparing only the "
        "units present in both would expose a group smaller than {k}.",
        "es": "No se muestra: las unidades incluidas cambiaron entre las rondas, y comparar "
        "solo las presentes en ambas expondría a un grupo menor de {k}.",
    },
    "cb.comparable_items": {
        "en": "Items of the domain comparable with this round in that round.",
        "es": "Ítems del dominio comparables con esta ronda en esa ronda.",
    },
    "cb.status.shown": {"en": "The value is shown.", "es": "El valor se muestra."},
    "cb.status.withheld": {
        "en": "Withheld: fewer than {k} responses, or withheld so that a smaller group cannot "
        "be worked out from the totals. Never a number.",
        "es": "No se muestra: menos de {k} respuestas, o se oculta para que no pueda deducirse un "
        "grupo menor a partir de los totales. Nunca un número.",
    },
    "cb.status.no data": {"en": "No responses.", "es": "Sin respuestas."},
    "cb.reason": {
        "en": "Why a value is not shown: below_k, protects_smaller or no_data (see below); "
        "empty when it is shown.",
        "es": "Por qué no se muestra un valor: below_k, protects_smaller o no_data (ver abajo); "
        "vacío cuando se muestra.",
    },
    "cb.reason.below_k": {
        "en": "Fewer than {k} answered: fewer than {k} people's answers stand behind this very "
        "number.",
        "es": "Respondieron menos de {k}: detrás de esta cifra hay respuestas de menos de {k} "
        "personas.",
    },
    "cb.reason.protects_smaller": {
        "en": "Withheld to protect a smaller group: at least {k} answered, but showing it would "
        "let a smaller withheld group be worked out by subtraction.",
        "es": "No se muestra para proteger a un grupo menor: respondieron al menos {k}, pero "
        "mostrarlo permitiría deducir restando un grupo menor que no se muestra.",
    },
    "cb.reason.no_data": {"en": "No data: nobody answered.", "es": "Sin datos: nadie respondió."},
    "cb.status.not available": {
        "en": "The group is shown but this statistic could not be computed (for example too "
        "few answers).",
        "es": "El grupo se muestra, pero esta estadística no pudo calcularse (por ejemplo, por "
        "muy pocas respuestas).",
    },
    # -- anonymized response export --------------------------------------------------------
    "rx.variable": {"en": "variable", "es": "variable"},
    "rx.meaning": {"en": "meaning", "es": "significado"},
    "rx.values": {"en": "values", "es": "valores"},
    "rx.unit": {
        "en": "The unit the response was filed under, as the reports show units: a unit the "
        "reports withhold (fewer than {k} responses, or protecting a smaller group) carries the "
        "label of the nearest unit above it that is shown, so every label covers at least {k} "
        "rows and no label can be subtracted from another. The agency's name means the "
        "response belongs to no smaller shown unit. Rows per label in brackets.",
        "es": "La unidad en la que se registró la respuesta, tal como los informes muestran las "
        "unidades: una unidad que los informes no muestran (menos de {k} respuestas, o para "
        "proteger a un grupo menor) lleva la etiqueta de la unidad más cercana por encima que "
        "sí se muestra, de modo que cada etiqueta cubre al menos {k} filas y ninguna puede "
        "restarse de otra. El nombre de la agencia significa que la respuesta no pertenece a "
        "ninguna unidad menor que se muestre. Entre paréntesis, las filas por etiqueta.",
    },
    "rx.role": {
        "en": "The role the person chose.",
        "es": "El puesto que eligió la persona.",
    },
    "rx.language": {
        "en": "The language the survey was answered in.",
        "es": "El idioma en que se respondió la encuesta.",
    },
    "rx.mode": {
        "en": "web or paper.",
        "es": "web o paper (papel).",
    },
    "rx.submitted_on": {
        "en": "The day the response was submitted; “{round}” = some day of the round.",
        "es": "El día en que se envió la respuesta; «{round}» = algún día de la ronda.",
    },
    "rx.seconds_per_item": {
        "en": "Seconds per answered item, in bands; empty = not timed (paper).",
        "es": "Segundos por ítem respondido, en franjas; vacío = sin tiempo (papel).",
    },
    "rx.quality_flags": {
        "en": "Data-quality flags (longstring: the same answer throughout; zero_variance: no "
        "variation; too_fast: under 2 seconds per item); empty = none.",
        "es": "Señales de calidad de datos (longstring: la misma respuesta en todo; "
        "zero_variance: sin variación; too_fast: menos de 2 segundos por ítem); vacío = "
        "ninguna.",
    },
    "rx.generalized_n": {
        "en": "“{value}” in {n} row(s)", "es": "«{value}» en {n} fila(s)",
    },
    "rx.k_anonymity": {"en": "k-anonymity", "es": "k-anonimato"},
    "rx.k_anonymity.text": {
        "en": "Every combination of unit, role, language, mode, submitted_on, "
        "seconds_per_item and quality_flags in this file is shared by at least {k} rows, so "
        "knowing all of these about a person still leaves at least {k} rows that may be "
        "theirs. Where a combination was rarer, its rows were generalized as far as needed, "
        "always in this order: submitted_on becomes “{round}”, then quality_flags, "
        "seconds_per_item, language, mode and role become “{not_shown}”; the unit is never "
        "generalized before all of these. Rows that needed none keep every value.",
        "es": "Cada combinación de unidad, puesto, idioma, modo, submitted_on, "
        "seconds_per_item y quality_flags de este archivo la comparten al menos {k} filas: "
        "quien conozca todo eso de una persona sigue teniendo al menos {k} filas que pueden "
        "ser suyas. Donde una combinación era menos frecuente, sus filas se generalizaron lo "
        "necesario, siempre en este orden: submitted_on pasa a «{round}», después "
        "quality_flags, seconds_per_item, idioma, modo y puesto pasan a «{not_shown}»; la "
        "unidad nunca se generaliza antes que todas ellas. Las filas que no lo necesitaban "
        "conservan todos sus valores.",
    },
    "rx.generalized": {"en": "generalized", "es": "generalizado"},
    "rx.generalized.text": {
        "en": "{column}: {n} row(s), to reach at least {k} rows per combination.",
        "es": "{column}: {n} fila(s), para llegar a al menos {k} filas por combinación.",
    },
    "rx.unit_generalized.text": {
        "en": "{unit}: fewer than {k} rows even with every other column generalized; its rows "
        "carry the label “{into}”.",
        "es": "{unit}: menos de {k} filas aun generalizando todas las demás columnas; sus "
        "filas llevan la etiqueta «{into}».",
    },
    "rx.empty": {"en": "empty = skipped", "es": "vacío = sin respuesta"},
    "rx.about": {"en": "about this file", "es": "sobre este archivo"},
    "rx.about.text": {
        "en": "Anonymized responses of {organization}, {round} ({instrument}): {n} rows, one per "
        "response, in random order. Minimum group size k = {k}. Answers are the scale point "
        "as answered; reverse-worded items are not turned around.",
        "es": "Respuestas anonimizadas de {organization}, {round} ({instrument}): {n} filas, una "
        "por respuesta, en orden aleatorio. Tamaño mínimo de grupo k = {k}. Las respuestas son "
        "el punto de la escala tal como se respondió; los ítems de redacción inversa no se "
        "invierten.",
    },
    "rx.folded": {"en": "folded unit", "es": "unidad agrupada"},
    "rx.folded.text": {
        "en": "{unit}: withheld in the reports (fewer than {k} responses, or to protect a smaller "
        "group); its rows carry the label “{into}”.",
        "es": "{unit}: no se muestra en los informes (menos de {k} respuestas, o para proteger a "
        "un grupo menor); sus filas llevan la etiqueta «{into}».",
    },
    "rx.left_out": {"en": "left out", "es": "excluidas"},
    "rx.left_out.text": {
        "en": "{n} response(s) left out: no group they belong to can be shown (fewer than {k} "
        "responses in all).",
        "es": "{n} respuesta(s) excluidas: ningún grupo al que pertenecen puede mostrarse "
        "(menos de {k} respuestas en total).",
    },
    "rx.never": {"en": "not in this file", "es": "no incluido"},
    "rx.never.text": {
        "en": "Response ids, access codes, exact times and durations, and comments are never "
        "exported. Rows are in a fresh random order each time.",
        "es": "Nunca se exportan identificadores de respuesta, códigos de acceso, horas ni "
        "duraciones exactas, ni comentarios. Las filas van en un orden aleatorio nuevo cada "
        "vez.",
    },
    "rx.risk": {"en": "handle with care", "es": "manejar con cuidado"},
    "rx.risk.text": {
        "en": "The answers are as given, so that analyses can be re-run. This file is for "
        "administrators only: do not share it, and publish nothing from it that rests on "
        "fewer than {k} answers.",
        "es": "Las respuestas están tal como se dieron, para poder repetir los análisis. Este "
        "archivo es solo para la administración: no lo comparta ni publique nada de él que se "
        "base en menos de {k} respuestas.",
    },
    # -- the board report: its summary page, difference heat map and appendix --------------
    "board.summary.title": {
        "en": "{scope}: domain means", "es": "{scope}: medias por dominio",
    },
    "board.summary.title_change": {
        "en": "{scope}: domain means and change since {previous}",
        "es": "{scope}: medias por dominio y cambio desde {previous}",
    },
    "board.summary.change_head": {
        "en": "Change since {previous}", "es": "Cambio desde {previous}",
    },
    "board.summary.change": {"en": "change", "es": "cambio"},
    "board.summary.alt": {
        "en": "Bar chart of the means (1 to 5) of {n} domains for {scope}, {round}, with the "
        "change since the previous round beside each: {details}",
        "es": "Gráfico de barras de las medias (1 a 5) de {n} dominios de {scope}, {round}, con "
        "el cambio desde la ronda anterior junto a cada una: {details}",
    },
    "board.summary.change_tally": {
        "en": "Since {previous}: {improved} improved, {declined} declined, {stable} stable, "
        "{too_few} too few to tell.",
        "es": "Desde {previous}: {improved} mejoran, {declined} empeoran, {stable} estables, "
        "{too_few} con muy pocos datos para saberlo.",
    },
    "board.summary.no_previous": {
        "en": "This is the first round: there is no change to show yet.",
        "es": "Es la primera ronda: todavía no hay cambio que mostrar.",
    },
    "sec.priorities": {
        "en": "Strengths, priorities and actions", "es": "Fortalezas, prioridades y acciones",
    },
    "board.appendix": {"en": "Appendix {letter}: {title}", "es": "Anexo {letter}: {title}"},
    "board.rel.shared": {
        "en": "Said once for {domains}: {sentence}",
        "es": "Dicho una sola vez para {domains}: {sentence}",
    },
    "board.rel.shared_all": {"en": "every domain", "es": "todos los dominios"},
    "board.rel.see_above": {"en": "as above", "es": "como arriba"},
    "board.heatmap.title": {
        "en": "Difference of each unit from {scope}, by domain",
        "es": "Diferencia de cada unidad respecto a {scope}, por dominio",
    },
    "board.heatmap.scale": {
        "en": "Difference from {scope} in points (1–5 scale): purple = higher than {scope} "
        "(better), orange = lower (worse), white = about the same. The first row gives "
        "{scope}'s own means.",
        "es": "Diferencia respecto a {scope} en puntos (escala 1–5): morado = más alta que "
        "{scope} (mejor), naranja = más baja (peor), blanco = casi igual. La primera fila da "
        "las medias de {scope}.",
    },
    "board.heatmap.darker": {
        "en": "Darker = lower mean.", "es": "Más oscuro = media más baja.",
    },
    "board.heatmap.alt": {
        "en": "Each unit's difference from {scope}: purple cells are higher (better), orange "
        "cells lower.",
        "es": "La diferencia de cada unidad respecto a {scope}: las celdas moradas son más "
        "altas (mejor), las naranjas más bajas.",
    },
    "board.heatmap.view": {"en": "Show", "es": "Mostrar"},
    "board.heatmap.view.difference": {
        "en": "difference from {scope}", "es": "diferencia respecto a {scope}",
    },
    "board.heatmap.view.scores": {"en": "scores", "es": "puntuaciones"},
    "board.paper": {"en": "Paper for the PDF", "es": "Papel del PDF"},
    "board.paper.letter": {"en": "US Letter", "es": "Carta (EE. UU.)"},
    "board.paper.a4": {"en": "A4", "es": "A4"},
    "board.heatmap.alt_diff": {
        "en": "{unit}, difference from the first row: {values}",
        "es": "{unit}, diferencia respecto a la primera fila: {values}",
    },
}


def word(key: str, lang: str, **values: object) -> str:
    """The report's text for ``key`` in ``lang``, with ``values`` filled in."""
    text = WORDS[key][lang]
    return text.format(**values) if values else text


def number(value: float | None, lang: str, digits: int = 1, *, signed: bool = False) -> str:
    """``value`` rounded to ``digits`` decimals with the language's decimal mark and a real
    minus sign (U+2212) for a negative value; "—" for None or nan."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return WORDS["dash"][lang]
    # Snap away the last bits of floating-point noise first, so that a mean of 3.125 prints
    # the same whether its sum was added up as 3.1249999999999996 or 3.1250000000000004 (the
    # order responses are read in is random): the text never depends on that order.
    value = round(value, 9)
    text = f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"
    if text.lstrip("+-").strip("0.") == "":  # "-0.0" reads as a change that is not there
        text = f"{0:.{digits}f}"
        if signed:
            text = "±" + text
    text = text.replace("-", "−")
    return text.replace(".", ",") if lang == "es" else text


def percent(value: float | None, lang: str, digits: int = 0) -> str:
    """A percentage (``value`` already on 0–100): "56%" in English, "56 %" in Spanish."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return WORDS["dash"][lang]
    text = number(value, lang, digits)
    return f"{text} %" if lang == "es" else f"{text}%"


def month_year(day: date | None, lang: str) -> str:
    if day is None:
        return WORDS["dash"][lang]
    return f"{WORDS['months'][lang].split()[day.month - 1]} {day.year}"


def long_date(day: date | None, lang: str) -> str:
    if day is None:
        return WORDS["dash"][lang]
    return f"{day.day} {month_year(day, lang)}"


def role_name(role: str, lang: str) -> str:
    return word(f"role.{role}", lang)


def verdict_name(verdict: str, lang: str) -> str:
    return word(f"verdict.{verdict}", lang)


def withheld_words(code: str, lang: str, k: int) -> str:
    """A withheld number's place in a sentence: "withheld: fewer than k answered", "withheld
    to protect a smaller group" or "no data"."""
    if code == "below_k":
        return word("reason.withheld", lang, reason=reason_text(code, lang, k))
    return reason_text(code, lang, k)


def reason_text(code: str, lang: str, k: int, *, short: bool = False) -> str:
    """Why a number is not shown, from a `scoring.disclosure` reason code: "fewer than k
    answered" (`BELOW_K`), "withheld to protect a smaller group" (`PROTECTS_SMALLER`) or "no
    data" (`NO_RESPONSES`); `short` for a table cell. A number withheld for a reason the
    report does not give (an empty code) reads "withheld", never a guessed reason."""
    if code not in ("below_k", "protects_smaller", "no_data", "changed_units"):
        return word("withheld", lang)
    return word(f"reason.{'short.' if short else ''}{code}", lang, k=k)


def listing(parts: list[str], lang: str) -> str:
    """"a, b and c" / "a, b y c"."""
    if not parts:
        return WORDS["none"][lang]
    if len(parts) == 1:
        return parts[0]
    return f"{', '.join(parts[:-1])} {WORDS['and'][lang]} {parts[-1]}"


def change_reading(change: ChangeResult, lang: str) -> str:
    """Why a change (a `reports.builder.ChangeResult`) has its verdict, in words: "the change
    is smaller than half a standard deviation (about 0.31 points here)" for a stable one,
    "with 8 and 9 responses only a change of about 0.62 points or more could be detected"
    for one too few to tell; "" for a withheld one."""
    verdict = change.verdict
    key = f"change.why.{verdict}"
    if key not in WORDS:
        return ""
    return word(key, lang, points=number(change.mid_points, lang, 2),
                n_before=change.n_before, n_after=change.n_after,
                mde=number(change.mde_points, lang, 2))


def mde_text(change: ChangeResult, lang: str) -> str:
    """The smallest detectable change of a `reports.builder.ChangeResult`: "about 0.62 points
    (g 0.95)"; "—" when it could not be computed (or the report predates it)."""
    points, g = change.mde_points, change.mde_g
    if points is None or g is None:
        return WORDS["dash"][lang]
    return word("change.mde", lang, points=number(points, lang, 2), g=number(g, lang, 2))
