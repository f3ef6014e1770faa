"""The words of the report pages and of the staff-facing summary, in English and Spanish.

Merged into `ui.i18n.STRINGS`; the words of the exports and figures live in `reports.words`
(reports never import ``ui/``). Managers are addressed with «tú», as on the admin pages; the
staff summary speaks for the agency («escuchamos», «haremos»).
"""

from __future__ import annotations

REPORT_PAGE_STRINGS: dict[str, dict[str, str]] = {
    # -- menu ---------------------------------------------------------------------------------
    "report.section": {"en": "Reports", "es": "Informes"},
    "report.page.overview": {"en": "Report overview", "es": "Resumen del informe"},
    "report.page.change": {"en": "Change and trend", "es": "Cambio y evolución"},
    "report.page.reliability": {
        "en": "Reliability and agreement", "es": "Fiabilidad y acuerdo",
    },
    "report.page.units": {"en": "Unit heat map", "es": "Mapa de calor por unidad"},
    "report.page.roles": {"en": "Roles", "es": "Puestos"},
    "report.page.items": {"en": "Item detail", "es": "Detalle por ítem"},
    "report.page.comments": {"en": "Comments", "es": "Comentarios"},
    "report.page.actions": {"en": "Action plan", "es": "Plan de acción"},
    "report.page.downloads": {"en": "Downloads", "es": "Descargas"},
    "results.page": {"en": "What we heard", "es": "Lo que escuchamos"},
    # -- choosing the report ------------------------------------------------------------------
    "report.pick.round": {"en": "Round", "es": "Ronda"},
    "report.pick.scope": {"en": "Whose results", "es": "Resultados de"},
    "report.scope.agency": {"en": "{name} (whole agency)", "es": "{name} (toda la agencia)"},
    "report.no_rounds": {
        "en": "No round has closed yet, so there is no report to read. A round's results are "
        "computed when it closes; while it is open, follow its response rates on the page "
        "Access and response rates.",
        "es": "Todavía no se ha cerrado ninguna ronda, así que no hay informe que leer. Los "
        "resultados de una ronda se calculan cuando se cierra; mientras está abierta, sigue "
        "sus tasas de respuesta en la página Acceso y participación.",
    },
    "report.no_rounds_manager": {
        "en": "No round has closed yet. A round's report opens to managers when leadership "
        "closes the round.",
        "es": "Todavía no se ha cerrado ninguna ronda. El informe de una ronda se abre a las "
        "personas responsables de equipo cuando la dirección la cierra.",
    },
    "report.error.round": {
        "en": "There is no report of a round “{value}” for you. The address may be mistyped "
        "or old: open the newest report instead.",
        "es": "No tienes ningún informe de una ronda «{value}». Puede que la dirección esté "
        "mal escrita o sea antigua: abre el informe más reciente.",
    },
    "report.error.round_open": {
        "en": "The round “{round}” is open: results are computed when it closes; until then "
        "only response rates are shown.",
        "es": "La ronda «{round}» está abierta: los resultados se calculan cuando se cierra; "
        "hasta entonces solo se muestran las tasas de respuesta.",
    },
    "report.error.round_draft": {
        "en": "The round “{round}” has not started yet, so it has no report.",
        "es": "La ronda «{round}» todavía no ha empezado, así que no tiene informe.",
    },
    "report.error.unit_outside": {
        "en": "There is no report of the unit “{unit}” for you in this round: you can read the "
        "agency as a whole and the units you are responsible for. Ask an admin if you need "
        "another unit.",
        "es": "No tienes ningún informe de la unidad «{unit}» en esta ronda: puedes leer el de "
        "toda la agencia y los de las unidades a tu cargo. Si necesitas otra unidad, pídesela "
        "a una persona de administración.",
    },
    "report.error.unit_unknown": {
        "en": "The round “{round}” has no unit “{unit}”.",
        "es": "La ronda «{round}» no tiene ninguna unidad «{unit}».",
    },
    "report.error.back": {"en": "Open the newest report", "es": "Abrir el informe más reciente"},
    "report.computing": {
        "en": "Closing the round and computing its report, once, for the agency and every "
        "unit…",
        "es": "Cerrando la ronda y calculando su informe, una sola vez, para la agencia y cada "
        "unidad…",
    },
    "report.error.rates": {
        "en": "Follow the round's response rates",
        "es": "Seguir las tasas de respuesta de la ronda",
    },
    # -- what every page says ---------------------------------------------------------------------
    "report.cover": {
        "en": "{instrument} ({ref}) · open {opens} to {closes} · results are shown only for "
        "groups of at least {k} responses",
        "es": "{instrument} ({ref}) · abierta del {opens} al {closes} · solo se muestran "
        "resultados de grupos con al menos {k} respuestas",
    },
    "report.withheld": {
        "en": "**{scope}**: results not shown ({why}), to protect anonymity. Choose a larger "
        "group above, such as the unit above it.",
        "es": "**{scope}**: los resultados no se muestran ({why}), para proteger el anonimato. "
        "Elige arriba un grupo mayor, como la unidad de la que depende.",
    },
    "report.no_data": {
        "en": "**{scope}**: no responses in this round.",
        "es": "**{scope}**: no hay respuestas en esta ronda.",
    },
    "report.unknown_status": {
        "en": "This report could not be shown. Tell IT: the report has a status this page "
        "does not know.",
        "es": "No se pudo mostrar este informe. Avisa al equipo de informática: el informe "
        "tiene un estado que esta página no conoce.",
    },
    "report.none": {"en": "none", "es": "ninguno"},
    "report.cell.withheld": {"en": "withheld (fewer than {k})", "es": "oculto (menos de {k})"},
    "report.cell.no_data": {"en": "no responses", "es": "sin respuestas"},
    "report.reason.below_k": {
        "en": "fewer than {k} answered", "es": "respondieron menos de {k}",
    },
    "report.reason.protects_smaller": {
        "en": "withheld to protect a smaller group",
        "es": "oculto para proteger a un grupo menor",
    },
    "report.reason.no_data": {"en": "no data", "es": "sin datos"},
    "report.verdict.withheld": {"en": "withheld", "es": "oculto"},
    "report.verdict.improved": {"en": "improved", "es": "mejoró"},
    "report.verdict.declined": {"en": "declined", "es": "empeoró"},
    "report.verdict.no clear change": {"en": "no clear change", "es": "sin cambio claro"},
    # -- change: the four verdicts (scoring.change), what each can say, and the units compared
    # ("no clear change" above is the legacy verdict of reports frozen before these four)
    "report.verdict.stable": {"en": "stable", "es": "estable"},
    "report.verdict.too few to tell": {
        "en": "too few to tell", "es": "muy pocas respuestas para saberlo",
    },
    "report.change.reason.changed_units": {
        "en": "the units covered changed and comparing only the common units would expose a "
        "small group",
        "es": "las unidades incluidas cambiaron y comparar solo las unidades comunes expondría "
        "a un grupo pequeño",
    },
    "report.col.mde": {"en": "Smallest detectable change", "es": "Menor cambio detectable"},
    "report.col.reading": {"en": "What it means", "es": "Qué significa"},
    "report.change.units": {
        "en": "The units covered differ between the two rounds, so the change is computed on "
        "the {n} units present in both rounds: {units}.",
        "es": "Las unidades incluidas difieren entre las dos rondas, así que el cambio se "
        "calcula en las {n} unidades presentes en ambas rondas: {units}.",
    },
    "report.trend.other_units": {
        "en": "{rounds} covered other units of this group than this round: those means are of "
        "the units of that round, so the trend there mixes who was asked with change; the "
        "change since the previous round is computed on the units present in both.",
        "es": "{rounds} incluyó otras unidades de este grupo que esta ronda: esas medias son de "
        "las unidades de esa ronda, así que ahí la evolución mezcla a quién se preguntó con el "
        "cambio; el cambio desde la ronda anterior se calcula en las unidades presentes en "
        "ambas.",
    },
    "report.change.independent": {
        "en": "Responses are anonymous, so the two rounds are compared as independent groups. "
        "When many of the same people answer both rounds, this comparison is conservative: it "
        "may miss a real change, but it does not invent one.",
        "es": "Las respuestas son anónimas, así que las dos rondas se comparan como grupos "
        "independientes. Cuando muchas de las mismas personas responden en ambas rondas, esta "
        "comparación es conservadora: puede pasar por alto un cambio real, pero no inventa "
        "ninguno.",
    },
    # -- table columns ------------------------------------------------------------------------
    "report.col.domain": {"en": "Domain", "es": "Dominio"},
    "report.col.mean": {"en": "Mean (1–5)", "es": "Media (1–5)"},
    "report.col.ci": {"en": "95% CI", "es": "IC 95 %"},
    "report.col.favorable": {"en": "% favorable", "es": "% favorable"},
    "report.col.scored": {"en": "People scored", "es": "Personas puntuadas"},
    "report.col.verdict": {"en": "Change", "es": "Cambio"},
    "report.col.before": {"en": "Before", "es": "Antes"},
    "report.col.now": {"en": "Now", "es": "Ahora"},
    "report.col.diff": {"en": "Difference", "es": "Diferencia"},
    "report.col.diff_ci": {"en": "95% CI of the difference", "es": "IC 95 % de la diferencia"},
    "report.col.g": {"en": "Hedges' g", "es": "g de Hedges"},
    "report.col.comparable": {"en": "Comparable items", "es": "Ítems comparables"},
    "report.col.alpha": {"en": "Cronbach's α", "es": "α de Cronbach"},
    "report.col.omega": {"en": "McDonald's ω", "es": "ω de McDonald"},
    "report.col.complete": {"en": "Complete responses", "es": "Respuestas completas"},
    "report.col.unit": {"en": "Unit", "es": "Unidad"},
    "report.col.n": {"en": "Responses", "es": "Respuestas"},
    "report.col.role": {"en": "Role", "es": "Puesto"},
    "report.col.item": {"en": "Item", "es": "Ítem"},
    "report.col.statement": {"en": "Statement", "es": "Enunciado"},
    "report.col.answered": {"en": "Answers", "es": "Respuestas"},
    "report.col.na": {"en": "% not applicable", "es": "% no aplica"},
    "report.col.action": {"en": "Action", "es": "Acción"},
    "report.col.status": {"en": "Status", "es": "Estado"},
    "report.col.change": {"en": "Domain since then", "es": "El dominio desde entonces"},
    "report.col.owner": {"en": "Owner", "es": "Responsable"},
    "report.col.due": {"en": "Due", "es": "Fecha límite"},
    "report.col.indicator": {"en": "Indicator", "es": "Indicador"},
    # -- overview -----------------------------------------------------------------------------
    "report.overview.responses": {"en": "Responses", "es": "Respuestas"},
    "report.overview.rate": {"en": "Response rate", "es": "Tasa de respuesta"},
    "report.overview.rate_help": {
        "en": "Responses out of the {invited} people invited.",
        "es": "Respuestas sobre las {invited} personas invitadas.",
    },
    "report.overview.rate_withheld": {
        "en": "Not shown: fewer than {k} people were invited, or leadership has not entered "
        "how many were.",
        "es": "No se muestra: se invitó a menos de {k} personas, o la dirección no ha indicado "
        "a cuántas.",
    },
    "report.overview.flagged": {"en": "Responses flagged", "es": "Respuestas señaladas"},
    "report.overview.flagged_help": {
        "en": "Responses the data-quality checks flagged (the same answer to everything, or "
        "under two seconds per question). They are flagged, never deleted: they are "
        "included in every number here.",
        "es": "Respuestas que los controles de calidad señalaron (la misma respuesta a todo, o "
        "menos de dos segundos por pregunta). Se señalan, nunca se borran: están incluidas en "
        "todas las cifras de esta página.",
    },
    "report.overview.strengths": {"en": "Strengths", "es": "Fortalezas"},
    "report.overview.strengths_help": {
        "en": "The domains with the highest scores.",
        "es": "Los dominios con las puntuaciones más altas.",
    },
    "report.overview.priorities": {"en": "Priorities", "es": "Prioridades"},
    "report.overview.priorities_help": {
        "en": "The domains with the lowest scores: where to plan actions first.",
        "es": "Los dominios con las puntuaciones más bajas: dónde planificar acciones primero.",
    },
    "report.overview.domains": {"en": "Domain scores", "es": "Puntuaciones por dominio"},
    "report.overview.domains_help": {
        "en": "Mean on a scale of 1 (least trauma-informed) to 5 (most), with its 95% "
        "confidence interval: the range the mean would likely fall in if everyone had "
        "answered, held within the scale. % favorable is the share of the answers of the staff "
        "who have a score (the same people as the mean) in the favorable points of the scale; "
        "there is none where there is no mean.",
        "es": "Media en una escala de 1 (menos informada sobre el trauma) a 5 (más), con su "
        "intervalo de confianza del 95 %: el rango en el que probablemente estaría la media si "
        "hubiera respondido todo el mundo, dentro de la escala. El % favorable es la proporción "
        "de las respuestas de las personas con puntuación (las mismas que la media) en los "
        "puntos favorables de la escala; no lo hay donde no hay media.",
    },
    "report.overview.withheld_units.one": {
        "en": "{n} unit below is withheld (fewer than {k} answered, or to protect a smaller "
        "group); see the heat map for which.",
        "es": "{n} unidad de este grupo no se muestra (respondieron menos de {k}, o para "
        "proteger a un grupo menor); consulta el mapa de calor.",
    },
    "report.overview.flagged_withheld": {
        "en": "Not shown: the count of flagged responses would rest on fewer than {k} people, "
        "or let a smaller group's count be worked out.",
        "es": "No se muestra: el número de respuestas señaladas se basaría en menos de {k} "
        "personas, o permitiría deducir el de un grupo menor.",
    },
    "report.overview.withheld_units.other": {
        "en": "{n} units below are withheld (fewer than {k} responses, or to protect a "
        "smaller group); see the heat map.",
        "es": "{n} unidades de este grupo no se muestran (menos de {k} respuestas, o para "
        "proteger a un grupo menor); consulta el mapa de calor.",
    },
    # -- change and trend ---------------------------------------------------------------------
    "report.change.heading": {
        "en": "Change since the previous round", "es": "Cambio desde la ronda anterior",
    },
    "report.change.lead": {
        "en": "Compared with **{previous}**, comparable on {n} of {m} items (items whose "
        "meaning or answer choices changed between versions are left out).",
        "es": "En comparación con **{previous}**, comparable en {n} de {m} ítems (se dejan "
        "fuera los ítems cuyo significado u opciones de respuesta cambiaron entre versiones).",
    },
    "report.change.n_of": {"en": "{n} of {m}", "es": "{n} de {m}"},
    "report.change.no_previous": {
        "en": "This is the first round: there is nothing to compare with yet.",
        "es": "Esta es la primera ronda: todavía no hay nada con qué comparar.",
    },
    "report.change.no_group": {
        "en": "No change can be shown since {previous}: this group was withheld then, or was "
        "not part of that round.",
        "es": "No se puede mostrar el cambio desde {previous}: este grupo no se mostró entonces "
        "o no participó en esa ronda.",
    },
    "report.change.method": {
        "en": "▲ improved and ▼ declined: the change is clear (Welch's test, adjusted for the "
        "number of domains: p < .05) and large enough to matter (Hedges' g of at least 0.2). "
        "◆ stable: the change is smaller than half a standard deviation (the 95% interval of "
        "g lies within ± 0.5). ○ too few to tell: neither, because with the responses at hand "
        "only a larger change could have been detected (the smallest detectable change, with "
        "80% power, is given for each domain).",
        "es": "▲ mejoró y ▼ empeoró: el cambio es claro (prueba de Welch, ajustada por el "
        "número de dominios: p < 0,05) y lo bastante grande para importar (g de Hedges de al "
        "menos 0,2). ◆ estable: el cambio es menor que media desviación estándar (el intervalo "
        "del 95 % de g queda dentro de ± 0,5). ○ muy pocas respuestas para saberlo: ninguno de "
        "los dos, porque con las respuestas disponibles solo se habría detectado un cambio "
        "mayor (el menor cambio detectable, con una potencia del 80 %, se da para cada "
        "dominio).",
    },
    "report.change.legacy": {
        "en": "● no clear change: this report was computed before tisa told “stable” apart from "
        "“too few to tell”.",
        "es": "● sin cambio claro: este informe se calculó antes de que tisa distinguiera "
        "«estable» de «muy pocas respuestas para saberlo».",
    },
    "report.trend.heading": {"en": "Trend over all rounds", "es": "Evolución en todas las rondas"},
    "report.trend.lead": {
        "en": "Domain means in the {n} rounds, each on the items it shares with this round's "
        "version.",
        "es": "Medias por dominio en las {n} rondas, cada una en los ítems que comparte con la "
        "versión de esta ronda.",
    },
    "report.trend.partial": {"en": "({n} of {m} items)", "es": "({n} de {m} ítems)"},
    "report.trend.single": {
        "en": "A trend needs at least two rounds; this is the first.",
        "es": "Para ver una evolución hacen falta al menos dos rondas; esta es la primera.",
    },
    # -- reliability and agreement --------------------------------------------------------------
    "report.rel.lead": {
        "en": "Can the scores be trusted? For each domain: whether its items hang together "
        "(measure one thing), which items fit poorly, and whether staff within a unit see "
        "the domain alike.",
        "es": "¿Se puede confiar en las puntuaciones? Para cada dominio: si sus ítems son "
        "coherentes entre sí (miden una misma cosa), qué ítems encajan mal y si el personal "
        "de una unidad ve el dominio de forma parecida.",
    },
    "report.rel.weak_item": {
        "en": "{item} fits the rest of the domain poorly.",
        "es": "{item} encaja mal con el resto del dominio.",
    },
    "report.rel.heading": {
        "en": "Do the items of each domain hang together?",
        "es": "¿Son coherentes entre sí los ítems de cada dominio?",
    },
    "report.rel.good_list": {
        "en": "These domains' items hang together well:",
        "es": "Los ítems de estos dominios son coherentes entre sí:",
    },
    "report.agree.heading": {
        "en": "Do staff within a unit see things alike?",
        "es": "¿Ve las cosas de forma parecida el personal de cada unidad?",
    },
    "report.agree.lead": {
        "en": "A unit's average hides what its staff do not share. Where agreement is weak or "
        "lacking (rwg(j) below .51, in LeBreton & Senter's words), or the answers fall into two "
        "separate groups, talk with the team before acting on the average.",
        "es": "La media de una unidad esconde lo que su personal no comparte. Donde el acuerdo "
        "es débil o inexistente (rwg(j) por debajo de 0,51, en palabras de LeBreton y Senter), o "
        "las respuestas se reparten en dos grupos separados, habla con el equipo antes de "
        "actuar según la media.",
    },
    "report.agree.none": {
        "en": "No unit shown here has weak or lacking agreement among its staff.",
        "es": "Ninguna de las unidades que aparecen aquí muestra un acuerdo débil o inexistente "
        "entre su personal.",
    },
    "report.agree.low": {
        "en": "Agreement among staff in **{unit}** is weak or lacking on: {domains}.",
        "es": "El acuerdo entre el personal de **{unit}** es débil o inexistente en: {domains}.",
    },
    "report.agree.split": {
        "en": "The answers of staff in **{unit}** fall into two separate groups on: {domains}.",
        "es": "Las respuestas del personal de **{unit}** se reparten en dos grupos separados en: "
        "{domains}.",
    },
    "report.rel.numbers": {"en": "The numbers", "es": "Las cifras"},
    "report.rel.method": {
        "en": "Reliability is given from 30 complete responses on. α: Cronbach's alpha on "
        "complete responses, with its 95% CI (Feldt's, or a bootstrap where answers pile up at "
        "one end; the method is named); below zero it is given in words. ω: McDonald's omega "
        "total of the score as scored, with the one-factor RMSR beside it; withheld when an item "
        "seems reversed or the items measure more than one thing. ICC(1): the share of the "
        "differences between people that lies between units (with N/G and with n0 for units of "
        "unequal size); ICC(2): how reliably unit means tell units apart. Both below 0 are shown "
        "as 0. Agreement within a unit: rwg(j) in LeBreton & Senter's (2008) bands, with its "
        "value under a slightly skewed null as a sensitivity check.",
        "es": "La fiabilidad se da a partir de 30 respuestas completas. α: alfa de Cronbach "
        "sobre respuestas completas, con su IC 95 % (de Feldt, o bootstrap cuando las "
        "respuestas se acumulan en un extremo; se indica el método); por debajo de cero se "
        "expresa con palabras. ω: omega total de McDonald de la puntuación tal como se calcula, "
        "con el RMSR de un factor al lado; no se muestra cuando un ítem parece invertido o los "
        "ítems miden más de una cosa. ICC(1): la parte de las diferencias entre personas que se "
        "debe a la unidad (con N/G y con n0 para unidades de distinto tamaño); ICC(2): con qué "
        "fiabilidad las medias distinguen unas unidades de otras. Por debajo de 0 se muestran "
        "como 0. Acuerdo dentro de una unidad: rwg(j) en las bandas de LeBreton y Senter (2008), "
        "con su valor con una nula ligeramente asimétrica como comprobación de sensibilidad.",
    },
    # -- display rules of reliability, agreement and means (reports.display) -------------------
    "report.col.icc": {"en": "Differences between units", "es": "Diferencias entre unidades"},
    "report.agree.units": {"en": "Agreement within each unit", "es": "Acuerdo en cada unidad"},
    "report.agree.units_help": {
        "en": "Only units with at least {k} complete responses are listed.",
        "es": "Solo se listan las unidades con al menos {k} respuestas completas.",
    },
    "report.col.band": {"en": "Agreement", "es": "Acuerdo"},
    "report.col.rwg": {"en": "rwg(j)", "es": "rwg(j)"},
    "report.col.rwg_skewed": {
        "en": "rwg(j), slightly skewed null", "es": "rwg(j), nula ligeramente asimétrica",
    },
    "report.col.split": {"en": "Two separate groups", "es": "Dos grupos separados"},
    # -- heat map -------------------------------------------------------------------------------
    "report.units.lead": {
        "en": "Each unit's mean per domain. A unit's results include the units below it.",
        "es": "La media de cada unidad por dominio. Los resultados de una unidad incluyen los de "
        "las unidades que dependen de ella.",
    },
    "report.units.legend": {
        "en": "**Legend:** {withheld} withheld: fewer than {k} responses, or withheld so that "
        "a smaller group cannot be worked out by subtraction. {empty} no responses at all.",
        "es": "**Leyenda:** {withheld} oculto: menos de {k} respuestas, u oculto para que no se "
        "pueda deducir un grupo menor restando. {empty} ninguna respuesta.",
    },
    "report.units.only_yours": {
        "en": "Only the units you are responsible for are listed below the agency.",
        "es": "Debajo de la agencia solo aparecen las unidades a tu cargo.",
    },
    # -- roles ----------------------------------------------------------------------------------
    "report.roles.why": {
        "en": "Roles are shown for {organization} as a whole only, whatever group you chose "
        "above: a breakdown by unit and role together could be subtracted from a unit's "
        "total to reveal a handful of people. A role with fewer than {k} responses is "
        "withheld, and so may be another, so that the first cannot be worked out.",
        "es": "Los puestos solo se muestran para {organization} en su conjunto, sea cual sea el "
        "grupo elegido arriba: un desglose por unidad y puesto a la vez podría restarse del "
        "total de una unidad y revelar a unas pocas personas. Un puesto con menos de {k} "
        "respuestas no se muestra, y a veces tampoco otro, para que el primero no pueda "
        "deducirse.",
    },
    "report.roles.none": {
        "en": "No responses gave a role.", "es": "Ninguna respuesta indicó un puesto.",
    },
    # -- items ----------------------------------------------------------------------------------
    "report.items.pick": {"en": "Domain", "es": "Dominio"},
    "report.items.priority": {"en": "priority", "es": "prioridad"},
    "report.items.reverse": {"en": "(reverse-worded)", "es": "(redacción inversa)"},
    "report.items.lead": {
        "en": "Domain mean {mean}, {fav} favorable. Answers per point of the scale, as "
        "given; for reverse-worded items agreeing is unfavorable.",
        "es": "Media del dominio {mean}, {fav} favorable. Respuestas por punto de la escala, "
        "tal como se dieron; en los ítems de redacción inversa estar de acuerdo es "
        "desfavorable.",
    },
    "report.items.domain_withheld": {
        "en": "The domain's score is not shown: {reason}. Items with enough answers are shown "
        "below.",
        "es": "La puntuación del dominio no se muestra: {reason}. Abajo aparecen los ítems con "
        "suficientes respuestas.",
    },
    "report.items.high_na": {
        "en": "{item}: {pct} answered “not applicable / unable to rate”. That is a finding in "
        "itself: staff may not see this practice at all, or the item may not fit their work.",
        "es": "{item}: el {pct} respondió «no aplica / no puedo valorarlo». Eso ya es un "
        "hallazgo: puede que el personal no vea esta práctica en absoluto o que el ítem no "
        "encaje con su trabajo.",
    },
    "report.items.na_note": {
        "en": "⚠ marks items where {pct} or more answered “not applicable”. Those answers "
        "count as missing, never as a low score.",
        "es": "⚠ señala los ítems en los que el {pct} o más respondió «no aplica». Esas "
        "respuestas cuentan como ausentes, nunca como una puntuación baja.",
    },
    # -- comments -------------------------------------------------------------------------------
    "report.comments.lead": {
        "en": "What staff wrote, in no particular order and without dates. Comments are shown "
        "only for groups of at least {m} people, because the way someone writes can give "
        "them away.",
        "es": "Lo que escribió el personal, sin un orden concreto y sin fechas. Los comentarios "
        "solo se muestran en grupos de al menos {m} personas, porque la forma de escribir "
        "puede delatar a alguien.",
    },
    "report.comments.withheld": {
        "en": "Some comments are not shown here: they come from groups smaller than {m} "
        "people (the comment threshold) and appear only in the report of a larger group "
        "above them.",
        "es": "Algunos comentarios no se muestran aquí: proceden de grupos de menos de {m} "
        "personas (el umbral de comentarios) y solo aparecen en el informe de un grupo mayor "
        "del que dependen.",
    },
    "report.comments.none": {
        "en": "No comments to show for this group.",
        "es": "No hay comentarios que mostrar para este grupo.",
    },
    "report.comments.closing": {"en": "Anything else", "es": "Algo más"},
    "report.comments.count.one": {"en": "{n} comment", "es": "{n} comentario"},
    "report.comments.count.other": {"en": "{n} comments", "es": "{n} comentarios"},
    # -- action plan ----------------------------------------------------------------------------
    "report.action.before": {
        "en": "Actions planned after {previous}, and their domain since",
        "es": "Acciones planificadas tras {previous} y su dominio desde entonces",
    },
    "report.action.before_none": {
        "en": "No actions were planned after the previous round.",
        "es": "No se planificaron acciones tras la ronda anterior.",
    },
    "report.action.before_note": {
        "en": "The change is that of the action's whole domain for the group chosen above, on "
        "comparable items; it shows whether things moved, not that the action moved them.",
        "es": "El cambio es el de todo el dominio de la acción para el grupo elegido arriba, en "
        "ítems comparables; muestra si algo se movió, no que lo moviera la acción.",
    },
    "report.action.no_change": {"en": "not comparable", "es": "no comparable"},
    "report.action.now": {
        "en": "Actions planned after this round", "es": "Acciones planificadas tras esta ronda",
    },
    "report.action.now_none": {
        "en": "No actions planned yet. Start from a priority below.",
        "es": "Todavía no hay acciones planificadas. Empieza por una prioridad, más abajo.",
    },
    "report.action.agency": {"en": "whole agency", "es": "toda la agencia"},
    "report.action.other_unit": {"en": "another unit", "es": "otra unidad"},
    "report.action.edit": {
        "en": "Change or delete an action", "es": "Cambiar o eliminar una acción",
    },
    "report.action.edit_pick": {"en": "Action", "es": "Acción"},
    "report.action.edit_status": {"en": "New status", "es": "Nuevo estado"},
    "report.action.edit_save": {"en": "Save the changes", "es": "Guardar los cambios"},
    "report.action.new": {"en": "Plan an action", "es": "Planificar una acción"},
    "report.action.agency_admins": {
        "en": "Choose one of your units above to plan an action for it.",
        "es": "Elige arriba una de tus unidades para planificar una acción para ella.",
    },
    "report.action.unit_gone": {
        "en": "This unit no longer exists in the organization, so no action can be planned "
        "for it.",
        "es": "Esta unidad ya no existe en la organización, así que no se pueden planificar "
        "acciones para ella.",
    },
    "report.action.for_scope": {
        "en": "The action will be planned for **{scope}**.",
        "es": "La acción se planificará para **{scope}**.",
    },
    "report.action.domain": {"en": "Domain", "es": "Dominio"},
    "report.action.item": {"en": "About", "es": "Sobre"},
    "report.action.whole_domain": {"en": "the whole domain", "es": "todo el dominio"},
    "report.action.title": {"en": "What will be done", "es": "Qué se hará"},
    "report.action.owner": {"en": "Owner", "es": "Responsable"},
    "report.action.due": {"en": "Due date", "es": "Fecha límite"},
    "report.action.indicator": {"en": "Indicator", "es": "Indicador"},
    "report.action.indicator_help": {
        "en": "What you will watch to know whether it worked, such as a domain score or a "
        "count.",
        "es": "Qué vas a observar para saber si funcionó, como la puntuación de un dominio o un "
        "recuento.",
    },
    "report.action.status": {"en": "Status", "es": "Estado"},
    "report.action.create": {"en": "Plan the action", "es": "Planificar la acción"},
    "report.action.created": {
        "en": "Action planned: “{title}”.", "es": "Acción planificada: «{title}».",
    },
    "report.action.status.planned": {"en": "planned", "es": "planificada"},
    "report.action.status.in progress": {"en": "in progress", "es": "en curso"},
    "report.action.status.done": {"en": "done", "es": "hecha"},
    "report.action.status.dropped": {"en": "dropped", "es": "descartada"},
    # changing, deleting and suggested actions
    "report.action.who_plans": {
        "en": "Leadership plans for the agency as a whole; managers plan for their own units "
        "and the units below them. Only those who plan for a group can change or delete its "
        "actions.",
        "es": "La dirección planifica para toda la agencia; cada responsable de unidad "
        "planifica para sus unidades y las que dependen de ellas. Solo quien planifica para un "
        "grupo puede cambiar o eliminar sus acciones.",
    },
    "report.action.description": {"en": "Description", "es": "Descripción"},
    "report.action.title_needed": {
        "en": "Write what will be done (the field “What will be done” is empty); nothing was "
        "saved.",
        "es": "Escribe qué se hará (el campo «Qué se hará» está vacío); no se guardó nada.",
    },
    "report.action.saved": {
        "en": "Changes saved: “{title}”.", "es": "Cambios guardados: «{title}».",
    },
    "report.action.delete_button": {"en": "Delete the action", "es": "Eliminar la acción"},
    "report.action.delete_confirm": {
        "en": "Delete “{title}”? It disappears from the plan, the reports and the staff "
        "summary; the audit log keeps that it was deleted.",
        "es": "¿Eliminar «{title}»? Desaparece del plan, de los informes y del resumen para el "
        "personal; el registro de auditoría conserva que se eliminó.",
    },
    "report.action.delete_yes": {"en": "Yes, delete it", "es": "Sí, eliminarla"},
    "report.action.delete_keep": {"en": "No, keep it", "es": "No, conservarla"},
    "report.action.deleted": {
        "en": "Action deleted: “{title}”.", "es": "Acción eliminada: «{title}».",
    },
    "report.action.suggestions": {
        "en": "Suggested actions for {domain} ({n})",
        "es": "Acciones sugeridas para {domain} ({n})",
    },
    "report.action.suggestions_lead": {
        "en": "Trauma-informed practices described in the publications named below each one. "
        "Use one to fill the form, then adapt it to your team.",
        "es": "Prácticas informadas sobre el trauma descritas en las publicaciones citadas "
        "debajo de cada una. Usa una para llenar el formulario y luego adáptala a tu equipo.",
    },
    "report.action.suggested_indicator": {
        "en": "Indicator to watch: {indicator}", "es": "Indicador a observar: {indicator}",
    },
    "report.action.sources": {"en": "Sources:", "es": "Fuentes:"},
    "report.action.use_suggestion": {
        "en": "Use this suggestion", "es": "Usar esta sugerencia",
    },
    # -- downloads ------------------------------------------------------------------------------
    "report.download.lead": {
        "en": "The same report to keep or share, with the same results withheld as on these "
        "pages.",
        "es": "El mismo informe para guardarlo o compartirlo, con los mismos resultados ocultos "
        "que en estas páginas.",
    },
    "report.download.pdf": {"en": "Download PDF", "es": "Descargar PDF"},
    "report.download.pdf_help": {
        "en": "A report to print or hand to a board: summary, charts, tables and methods.",
        "es": "Un informe para imprimir o entregar a un consejo: resumen, gráficos, tablas y "
        "métodos.",
    },
    "report.download.html": {"en": "Download web page (HTML)", "es": "Descargar página web (HTML)"},
    "report.download.html_help": {
        "en": "One self-contained file that opens in any browser, without internet.",
        "es": "Un único archivo que se abre en cualquier navegador, sin internet.",
    },
    "report.download.xlsx": {
        "en": "Download spreadsheet (XLSX)", "es": "Descargar hoja de cálculo (XLSX)",
    },
    "report.download.xlsx_help": {
        "en": "The aggregates as tables, with a codebook.",
        "es": "Los datos agregados en tablas, con un libro de códigos.",
    },
    "report.download.csv": {"en": "Download CSV", "es": "Descargar CSV"},
    "report.download.csv_help": {
        "en": "The aggregates as one plain table, for other tools (no comments: they are in "
        "the PDF and the web page).",
        "es": "Los datos agregados en una sola tabla de texto, para otras herramientas (sin "
        "comentarios: están en el PDF y en la página web).",
    },
    "report.download.codebook": {
        "en": "Download the codebook (CSV)", "es": "Descargar el libro de códigos (CSV)",
    },
    "report.download.codebook_help": {
        "en": "What each column and statistic of the CSV means, and the text of every domain "
        "and item.",
        "es": "Qué significa cada columna y cada estadístico del CSV, y el texto de cada "
        "dominio e ítem.",
    },
    # -- the staff summary ----------------------------------------------------------------------
    "results.title": {
        "en": "What we heard, what we will do", "es": "Lo que escuchamos, lo que haremos",
    },
    "results.lead": {
        "en": "After each round leadership shares what staff told us and what we will do "
        "about it. Only results for the agency as a whole are shown here, never for a unit "
        "or a person.",
        "es": "Después de cada ronda, la dirección comparte lo que nos dijo el personal y lo "
        "que vamos a hacer al respecto. Aquí solo se muestran resultados de toda la agencia, "
        "nunca de una unidad ni de una persona.",
    },
    "results.none": {
        "en": "No results have been published yet. Leadership publishes a summary here after "
        "a round closes.",
        "es": "Todavía no se ha publicado ningún resultado. La dirección publica aquí un "
        "resumen cuando se cierra una ronda.",
    },
    "results.no_agency": {
        "en": "There are no results to show here yet.",
        "es": "Todavía no hay resultados que mostrar aquí.",
    },
    "results.pick": {"en": "Round", "es": "Ronda"},
    "results.round": {
        "en": "{round} · closed {closes}", "es": "{round} · cerrada el {closes}",
    },
    "results.withheld": {
        "en": "Fewer than {k} people answered in this round, so no results are shown, to "
        "protect everyone's anonymity.",
        "es": "En esta ronda respondieron menos de {k} personas, así que no se muestran "
        "resultados, para proteger el anonimato de todos.",
    },
    "results.heard": {"en": "What we heard", "es": "Lo que escuchamos"},
    "results.responses": {
        "en": "**{n}** people at {organization} answered. Thank you.",
        "es": "Respondieron **{n}** personas de {organization}. Gracias.",
    },
    "results.rate": {
        "en": "That is {pct} of the people invited.",
        "es": "Es el {pct} de las personas invitadas.",
    },
    "results.strengths": {"en": "Where we are strong", "es": "Dónde somos fuertes"},
    "results.priorities": {"en": "What we need to work on", "es": "Lo que tenemos que mejorar"},
    "results.will_do": {"en": "What we will do", "es": "Lo que haremos"},
    "results.due": {"en": "by {date}", "es": "antes del {date}"},
    "results.no_actions": {
        "en": "Leadership has not listed its actions for this round yet. They will appear "
        "here.",
        "es": "La dirección todavía no ha publicado sus acciones para esta ronda. Aparecerán "
        "aquí.",
    },
    "results.before": {
        "en": "What became of the actions planned after {previous}",
        "es": "Qué pasó con las acciones planificadas tras {previous}",
    },
    "results.protection": {
        "en": "Results are shown only for groups of at least {k} people, and nothing stored "
        "links an answer to the person who gave it.",
        "es": "Solo se muestran resultados de grupos de al menos {k} personas, y nada de lo "
        "que se guarda vincula una respuesta con quien la dio.",
    },
    "results.unit": {"en": "Your unit", "es": "Tu unidad"},
    "results.unit_all": {"en": "The agency as a whole", "es": "Toda la agencia"},
    "results.unit_heard": {"en": "What we heard in {unit}", "es": "Lo que escuchamos en {unit}"},
    "results.unit_will_do": {
        "en": "What {unit} will do", "es": "Lo que hará {unit}",
    },
    "results.unit_no_actions": {
        "en": "No actions are listed for this unit yet.",
        "es": "Todavía no hay acciones para esta unidad.",
    },
    "results.unit_withheld": {
        "en": "Too few people in this unit answered (or its results protect a smaller group), "
        "so its results and actions are not shown here; they count in the agency's results. "
        "Groups of fewer than {k} people are never shown.",
        "es": "En esta unidad respondieron muy pocas personas (o sus resultados protegen a un "
        "grupo más pequeño), así que aquí no se muestran sus resultados ni sus acciones; "
        "cuentan en los resultados de la agencia. Nunca se muestran grupos de menos de {k} "
        "personas.",
    },
    "results.link": {
        "en": "See what we heard last time and what we are doing about it",
        "es": "Ver lo que escuchamos la última vez y lo que estamos haciendo al respecto",
    },
}
