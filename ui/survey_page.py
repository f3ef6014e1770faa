"""The survey, for the staff who answer it: no sign-in, opened with a code or a unit link.

``/survey?code=K7QXM-2RB9T-WHN46`` (or a code typed into the field, or ``/survey?link=...``,
which issues a fresh resume code) → welcome → one page per domain → the respondent's role →
review → submit → thanks.

The draft in the database is the source of truth (`storage.survey_service`): it is saved as
each answer, comment or role is given (one short transaction each) and on every change of page
and of language, and the code stays in the URL, so a reload, a dropped connection, a closed tab
or another device resumes where the person left off. When a code is opened in a browser session
its draft is put into the widgets' keys once, before any widget is drawn.

Respondents see only the survey: when no one is signed in the app's sidebar is hidden on this
page, and the language switch sits at its top.

The steps and the bookkeeping (which items are unanswered, progress, time counted) are in
`ui.survey_flow`; failed code attempts are limited by `ui.code_attempts`.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, date, datetime
from typing import Literal

import streamlit as st
from sqlalchemy.orm import Session, sessionmaker

from instruments.model import KNOWN_LANGUAGES, SOURCE_LANGUAGE
from storage.engine import DATABASE_ERRORS, database_url, shared_factory, transaction
from storage.errors import InvalidInput, NotFound, StorageError
from storage.survey_service import (
    CLOSING_COMMENT,
    MAX_COMMENT_LENGTH,
    DraftUpdate,
    SubmissionFailed,
    SurveyState,
    SurveyUnavailable,
    open_survey,
    save_draft,
    start_from_link,
    submit_response,
)
from ui.code_attempts import CodeAttempts
from ui.i18n import LANG_KEY, UI_LANGUAGES, current_language, t, tn
from ui.markdown_text import escape
from ui.navigation import page_path
from ui.session_user import current_user
from ui.survey_flow import (
    PREFER_NOT_TO_SAY,
    ROLE_KEY,
    ROLE_OPTIONS,
    ActiveClock,
    Steps,
    answer_key,
    answers_from,
    comment_key,
    comments_from,
    option_labels,
    options,
    role_from,
    scale_range,
    unanswered,
    widget_values,
)

CODE_PARAM = "code"
LINK_PARAM = "link"

# Session State of the survey (the answers themselves are under `ui.survey_flow` keys)
CODE_KEY = "survey_code"  # the code being answered
LOADED_KEY = "survey_loaded"  # the code whose draft is in the widgets
STEP_KEY = "survey_step"
SAVE_KEY = "survey_save_pending"  # a page change asked for a save
STORED_KEY = "survey_stored"  # the answers, comments and role the draft holds
SUBMIT_KEY = "survey_submit_requested"
SAVED_LANGUAGE_KEY = "survey_saved_language"
CLOCK_KEY = "survey_clock"
ATTEMPTS_KEY = "survey_code_attempts"
FROM_LINK_KEY = "survey_from_link"  # the code was just issued from a unit link
THANKS_KEY = "survey_thanks"
LANGUAGE_PICK_KEY = "survey_language_pick"
CODE_INPUT_KEY = "survey_code_input"

# Answers stay in their widgets while their domain is not shown, and when the person opens
# another page of the app and comes back ("page" would drop them on a page switch, and the next
# save would then store an empty draft).
PERSIST = "session"
SURVEY_WIDTH = 760  # pixels: a readable column; narrower screens get their own width


# A step the database could not carry out for a reason that is not the respondent's: a
# lock held too long, a refused write, a table it cannot read, a full disk. The respondent sees
# a plain message in the survey's language; the server log gets the step and the error's class,
# never its text (a driver's message can quote a row: a code's hash, an answer, a comment).
DATABASE_TROUBLE = (*DATABASE_ERRORS, StorageError)
log = logging.getLogger("tisa.survey")


def _factory() -> sessionmaker[Session]:
    return shared_factory(database_url())


def _log_trouble(step: str, error: BaseException) -> None:
    cause = getattr(error, "orig", None)
    log.error(
        "survey %s failed: %s%s",
        step,
        type(error).__name__,
        f" ({type(cause).__module__}.{type(cause).__name__})" if cause is not None else "",
    )


# -- callbacks (run before the page, so they may change any widget's value) -------------------


def _go(step: int) -> None:
    st.session_state[STEP_KEY] = step
    st.session_state[SAVE_KEY] = True


def _request_submit() -> None:
    if THANKS_KEY not in st.session_state:
        st.session_state[SUBMIT_KEY] = True


def _start_over() -> None:
    st.session_state.pop(THANKS_KEY, None)


def _pick_language() -> None:
    st.session_state[LANG_KEY] = st.session_state[LANGUAGE_PICK_KEY]


# -- the code ----------------------------------------------------------------------------------


def _attempts() -> CodeAttempts:
    if ATTEMPTS_KEY not in st.session_state:
        st.session_state[ATTEMPTS_KEY] = CodeAttempts()
    return st.session_state[ATTEMPTS_KEY]


def _forget_code() -> None:
    for key in (CODE_KEY, LOADED_KEY, FROM_LINK_KEY):
        st.session_state.pop(key, None)
    if CODE_PARAM in st.query_params:
        del st.query_params[CODE_PARAM]


def _refuse(reason: str, lang: str | None = None) -> None:
    st.error(t(f"survey.error.{reason}", lang))


def _code_from_link(token: str) -> str | None:
    """Start from an open unit link: a fresh resume code, or None (the refusal is shown)."""
    del st.query_params[LINK_PARAM]
    try:
        with transaction(_factory(), write=True) as session:
            code = start_from_link(session, token)
    except SurveyUnavailable as refused:
        _refuse(refused.reason)
        return None
    except DATABASE_TROUBLE as trouble:
        _log_trouble("start from a link", trouble)
        st.query_params[LINK_PARAM] = token  # the link is kept, to try again
        _refuse("unavailable")
        return None
    st.session_state[FROM_LINK_KEY] = True
    return code


def _current_code() -> str | None:
    """The code to answer with: from the URL, from this session, or issued for a unit link."""
    from_url = st.query_params.get(CODE_PARAM)
    if from_url:
        if from_url != st.session_state.get(CODE_KEY):
            st.session_state[CODE_KEY] = from_url
        return from_url
    if st.session_state.get(CODE_KEY):
        return st.session_state[CODE_KEY]
    token = st.query_params.get(LINK_PARAM)
    if token:
        code = _code_from_link(token)
        if code is not None:
            st.session_state[CODE_KEY] = code
            return code
    return None


def _code_entry() -> None:
    """The field to type a code into; a code that is typed is opened on the next run."""
    st.markdown(t("survey.entry.lead"))
    with st.form("survey_code_form", border=False):
        typed = st.text_input(
            t("survey.entry.label"),
            key=CODE_INPUT_KEY,
            placeholder="XXXXX-XXXXX-XXXXX",
            autocomplete="off",
        )
        st.caption(t("survey.entry.help"))
        submitted = st.form_submit_button(
            t("survey.entry.submit"), type="primary", key="survey_code_submit"
        )
    st.caption(t("survey.entry.privacy"))
    if not submitted:
        return
    wait = _attempts().seconds_to_wait(time.monotonic())
    if wait:
        st.error(t("survey.entry.wait", seconds=wait))
    elif not (typed or "").strip():
        st.warning(t("survey.entry.empty"))
    else:
        st.session_state[CODE_KEY] = typed.strip()
        st.rerun()


def _open(code: str) -> SurveyState | str:
    """The survey behind `code`, or the reason it cannot be answered."""
    try:
        with transaction(_factory()) as session:
            return open_survey(session, code)
    except SurveyUnavailable as refused:
        return refused.reason
    except NotFound:
        return "unknown"
    except DATABASE_TROUBLE as trouble:
        _log_trouble("opening", trouble)
        return "unavailable"


# -- language and resuming ---------------------------------------------------------------------


def survey_language(state: SurveyState) -> str:
    """The language chosen in the app, when the round offers it; else the round's first."""
    lang = current_language()
    return lang if lang in state.languages else state.languages[0]


