"""The app's own words in English and Spanish, and the language selector.

Instrument text comes from the instrument itself; this module holds only the words of the app
around it (page titles, labels, explanations). Every string exists in every UI language: a
missing translation is a test failure, never a silent fallback.

The chosen language lives in ``st.session_state["lang"]``, the key of the selector that
``app.py`` draws once per run, so every page sees the same choice. It is also kept in the URL
(``?lang=es``), so a link can open the app in Spanish.
"""

from __future__ import annotations

import streamlit as st

from instruments.model import KNOWN_LANGUAGES, SOURCE_LANGUAGE
from ui.i18n_admin import ADMIN_STRINGS
from ui.i18n_homes import HOME_STRINGS
from ui.i18n_reports import REPORT_PAGE_STRINGS
from ui.i18n_signin import SIGNIN_STRINGS
from ui.i18n_survey import SURVEY_STRINGS
from ui.url_state import seed_from_url, show_in_url

UI_LANGUAGES: dict[str, str] = {code: KNOWN_LANGUAGES[code] for code in ("en", "es")}
LANG_KEY = "lang"

# key -> text per language. Placeholders use str.format; a key ending in ".one" / ".other" is
# chosen by `tn` from a count.
STRINGS: dict[str, dict[str, str]] = {
    # -- shell ----------------------------------------------------------------------------------
    "language.label": {"en": "Language · Idioma", "es": "Idioma · Language"},
    "section.start": {"en": "tisa", "es": "tisa"},
    "section.instruments": {"en": "Instruments", "es": "Instrumentos"},
    "page.home": {"en": "About tisa", "es": "Acerca de tisa"},
    "page.library": {"en": "Instrument library", "es": "Biblioteca de instrumentos"},
    # -- sign-in and roles ----------------------------------------------------------------------
    "section.account": {"en": "Your account", "es": "Tu cuenta"},
    "page.signin": {"en": "Sign in", "es": "Iniciar sesión"},
    "page.account": {"en": "Your access", "es": "Tu acceso"},
    "role.admin": {"en": "admin", "es": "administración"},
    "role.manager": {"en": "manager", "es": "responsable de equipo"},
    "account.signed_in_as": {
        "en": "Signed in as **{name}** ({role})",
        "es": "Sesión iniciada como **{name}** ({role})",
    },
    "account.sign_out": {"en": "Sign out", "es": "Cerrar sesión"},
    "access.signin_needed": {
        "en": "This page is for leadership and managers who have signed in. Sign in first "
        "(staff answering a survey never need to).",
        "es": "Esta página es para la dirección y responsables de equipo con la sesión iniciada. "
        "Inicia sesión primero (el personal que responde una encuesta nunca lo necesita).",
    },
    "access.denied": {
        "en": "Your role ({role}) does not give access to this page. Ask an admin if you need it.",
        "es": "Tu rol ({role}) no da acceso a esta página. Si la necesitas, pídeselo a una "
        "persona de administración.",
    },
    "signin.title": {"en": "Sign in", "es": "Iniciar sesión"},
    "signin.lead": {
        "en": "Agency leadership and managers sign in to set up rounds, follow them and read "
        "the reports of their units.",
        "es": "La dirección de la agencia y responsables de equipo inician sesión para preparar "
        "rondas, seguirlas y leer los informes de sus unidades.",
    },
    "signin.go": {"en": "Go to the sign-in form", "es": "Ir al formulario de inicio de sesión"},
    "signin.demo.title": {"en": "Demo sign-ins", "es": "Accesos de demostración"},
    "signin.demo.text": {
        "en": "This installation holds the demo agency, Riverbend Family Services, with made-up "
        "data. Sign in with one of these to look around:",
        "es": "Esta instalación contiene la agencia de demostración, Riverbend Family Services, "
        "con datos inventados. Inicie sesión con uno de estos accesos para recorrerla:",
    },
    "signin.demo.everything": {"en": "the whole agency", "es": "toda la agencia"},
    "signin.demo.row": {
        "en": "**{username}** / `{password}`: {role}, sees {sees}",
        "es": "**{username}** / `{password}`: {role}, ve {sees}",
    },
    "signin.staff.title": {"en": "Answering a survey?", "es": "¿Vas a responder una encuesta?"},
    "signin.staff.text": {
        "en": "Staff who answer a survey never sign in and never give their name: open the "
        "survey link you received, or type the access code you were given. Nothing you answer is "
        "linked to you.",
        "es": "El personal que responde una encuesta nunca inicia sesión ni da su nombre: abre "
        "el enlace de la encuesta que recibiste o escribe el código de acceso que te dieron. Nada "
        "de lo que respondes queda vinculado a ti.",
    },
    "signin.setup.title": {
        "en": "Setting up tisa for the first time?",
        "es": "¿Es la primera vez que se configura tisa?",
    },
    "signin.setup.text": {
        "en": "IT adds the first admin with `tisa init --admin-user NAME`, and then other admins "
        "and managers with `tisa users add NAME --role manager --unit CODE`.",
        "es": "El equipo de informática crea la primera persona de administración con "
        "`tisa init --admin-user NOMBRE` y después las demás, y a responsables de equipo, con "
        "`tisa users add NOMBRE --role manager --unit CÓDIGO`.",
    },
    "account.title": {"en": "Your access", "es": "Tu acceso"},
    "account.name": {"en": "Name", "es": "Nombre"},
    "account.username": {"en": "Username", "es": "Nombre de usuario"},
    "account.role": {"en": "Role", "es": "Rol"},
    "account.scope.title": {"en": "What you can see", "es": "Qué puedes ver"},
    "account.scope.admin": {
        "en": "As an admin you see every unit of the organization.",
        "es": "Como persona de administración ves todas las unidades de la organización.",
    },
    "account.scope.units": {
        "en": "You can read the reports of these units and of every unit below them:",
        "es": "Puedes leer los informes de estas unidades y de todas las que dependen de ellas:",
    },
    "account.scope.none": {
        "en": "No unit is in your scope yet, so you see agency-wide results only. Ask an admin "
        "to add your units.",
        "es": "Todavía no tienes unidades asignadas, así que solo ves los resultados de toda la "
        "agencia. Pide a una persona de administración que añada tus unidades.",
    },
    "account.session": {
        "en": "Your sign-in lasts up to 12 hours in this browser, and ends sooner after {idle} "
        "minutes without opening a page. On a shared computer, sign out when you are done.",
        "es": "Tu sesión dura hasta 12 horas en este navegador y termina antes si pasan {idle} "
        "minutos sin abrir ninguna página. En un equipo compartido, cierra la sesión al "
        "terminar.",
    },
    "login.title": {"en": "Sign in to tisa", "es": "Inicia sesión en tisa"},
    "login.lead": {
        "en": "For agency leadership and managers. Staff answering a survey never sign in: use "
        "your survey link or access code instead.",
        "es": "Para la dirección de la agencia y responsables de equipo. El personal que "
        "responde una encuesta nunca inicia sesión: usa tu enlace o tu código de acceso.",
    },
    "login.username": {"en": "Username", "es": "Nombre de usuario"},
    "login.password": {"en": "Password", "es": "Contraseña"},
    "login.submit": {"en": "Sign in", "es": "Iniciar sesión"},
    "login.back": {"en": "Back to tisa", "es": "Volver a tisa"},
    "login.missing": {
        "en": "Enter both your username and your password.",
        "es": "Escribe tu nombre de usuario y tu contraseña.",
    },
    "login.refused": {
        "en": "The username or the password is not right, or there were too many attempts. "
        "Check both and try again in a minute.",
        "es": "El nombre de usuario o la contraseña no son correctos, o ha habido demasiados "
        "intentos. Revisa ambos y vuelve a intentarlo dentro de un minuto.",
    },
    "login.cross_origin": {
        "en": "This request came from another website and was refused. Open tisa's own "
        "sign-in page and try again.",
        "es": "Esta solicitud venía de otro sitio web y se ha rechazado. Abre la página de inicio "
        "de sesión de tisa y vuelve a intentarlo.",
    },
    "login.unavailable": {
        "en": "Signing in is not possible right now: tisa cannot use its database. Try again in "
        "a few minutes, or tell IT.",
        "es": "Ahora no es posible iniciar sesión: tisa no puede usar su base de datos. Vuelve a "
        "intentarlo en unos minutos o avisa al equipo de informática.",
    },
    # -- home -----------------------------------------------------------------------------------
    "home.title": {
        "en": "tisa — Trauma-Informed Self-Assessment",
        "es": "tisa — Autoevaluación informada sobre el trauma",
    },
    "home.lead": {
        "en": "tisa helps child-welfare and social-service agencies find out how trauma-informed "
        "they are as organizations, round after round, and act on what they learn.",
        "es": "tisa ayuda a las agencias de bienestar infantil y de servicios sociales a saber "
        "cuán informadas sobre el trauma están como organizaciones, ronda tras ronda, y a "
        "actuar según lo que aprenden.",
    },
    "home.who": {"en": "Who it is for", "es": "Para quién es"},
    "home.leadership.title": {"en": "Agency leadership", "es": "Dirección de la agencia"},
    "home.leadership.text": {
        "en": "Choose an instrument, launch a round for the units you pick, hand out access "
        "codes, follow response rates, and share the results with staff.",
        "es": "Elige un instrumento, lanza una ronda para las unidades que decidas, reparte "
        "códigos de acceso, sigue la tasa de respuesta y comparte los resultados con el "
        "personal.",
    },
    "home.staff.title": {"en": "Frontline staff", "es": "Personal de primera línea"},
    "home.staff.text": {
        "en": "Answer anonymously, in English or Spanish. Skip any question, answer “not "
        "applicable”, pause and come back later.",
        "es": "Responde de forma anónima, en inglés o en español. Puedes saltar cualquier "
        "pregunta, responder «no aplica», hacer una pausa y volver más tarde.",
    },
    "home.managers.title": {"en": "Managers", "es": "Responsables de equipo"},
    "home.managers.text": {
        "en": "Read the improvement report for your units: scores with their uncertainty, "
        "change since the last round, strengths and priorities, and plan actions.",
        "es": "Lee el informe de mejora de tus unidades: puntuaciones con su incertidumbre, "
        "cambios desde la ronda anterior, fortalezas y prioridades, y planifica acciones.",
    },
    "home.safety.title": {
        "en": "How answers are protected",
        "es": "Cómo se protegen las respuestas",
    },
    "home.safety.text": {
        "en": "Leadership cannot see who answered. Results for a group smaller than the round's "
        "minimum size (five people unless leadership sets another) are never shown, no results "
        "are shown while a round is open, and once it closes nothing stored links an access "
        "code to an answer. No question is ever required.",
        "es": "La dirección no puede ver quién respondió. Nunca se muestran resultados de un "
        "grupo menor que el mínimo de la ronda (cinco personas, salvo que la dirección fije "
        "otro), no se muestra ningún resultado mientras la ronda está abierta y, una vez "
        "cerrada, nada de lo que se guarda vincula un código de acceso con una respuesta. "
        "Ninguna pregunta es obligatoria.",
    },
    "home.library_link": {
        "en": "Browse the questionnaires in the instrument library",
        "es": "Consulta los cuestionarios en la biblioteca de instrumentos",
    },
    # -- library: header ------------------------------------------------------------------------
    "library.title": {"en": "Instrument library", "es": "Biblioteca de instrumentos"},
    "library.intro": {
        "en": "The questionnaires that come with tisa. A published version never changes: a "
        "round keeps the exact definition it was launched with, and its fingerprint.",
        "es": "Los cuestionarios que trae tisa. Una versión publicada nunca cambia: cada ronda "
        "guarda la definición exacta con la que se lanzó y su huella digital.",
    },
    "library.broken": {
        "en": "The instrument library could not be loaded. Fix these files and restart tisa:",
        "es": "No se pudo cargar la biblioteca de instrumentos. Corrige estos archivos y reinicia "
        "tisa:",
    },
    "library.empty": {
        "en": "The instrument library is empty: put instrument files in instruments/library/.",
        "es": "La biblioteca de instrumentos está vacía: coloca los archivos de instrumentos en "
        "instruments/library/.",
    },
    "library.pick_instrument": {"en": "Instrument", "es": "Instrumento"},
    "library.pick_version": {"en": "Version", "es": "Versión"},
    "library.no_translation": {
        "en": "This version has no {language} text; it is shown in {source}.",
        "es": "Esta versión no tiene texto en {language}; se muestra en {source}.",
    },
    "library.domains": {"en": "Domains", "es": "Dominios"},
    "library.items": {"en": "Items", "es": "Ítems"},
    "library.minutes": {"en": "Minutes to answer", "es": "Minutos para responder"},
    "library.minutes_value": {"en": "about {n}", "es": "unos {n}"},
    "library.languages": {"en": "Languages", "es": "Idiomas"},
    "library.fingerprint": {
        "en": "Fingerprint (SHA-256 of the definition). A round stores it, so anyone can check "
        "that the questions answered are exactly these.",
        "es": "Huella digital (SHA-256 de la definición). Cada ronda la guarda, así cualquiera "
        "puede comprobar que las preguntas respondidas son exactamente estas.",
    },
    "library.first_version": {
        "en": "This is the first version in the library: there is no earlier one to compare with.",
        "es": "Es la primera versión en la biblioteca: no hay una anterior con la que compararla.",
    },
    "library.tab.domains": {"en": "Domains and items", "es": "Dominios e ítems"},
    "library.tab.scales": {"en": "Response scales", "es": "Escalas de respuesta"},
    "library.tab.changes": {
        "en": "What changed since {version}",
        "es": "Qué cambió desde la versión {version}",
    },
    # -- library: domains -----------------------------------------------------------------------
    "library.reverse_note": {
        "en": "Items marked {badge} are worded so that agreeing is unfavorable; scoring reverses "
        "them (lowest ↔ highest) before averaging.",
        "es": "Los ítems marcados {badge} están redactados de modo que estar de acuerdo es "
        "desfavorable; la puntuación los invierte (menor ↔ mayor) antes de promediar.",
    },
    "library.n_items.one": {"en": "{n} item", "es": "{n} ítem"},
    "library.n_items.other": {"en": "{n} items", "es": "{n} ítems"},
    "library.why": {"en": "Why we ask", "es": "Por qué preguntamos"},
    "library.col.id": {"en": "ID", "es": "ID"},
    "library.col.statement": {"en": "Statement", "es": "Enunciado"},
    "library.col.scale": {"en": "Scale", "es": "Escala"},
    "library.col.keying": {"en": "Keying", "es": "Sentido"},
    "library.col.since": {"en": "Since {version}", "es": "Desde la versión {version}"},
    "library.reverse": {"en": "↺ reverse-keyed", "es": "↺ inverso"},
    "library.items_alt": {
        "en": "Items of the domain {domain}: id, statement, response scale and keying",
        "es": "Ítems del dominio {domain}: id, enunciado, escala de respuesta y sentido",
    },
    # -- library: scales ------------------------------------------------------------------------
    "library.col.point": {"en": "Point", "es": "Punto"},
    "library.col.label": {"en": "Label", "es": "Etiqueta"},
    "library.col.favorable": {"en": "Favorable", "es": "Favorable"},
    "library.favorable_mark": {"en": "✓ favorable", "es": "✓ favorable"},
    "library.scale_alt": {
        "en": "Points of the scale {scale}, their labels and which are favorable",
        "es": "Puntos de la escala {scale}, sus etiquetas y cuáles son favorables",
    },
    "library.not_applicable": {
        "en": "Every item also offers “{label}”. It counts as a missing answer, never as zero.",
        "es": "Cada ítem ofrece además «{label}». Cuenta como respuesta que falta, nunca como "
        "cero.",
    },
    "library.min_answered": {
        "en": "A person's domain score is computed when they answered at least {pct}% of the "
        "domain's items (all of them when a domain has three items or fewer).",
        "es": "La puntuación de una persona en un dominio se calcula cuando respondió al menos "
        "el {pct} % de sus ítems (todos, si el dominio tiene tres ítems o menos).",
    },
    "library.used_by": {"en": "Used by {n} of the items.", "es": "La usan {n} de los ítems."},
    # -- library: changes -----------------------------------------------------------------------
    "changes.intro": {
        "en": "Comparing {after} with {before}. Only items that stayed comparable (unchanged or "
        "reworded) enter a comparison of scores between rounds that used different versions.",
        "es": "Comparación de {after} con {before}. Solo los ítems que siguen siendo comparables "
        "(sin cambios o reformulados) entran en la comparación de puntuaciones entre rondas "
        "que usaron versiones distintas.",
    },
    "changes.items": {"en": "Items that changed", "es": "Ítems que cambiaron"},
    "changes.none": {
        "en": "No item changed between these versions.",
        "es": "Ningún ítem cambió entre estas versiones.",
    },
    "changes.domains": {
        "en": "Can domain scores be compared?",
        "es": "¿Se pueden comparar las puntuaciones de cada dominio?",
    },
    "changes.col.change": {"en": "Change", "es": "Cambio"},
    "changes.col.item": {"en": "Item", "es": "Ítem"},
    "changes.col.domain": {"en": "Domain", "es": "Dominio"},
    "changes.col.before": {"en": "Wording in {version}", "es": "Redacción en la versión {version}"},
    "changes.col.after": {"en": "Wording in {version}", "es": "Redacción en la versión {version}"},
    "changes.col.verdict": {"en": "Scores", "es": "Puntuaciones"},
    "changes.col.comparable": {"en": "Comparable items", "es": "Ítems comparables"},
    "changes.n_of": {"en": "{n} of {total}", "es": "{n} de {total}"},
    "changes.items_alt": {
        "en": "Items that changed between {before} and {after}, with their wording before and now",
        "es": "Ítems que cambiaron entre {before} y {after}, con su redacción antes y ahora",
    },
    "changes.domains_alt": {
        "en": "For each domain, whether scores compare between {before} and {after}",
        "es": "Para cada dominio, si las puntuaciones se comparan entre {before} y {after}",
    },
    "changes.legend": {
        "en": "{reworded}: new words, same meaning and answer choices: scores compare. "
        "{changed}: the meaning, the answer choices or the keying changed: scores do not "
        "compare. {added} and {removed}: in one version only.",
        "es": "{reworded}: otras palabras, el mismo significado y las mismas opciones de "
        "respuesta: las puntuaciones se comparan. {changed}: cambió el significado, las opciones "
        "de respuesta o el sentido: las puntuaciones no se comparan. {added} y {removed}: solo "
        "en una de las versiones.",
    },
    "change.unchanged": {"en": "unchanged", "es": "sin cambios"},
    "change.reworded": {"en": "reworded", "es": "reformulado"},
    "change.changed": {"en": "changed", "es": "cambiado"},
    "change.added": {"en": "added", "es": "nuevo"},
    "change.removed": {"en": "removed", "es": "eliminado"},
    "verdict.comparable": {"en": "comparable", "es": "comparables"},
    "verdict.partially comparable": {
        "en": "partially comparable",
        "es": "parcialmente comparables",
    },
    "verdict.not comparable": {"en": "not comparable", "es": "no comparables"},
    # -- instrument vocabulary ------------------------------------------------------------------
    "status.draft": {"en": "draft", "es": "borrador"},
    "status.published": {"en": "published", "es": "publicada"},
    "status.retired": {"en": "retired", "es": "retirada"},
    "form.staff": {"en": "staff form", "es": "formulario del personal"},
    "form.leadership": {"en": "leadership form", "es": "formulario de la dirección"},
    "form.pulse": {"en": "pulse form", "es": "formulario breve (pulso)"},
}


