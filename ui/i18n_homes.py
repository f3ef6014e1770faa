"""The words of the role homes (leadership, managers) and of pages a visitor may not open,
merged into `ui.i18n.STRINGS`."""

from __future__ import annotations

HOME_STRINGS: dict[str, dict[str, str]] = {
    "page.home_leadership": {"en": "Home", "es": "Inicio"},
    "page.home_manager": {"en": "Home", "es": "Inicio"},
    # -- pages a visitor may not open ------------------------------------------------------
    "refused.signin": {
        "en": "Sign in to open this page. Once you have signed in, you come back here.",
        "es": "Inicia sesión para abrir esta página. Una vez iniciada, vuelves aquí.",
    },
    "refused.leadership": {
        "en": "This page is for leadership. Your role does not open it; ask an admin if you "
        "need what it shows.",
        "es": "Esta página es para la dirección. Tu rol no la abre; si necesitas lo que "
        "muestra, pídeselo a una persona de administración.",
    },
    "refused.managers": {
        "en": "This page is for managers. Leadership find the same reports under Reports.",
        "es": "Esta página es para responsables de equipo. La dirección encuentra los mismos "
        "informes en Informes.",
    },
    "refused.signed_in": {
        "en": "You are signed in already.",
        "es": "Ya has iniciado sesión.",
    },
    "refused.home": {"en": "Go to your home page", "es": "Ir a tu página de inicio"},
    # -- leadership's home -----------------------------------------------------------------
    "lhome.title": {"en": "Your rounds", "es": "Tus rondas"},
    "lhome.lead": {
        "en": "Where each current round stands and what to do next.",
        "es": "En qué punto está cada ronda en curso y qué hacer a continuación.",
    },
    "lhome.none": {
        "en": "There is no round yet. Create the first one: choose the instrument, the units "
        "and how many people each invites.",
        "es": "Aún no hay ninguna ronda. Crea la primera: elige el instrumento, las unidades y "
        "cuántas personas invita cada una.",
    },
    "lhome.status": {"en": "**{status}** · {dates}", "es": "**{status}** · {dates}"},
    "lhome.invited": {
        "en": "{invited} people invited. Responses are counted from the launch.",
        "es": "{invited} personas invitadas. Las respuestas se cuentan desde el lanzamiento.",
    },
    "lhome.withheld": {
        "en": "{invited} people invited: fewer than {k}, so the number of responses is not "
        "shown (it could point at someone).",
        "es": "{invited} personas invitadas: menos de {k}, así que el número de respuestas no "
        "se muestra (podría señalar a alguien).",
    },
    "lhome.progress": {
        "en": "{responses} of {invited} invited have answered ({pct})",
        "es": "Han respondido {responses} de {invited} personas invitadas ({pct})",
    },
    "lhome.next": {"en": "Next:", "es": "Siguiente paso:"},
    "lhome.next.draft": {
        "en": "issue access codes or links for each unit, then launch the round.",
        "es": "entrega códigos de acceso o enlaces para cada unidad y lanza la ronda.",
    },
    "lhome.next.open": {
        "en": "follow the response rates; close the round when it ends, which computes the "
        "report.",
        "es": "sigue las tasas de respuesta; cierra la ronda cuando termine, lo que calcula el "
        "informe.",
    },
    "lhome.next.closed": {
        "en": "read the report, then publish it so staff see the results.",
        "es": "lee el informe y publícalo para que el personal vea los resultados.",
    },
    "lhome.next.published": {
        "en": "plan actions from the results, then prepare the next round.",
        "es": "planifica acciones a partir de los resultados y prepara la próxima ronda.",
    },
    "lhome.do.create": {"en": "Create a round", "es": "Crear una ronda"},
    "lhome.do.codes": {"en": "Issue codes", "es": "Entregar códigos"},
    "lhome.do.launch": {"en": "Launch the round", "es": "Lanzar la ronda"},
    "lhome.do.rates": {"en": "Response rates and codes", "es": "Tasas de respuesta y códigos"},
    "lhome.do.close": {"en": "Close the round", "es": "Cerrar la ronda"},
    "lhome.do.publish": {"en": "Publish the results", "es": "Publicar los resultados"},
    "lhome.do.report": {"en": "Read the report", "es": "Leer el informe"},
    "lhome.do.plan": {"en": "Plan actions", "es": "Planificar acciones"},
    "lhome.do.next_round": {"en": "Prepare the next round", "es": "Preparar la próxima ronda"},
    "lhome.all_rounds": {"en": "All rounds", "es": "Todas las rondas"},
    # -- a manager's home ------------------------------------------------------------------
    "mhome.title": {"en": "Your units", "es": "Tus unidades"},
    "mhome.none": {
        "en": "No results yet: a round's report appears here once leadership closes it.",
        "es": "Aún no hay resultados: el informe de una ronda aparece aquí cuando la dirección "
        "la cierra.",
    },
    "mhome.lead": {
        "en": "The latest report, **{round}**, for **{unit}**.",
        "es": "El último informe, **{round}**, de **{unit}**.",
    },
    "mhome.pick_unit": {"en": "Unit", "es": "Unidad"},
    "mhome.responses": {"en": "{n} responses.", "es": "{n} respuestas."},
    "mhome.scope_withheld": {
        "en": "The results of {unit} are not shown: {why}.",
        "es": "Los resultados de {unit} no se muestran: {why}.",
    },
    "mhome.col.change": {"en": "Change since {previous}", "es": "Cambio desde {previous}"},
    "mhome.col.change_none": {"en": "Change", "es": "Cambio"},
    "mhome.no_change": {"en": "— first round", "es": "— primera ronda"},
    "mhome.attention": {"en": "Needs attention", "es": "Requiere atención"},
    "mhome.attention.none": {
        "en": "Nothing stands out: no domain declined, agreement holds, no action is open.",
        "es": "Nada destaca: ningún dominio ha empeorado, hay acuerdo y no hay acciones "
        "abiertas.",
    },
    "mhome.attention.declined": {
        "en": "▼ **{domain}** declined ({diff} points).",
        "es": "▼ **{domain}** ha empeorado ({diff} puntos).",
    },
    "mhome.attention.agreement": {
        "en": "**{domain}**: staff of {units} agree little with each other.",
        "es": "**{domain}**: el personal de {units} coincide poco entre sí.",
    },
    "mhome.attention.split": {
        "en": "**{domain}**: the answers in {units} fall into two separate groups.",
        "es": "**{domain}**: las respuestas de {units} se dividen en dos grupos separados.",
    },
    "mhome.attention.action": {
        "en": "Action “{title}” ({domain}) is {status}.",
        "es": "La acción «{title}» ({domain}) está {status}.",
    },
    "mhome.action_status.planned": {"en": "planned", "es": "planificada"},
    "mhome.action_status.in progress": {"en": "in progress", "es": "en curso"},
    "mhome.to.report": {"en": "Read the full report", "es": "Leer el informe completo"},
    "mhome.to.change": {"en": "See the change and trend", "es": "Ver el cambio y la tendencia"},
    "mhome.to.comments": {"en": "Read the comments", "es": "Leer los comentarios"},
    "mhome.to.actions": {"en": "Open the action plan", "es": "Abrir el plan de acción"},
}