def _switch_language_now(lang: str) -> None:
    """Switch the whole app to `lang` from inside the page, after the app's language switch
    was drawn: the URL carries the choice into a fresh run, where that switch takes it."""
    if lang == SOURCE_LANGUAGE:
        if LANG_KEY in st.query_params:
            del st.query_params[LANG_KEY]
    else:
        st.query_params[LANG_KEY] = lang
    if LANG_KEY in st.session_state:
        del st.session_state[LANG_KEY]
    st.rerun()


def _resume(state: SurveyState, steps: Steps) -> None:
    """Put the saved draft into the widgets (once per code and browser session)."""
    values = widget_values(state.instrument, state.answers, state.comments, state.role)
    for key, value in values.items():
        st.session_state[key] = value
    st.session_state[STEP_KEY] = steps.clamp(state.current_page)
    st.session_state[SAVED_LANGUAGE_KEY] = state.language or survey_language(state)
    st.session_state[CLOCK_KEY] = ActiveClock()
    st.session_state[LOADED_KEY] = state.code
    st.session_state[STORED_KEY] = _given(state)
    _attempts().succeeded()
    if (
        state.language in UI_LANGUAGES
        and state.language in state.languages
        and state.language != current_language()
    ):
        _switch_language_now(state.language)


def _given(state: SurveyState) -> tuple[object, ...]:
    """The answers, comments and role given so far, to compare with what the draft holds: a
    run that finds them changed saves them, whatever widget changed and whichever run of the
    page saw it first."""
    values = st.session_state
    return (
        answers_from(state.instrument, values),
        comments_from(state.instrument, values),
        role_from(values.get(ROLE_KEY)),
    )