# The words of larger areas live in modules of their own and are merged here; a key defined
# twice is a mistake, caught by tests/ui/test_i18n.py.
for _area in (SURVEY_STRINGS, ADMIN_STRINGS, REPORT_PAGE_STRINGS, SIGNIN_STRINGS,
              HOME_STRINGS):
    _twice = STRINGS.keys() & _area.keys()
    if _twice:
        raise KeyError(f"UI strings defined twice: {sorted(_twice)}")
    STRINGS.update(_area)


def language_from_locale(locale: object) -> str:
    """The UI language for a browser's language tag (``st.context.locale``, e.g. "es-MX" → es);
    English for a language tisa does not speak or no tag at all."""
    if not isinstance(locale, str):
        return SOURCE_LANGUAGE
    primary = locale.strip().split("-")[0].split("_")[0].lower()
    return primary if primary in UI_LANGUAGES else SOURCE_LANGUAGE


def browser_language() -> str:
    """The UI language the browser asks for (English when it says nothing tisa speaks)."""
    try:
        return language_from_locale(st.context.locale)
    except (AttributeError, RuntimeError):  # no browser: a bare script run
        return SOURCE_LANGUAGE


def current_language() -> str:
    """The language the person chose (English until they choose)."""
    lang = st.session_state.get(LANG_KEY)
    return lang if lang in UI_LANGUAGES else SOURCE_LANGUAGE


def t(key: str, lang: str | None = None, **values: object) -> str:
    """The app's text for ``key`` in ``lang`` (default: the current language)."""
    text = STRINGS[key][lang or current_language()]
    return text.format(**values) if values else text


def tn(key: str, n: int, lang: str | None = None, **values: object) -> str:
    """Like `t` for a text that depends on a count: ``key.one`` for 1, ``key.other`` otherwise."""
    return t(f"{key}.{'one' if n == 1 else 'other'}", lang, n=n, **values)


def language_selector(where: st.delta_generator.DeltaGenerator | None = None) -> str:
    """Draw the English / Español switch (once per run, from app.py) and return the choice.

    The first choice comes from ``?lang=`` when the address has one, otherwise from the
    browser's language (a Spanish phone opens tisa in Spanish); the choice is kept in the
    address (``?lang=es``), so a link or a reload opens tisa in the same language.
    """
    where = where if where is not None else st.sidebar
    seed_from_url(LANG_KEY, UI_LANGUAGES, browser_language())
    where.segmented_control(
        t("language.label"),
        options=list(UI_LANGUAGES),
        format_func=UI_LANGUAGES.__getitem__,
        required=True,
        key=LANG_KEY,
    )
    lang = current_language()
    show_in_url(LANG_KEY, lang, default=SOURCE_LANGUAGE)
    return lang