def _update(state: SurveyState, lang: str, step: int, seconds: int) -> DraftUpdate:
    values = st.session_state
    return DraftUpdate(
        answers=answers_from(state.instrument, values),
        comments=comments_from(state.instrument, values),
        role=role_from(values.get(ROLE_KEY)),
        language=lang,
        current_page=step,
        added_seconds=seconds,
    )


def _save(state: SurveyState, lang: str) -> Literal["saved", "failed", "refused"]:
    """Save the draft. "failed" (the reason shown) when this save did not work but the survey
    goes on (the answers stay on the screen and the next change saves them); "refused" (the
    reason shown) when the survey cannot take answers with this code any more."""
    clock: ActiveClock = st.session_state[CLOCK_KEY]
    seconds = clock.whole_seconds()
    update = _update(state, lang, st.session_state[STEP_KEY], seconds)
    try:
        with transaction(_factory(), write=True) as session:
            save_draft(session, state.code, update)
    except SurveyUnavailable as refused:
        _forget_code()
        _refuse(refused.reason)
        return "refused"
    except InvalidInput as bad:
        st.error(t("survey.error.invalid", lang))
        st.caption(escape(str(bad)))
        return "failed"
    except DATABASE_TROUBLE as trouble:
        _log_trouble("save", trouble)
        _refuse("storage", lang)
        return "failed"
    st.session_state[CLOCK_KEY] = clock.sent(seconds)
    st.session_state[SAVED_LANGUAGE_KEY] = lang
    st.session_state[STORED_KEY] = (update.answers, update.comments, update.role)
    return "saved"


def _submit(state: SurveyState, lang: str, steps: Steps) -> bool:
    """Submit; on success the page shows the thanks (and the code leaves the URL). False when
    the survey cannot take the answers any more (the reason is shown), True when the page
    should go on (an answer was refused: the message says so)."""
    clock: ActiveClock = st.session_state[CLOCK_KEY]
    update = _update(state, lang, steps.review, clock.whole_seconds())
    try:
        # One transaction: once it has committed the answers are stored, and nothing else
        # runs before the thanks are shown.
        with transaction(_factory(), write=True) as session:
            submit_response(session, state.code, update)
    except SurveyUnavailable as refused:
        _forget_code()
        _refuse(refused.reason)
        return False
    except InvalidInput as bad:
        st.error(t("survey.error.invalid", lang))
        st.caption(escape(str(bad)))
        return True
    except (SubmissionFailed, *DATABASE_TROUBLE) as trouble:
        _log_trouble("submission", trouble)
        _refuse("storage", lang)  # nothing was kept: submitting again is safe
        return True
    for key in widget_values(state.instrument, {}, {}, None):
        st.session_state.pop(key, None)
    for key in (STEP_KEY, SAVED_LANGUAGE_KEY, CLOCK_KEY, CODE_INPUT_KEY, STORED_KEY):
        st.session_state.pop(key, None)
    _forget_code()
    st.session_state[THANKS_KEY] = {
        "min_group_size": state.min_group_size,
        "closes_on": state.closes_on,
    }
    st.rerun()
    return False  # not reached: st.rerun stops the run


# -- the steps ---------------------------------------------------------------------------------

# Streamlit keeps the scroll position across reruns, so after "Next" at the bottom of a long
# section the next one would open in its middle (on a phone, far down). The script runs when its
# element first appears, that is once per step: its text changes with the step. It only scrolls
# the page; it sends nothing anywhere.
_SCROLL_TO_TOP = (
    "<script>/* step {step} */"
    "document.querySelector('[data-testid=\"stMain\"]')?.scrollTo(0, 0);"
    "window.scrollTo(0, 0);</script>"
)


def _start_at_the_top(step: int) -> None:
    st.html(_SCROLL_TO_TOP.format(step=step), unsafe_allow_javascript=True)


def _nav(lang: str, back: int | None, forward: int | None, forward_label: str) -> None:
    with st.container(horizontal=True):
        if back is not None:
            st.button(t("survey.back", lang), key="survey_back", on_click=_go, args=(back,))
        if forward is not None:
            st.button(
                forward_label, key="survey_next", type="primary", on_click=_go, args=(forward,)
            )


def show_welcome(state: SurveyState, lang: str) -> None:
    instrument = state.instrument
    if st.session_state.get(FROM_LINK_KEY):
        st.info(t("survey.code.write_down", lang, code=state.code))
    st.header(t("survey.welcome.heading", lang), anchor=False)
    st.markdown(f"**{escape(instrument.title[lang])}** · {escape(state.round_name)}")
    if state.unit_name:
        st.markdown(t("survey.welcome.unit", lang, unit=escape(state.unit_name)))

    st.subheader(t("survey.welcome.why.title", lang), anchor=False)
    st.markdown(t("survey.welcome.why", lang))
    st.subheader(t("survey.welcome.choice.title", lang), anchor=False)
    st.markdown(t("survey.welcome.choice", lang, na=escape(instrument.not_applicable[lang])))
    # Only what the design keeps (docs/anonymity.md), and where to read the rest.
    st.subheader(t("survey.welcome.privacy.title", lang), anchor=False)
    st.markdown(
        "\n".join(
            [
                f"- {t('survey.welcome.privacy.leadership', lang)}",
                f"- {t('survey.welcome.privacy.groups', lang, k=state.min_group_size)}",
                "- " + t("survey.welcome.privacy.comments", lang, k=state.min_comment_group_size),
                f"- {t('survey.welcome.privacy.open', lang)}",
                f"- {t('survey.welcome.privacy.closed', lang)}",
                f"- {t('survey.privacy.more', lang)}",
            ]
        )
    )
    st.subheader(t("survey.welcome.time.title", lang), anchor=False)
    st.markdown(t("survey.welcome.time", lang, minutes=instrument.minutes))
    st.markdown(t("survey.welcome.code", lang))
    st.subheader(t("survey.welcome.support.title", lang), anchor=False)
    st.markdown(t("survey.welcome.support", lang))

    if lang != current_language():
        names = ", ".join(KNOWN_LANGUAGES.get(code, code) for code in state.languages)
        st.info(t("survey.welcome.only_language", languages=names))
    _nav(lang, None, 1, t("survey.welcome.start", lang))


def show_domain(state: SurveyState, lang: str, steps: Steps, step: int) -> None:
    instrument = state.instrument
    index = steps.domain_index(step)
    domain = instrument.domains[index]
    st.progress(
        steps.progress(step),
        text=t("survey.progress", lang, n=index + 1, total=steps.n_domains),
    )
    st.header(escape(domain.title[lang]), anchor=False)
    st.markdown(f"*{escape(domain.why[lang])}*")
    st.caption(t("survey.skip_hint", lang))
    for item in domain.items:
        labels = {
            key: escape(label) for key, label in option_labels(instrument, item, lang).items()
        }
        # One question, one card: the statement, how its scale runs (two scales on one page
        # read differently), and its choices one under the other, which fits a phone. The
        # statement is shown as escaped Markdown, exactly as written; the radio group carries
        # it unescaped as its label, which is what screen readers announce.
        with st.container(border=True):
            st.markdown(f"**{escape(item.text[lang])}**")
            st.caption(escape(scale_range(instrument, item, lang)))
            st.radio(
                item.text[lang],
                options(instrument, item),
                index=None,
                format_func=labels.__getitem__,
                key=answer_key(item.id),
                label_visibility="collapsed",
                persist_state=PERSIST,
            )
    st.text_area(
        t("survey.comment.label", lang),
        key=comment_key(domain.id),
        max_chars=MAX_COMMENT_LENGTH,
        persist_state=PERSIST,
    )
    st.caption(t("survey.comment.help", lang))
    _nav(lang, step - 1, step + 1, t("survey.next", lang))


def show_role(state: SurveyState, lang: str, steps: Steps) -> None:
    st.progress(1.0, text=t("survey.role.progress", lang))
    st.header(t("survey.role.heading", lang), anchor=False)
    labels = {role: t(f"survey.role_{role}", lang) for role in ROLE_OPTIONS}
    st.radio(
        t("survey.role.question", lang),
        ROLE_OPTIONS,
        index=None,
        format_func=labels.__getitem__,
        key=ROLE_KEY,
        persist_state=PERSIST,
    )
    st.caption(
        t(
            "survey.role.note",
            lang,
            k=state.min_group_size,
            prefer_not=labels[PREFER_NOT_TO_SAY],
        )
    )
    st.text_area(
        t("survey.closing.label", lang),
        key=comment_key(CLOSING_COMMENT),
        max_chars=MAX_COMMENT_LENGTH,
        persist_state=PERSIST,
    )
    st.caption(t("survey.comment.help", lang))
    _nav(lang, steps.n_domains, steps.review, t("survey.next", lang))


def show_review(state: SurveyState, lang: str, steps: Steps) -> None:
    """What is left, counted per section (not listed statement by statement), and Submit
    right after the count, within the first phone screen even when everything was skipped."""
    instrument = state.instrument
    st.progress(1.0, text=t("survey.review.progress", lang))
    st.header(t("survey.review.heading", lang), anchor=False)
    missing = unanswered(instrument, answers_from(instrument, st.session_state))
    if not missing:
        st.success(t("survey.review.all_answered", lang))
    else:
        st.info(tn("survey.review.missing", sum(len(m.items) for m in missing), lang))
    role = st.session_state.get(ROLE_KEY)
    if role in ROLE_OPTIONS:
        shown_role = t(f"survey.role_{role}", lang)
    else:
        shown_role = t("survey.review.role_none", lang)
    with st.container(horizontal=True, vertical_alignment="center"):
        st.markdown(t("survey.review.role", lang, role=shown_role))
        st.button(
            t("survey.review.change_role", lang),
            key="survey_change_role",
            type="tertiary",
            on_click=_go,
            args=(steps.role,),
        )
    st.markdown(t("survey.review.final", lang))
    st.button(
        t("survey.submit", lang),
        key="survey_submit",
        type="primary",
        on_click=_request_submit,
    )
    if missing:
        st.subheader(t("survey.review.by_section", lang), anchor=False)
    for gap in missing:
        title = escape(gap.domain.title[lang])
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            st.markdown(
                f"**{title}** · {tn('survey.review.section_missing', len(gap.items), lang)}"
            )
            st.button(
                t("survey.review.go_to", lang, section=title),
                key=f"survey_goto_{gap.domain.id}",
                on_click=_go,
                args=(steps.domain_step(gap.domain_index),),
            )
    st.button(t("survey.back", lang), key="survey_back", on_click=_go, args=(steps.role,))


def long_date(day: date, lang: str) -> str:
    month = t(f"survey.month.{day.month}", lang)
    return t("survey.date", lang, day=day.day, month=month, year=day.year)


def show_thanks(thanks: dict[str, object]) -> None:
    lang = current_language()
    st.header(t("survey.thanks.heading", lang), anchor=False)
    st.success(t("survey.thanks.received", lang))
    st.markdown(t("survey.thanks.private", lang))
    k = thanks["min_group_size"]
    closes_on = thanks["closes_on"]
    if isinstance(closes_on, date) and closes_on >= datetime.now(UTC).date():
        st.markdown(t("survey.thanks.next_dated", lang, date=long_date(closes_on, lang), k=k))
    else:
        st.markdown(t("survey.thanks.next", lang, k=k))
    st.markdown(t("survey.privacy.more", lang))
    st.markdown(t("survey.thanks.support", lang))
    # what was heard in earlier rounds and what is being done about it
    st.page_link(page_path("results_page.py"), label=t("results.link", lang))
    st.caption(t("survey.thanks.close", lang))
    # on a shared device the next person can start without reloading
    st.button(t("survey.thanks.another", lang), key="survey_another", on_click=_start_over)


# -- the page ----------------------------------------------------------------------------------


# Respondents see only the survey: when no one is signed in, the sidebar (sign-in, the
# instrument library) and its open/close control are hidden, and so is Streamlit's "Running..."
# sign (English, and nothing a respondent needs: each answer is saved in a moment). Streamlit's
# own English hints under text boxes ("Press Ctrl+Enter to apply") are hidden on every survey
# page, and a link's label wraps on a narrow phone instead of being cut off.
_RESPONDENT_ONLY = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapseButton"],
[data-testid="stStatusWidget"]
{ display: none !important; }
</style>"""
_SURVEY_STYLE = """<style>
[data-testid="InputInstructions"] { display: none !important; }
[data-testid="stPageLink"] a, [data-testid="stPageLink"] p
{ white-space: normal !important; overflow-wrap: anywhere; max-width: 100%; }
[data-testid="stPageLink"] { max-width: 100%; }
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
[data-testid="stRadio"] [role="radiogroup"] label { min-height: 2rem; align-items: center; }
</style>"""
# A comment is saved when its box hands its text to the app, which Streamlit does when the box
# loses focus. This hands it over also after a short pause in typing and when the page is
# hidden (a phone switching apps, a tab closed), as Ctrl+Enter would, so a dropped connection
# loses at most the last seconds of typing. It only talks to this page; it sends nothing anywhere.
_COMMIT_TYPING = """<script>
if (!window.tisaCommitTyping) {
  window.tisaCommitTyping = true;
  let box = null, timer = null;
  const commit = () => {
    clearTimeout(timer);
    if (box && box.isConnected) {
      box.dispatchEvent(new KeyboardEvent("keydown", {key: "Enter", code: "Enter",
        keyCode: 13, which: 13, ctrlKey: true, bubbles: true, cancelable: true}));
    }
    box = null;
  };
  document.addEventListener("input", (event) => {
    const target = event.target;
    if (!(target instanceof HTMLTextAreaElement)) return;
    if (!target.closest('[data-testid="stTextArea"]')) return;
    box = target;
    clearTimeout(timer);
    timer = setTimeout(commit, 1200);
  }, true);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") commit();
  });
  window.addEventListener("pagehide", commit);
}
</script>"""


# Streamlit's own words around the survey (the hidden "Skip to main content" link, the progress
# bar's name for screen readers) and the page's language, which a screen reader pronounces by,
# follow the survey's language. Streamlit may draw them again, so they are kept in step.
_PAGE_WORDS = """<script>/* {lang} */
window.tisaWords = {words};
window.tisaKeepWords = () => {{
  const words = window.tisaWords;
  const skip = document.querySelector('a[href="#stMain"]');
  if (skip && skip.textContent !== words.skip) skip.textContent = words.skip;
  document.querySelectorAll('[role="progressbar"]').forEach((bar) => {{
    if (bar.getAttribute("aria-label") !== words.progress) {{
      bar.setAttribute("aria-label", words.progress);
    }}
  }});
  if (document.documentElement.lang !== words.lang) document.documentElement.lang = words.lang;
}};
if (!window.tisaWordsKept) {{
  window.tisaWordsKept = true;
  new MutationObserver(() => window.tisaKeepWords())
    .observe(document.body, {{childList: true, subtree: true}});
}}
window.tisaKeepWords();
</script>"""


def _page_words(lang: str) -> str:
    words = {
        "lang": lang,
        "skip": t("survey.skip_to_content", lang),
        "progress": t("survey.progress_name", lang),
    }
    # our own constant words, as a JavaScript literal that cannot close the script element
    literal = json.dumps(words, ensure_ascii=True).replace("<", "\\u003c")
    return _PAGE_WORDS.format(lang=lang, words=literal)


def _survey_chrome() -> None:
    st.html(_SURVEY_STYLE)
    if current_user() is None:
        st.html(_RESPONDENT_ONLY)
    st.html(_COMMIT_TYPING, unsafe_allow_javascript=True)
    st.html(_page_words(current_language()), unsafe_allow_javascript=True)


def _language_switch() -> None:
    """English / Español at the top of every step (the app's own switch is in the sidebar,
    which respondents do not see)."""
    st.session_state[LANGUAGE_PICK_KEY] = current_language()
    st.radio(
        t("survey.welcome.language"),
        list(UI_LANGUAGES),
        format_func=UI_LANGUAGES.__getitem__,
        horizontal=True,
        key=LANGUAGE_PICK_KEY,
        on_change=_pick_language,
    )


def render() -> None:
    _survey_chrome()
    _language_switch()
    st.title(t("survey.title"), anchor=False)
    if THANKS_KEY in st.session_state:
        st.session_state.pop(SUBMIT_KEY, None)  # a second click on submit changes nothing
        show_thanks(st.session_state[THANKS_KEY])
        return

    code = _current_code()
    if code is None:
        _code_entry()
        return
    if code != st.session_state.get(LOADED_KEY):
        wait = _attempts().seconds_to_wait(time.monotonic())
        if wait:
            _forget_code()
            st.error(t("survey.entry.wait", seconds=wait))
            _code_entry()
            return
    opened = _open(code)
    if opened == "unavailable":  # the database's trouble, not the code's: keep the code
        _refuse(opened)
        return
    if isinstance(opened, str):
        if opened == "unknown":
            _attempts().failed(time.monotonic())
        _forget_code()
        _refuse(opened)
        _code_entry()
        return
    state = opened
    steps = Steps(len(state.instrument.domains))
    if st.session_state.get(LOADED_KEY) != state.code:
        _resume(state, steps)
    st.session_state[CODE_KEY] = state.code
    if st.query_params.get(CODE_PARAM) != state.code:
        st.query_params[CODE_PARAM] = state.code

    lang = survey_language(state)
    st.session_state[CLOCK_KEY] = st.session_state[CLOCK_KEY].tick(time.monotonic())
    if st.session_state.pop(SUBMIT_KEY, False) and not _submit(state, lang, steps):
        return
    language_changed = st.session_state.get(SAVED_LANGUAGE_KEY) != lang
    given_changed = st.session_state.get(STORED_KEY) != _given(state)
    if st.session_state.pop(SAVE_KEY, False) or language_changed or given_changed:
        saved = _save(state, lang)
        if saved == "refused":
            return
        if saved == "failed":  # the page goes on; the next run tries again
            st.session_state[SAVE_KEY] = True

    step = steps.clamp(st.session_state[STEP_KEY])
    _start_at_the_top(step)
    st.caption(t("survey.code.caption", lang, code=state.code))
    kind = steps.kind(step)
    if kind == "welcome":
        show_welcome(state, lang)
    elif kind == "domain":
        show_domain(state, lang, steps, step)
    elif kind == "role":
        show_role(state, lang, steps)
    else:
        show_review(state, lang, steps)


def render_safely() -> None:
    """`render`, with anything unforeseen shown as a plain message in the respondent's
    language instead of Streamlit's error box (in English, naming the error); the server log
    gets the error's class, never its text (it can quote a row). Streamlit's own rerun and
    stop are not errors and pass through."""
    try:
        render()
    except Exception as error:  # noqa: BLE001 - the page's last line of defence
        _log_trouble("page", error)
        st.error(t("survey.error.unexpected"))


if __name__ == "__main__":  # st.Page runs this file as __main__
    with st.container(width=SURVEY_WIDTH):
        render_safely()
