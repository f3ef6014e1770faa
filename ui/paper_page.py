"""Paper responses (admin): print the round's questionnaire in each of its languages, download
a blank CSV for an open round, type the paper forms into it, upload it. The questionnaire's item
codes and values are the CSV's columns and values. The whole file is checked first and stored
all or nothing; every problem is named by its row and column. Imported responses are marked as
paper.
"""

from __future__ import annotations

import streamlit as st
from sqlalchemy.orm import Session

from instruments.model import KNOWN_LANGUAGES
from reports.paper_form import Questionnaire, paper_form_pdf, questionnaire_for
from storage.auth_service import SignedInUser
from storage.engine import database_url, shared_factory
from storage.errors import StorageError
from storage.models import Round, RoundStatus
from storage.organization_repo import slugify
from storage.paper_import import ImportProblems, csv_text, import_paper_file, template_header
from storage.round_service import get_round, list_rounds
from storage.survey_service import NOT_APPLICABLE, RESPONDENT_ROLES
from storage.user_repo import get_user
from ui.admin_actions import (
    UploadedCsv,
    admin_work,
    done,
    show_done,
    show_problems,
    show_refusal,
    uploaded_csv,
)
from ui.i18n import t, tn
from ui.markdown_text import escape
from ui.navigation import ADMIN, page_path
from ui.printed_paper import printed_page
from ui.session_user import require_role

ROUND_KEY = "paper.round"


def render() -> None:
    signed = require_role(ADMIN)
    st.title(t("admin.paper.title"), anchor=False)
    st.markdown(t("admin.paper.lead"))
    show_done()

    with admin_work(signed) as work:
        rounds = {
            r.id: r.name
            for r in list_rounds(work.session, work.organization)
            if r.status == RoundStatus.OPEN.value
        }
    if not rounds:
        st.info(t("admin.paper.no_round"))
        st.page_link(page_path("rounds_page.py"), label=t("admin.access.to_rounds"), icon="🗓️")
        return
    if st.session_state.get(ROUND_KEY) not in rounds:
        st.session_state[ROUND_KEY] = list(rounds)[-1]
    chosen = st.selectbox(
        t("admin.access.round"), list(reversed(rounds)), format_func=rounds.get, key=ROUND_KEY
    )
    with admin_work(signed) as work:
        round_ = get_round(work.session, work.organization, chosen)
        header = template_header(round_)
        units = sorted(unit.code for unit in round_.units)
        languages = list(round_.languages)
        form = questionnaire_for(round_)

    questionnaire_section(form, slugify(rounds[chosen]) or str(chosen))

    st.subheader(t("admin.paper.step1"), anchor=False)
    st.markdown(
        t(
            "admin.paper.template_help",
            units=", ".join(f"`{code}`" for code in units),
            roles=", ".join(f"`{role}`" for role in RESPONDENT_ROLES),
            languages=", ".join(f"`{lang}`" for lang in languages),
            na=NOT_APPLICABLE,
        )
    )
    labels = " · ".join(
        f"“{escape(form.instrument.not_applicable[lang])}”"
        for lang in form.instrument.languages
    )
    st.markdown(t("admin.paper.na_help", labels=labels))
    st.download_button(
        t("admin.paper.template"),
        data=csv_text([header]).encode("utf-8-sig"),
        file_name=f"paper-{slugify(rounds[chosen]) or chosen}.csv",
        mime="text/csv",
        on_click="ignore",
        key="paper.template",
    )

    st.subheader(t("admin.paper.step2"), anchor=False)
    upload = uploaded_csv(
        t("admin.paper.file"), "paper.file", t("admin.paper.import"), "paper.import"
    )
    if upload is not None:
        import_file(signed, chosen, upload)


def questionnaire_section(form: Questionnaire, slug: str) -> None:
    """The printable questionnaire, one download per language of the round."""
    st.subheader(t("admin.paper.forms_title"), anchor=False)
    st.markdown(t("admin.paper.forms_help"))
    page = printed_page()
    if page is None:
        return
    columns = st.columns(len(form.languages))
    for column, lang in zip(columns, form.languages, strict=True):
        column.download_button(
            t("admin.paper.form_download", language=KNOWN_LANGUAGES.get(lang, lang)),
            data=lambda lang=lang: paper_form_pdf(form, lang, page_size=page),
            file_name=f"questionnaire-{slug}-{lang}.pdf",
            mime="application/pdf",
            on_click="ignore",
            key=f"paper.form.{lang}",
        )


def import_file(signed: SignedInUser, round_id: int, upload: UploadedCsv) -> None:
    name = upload.name

    def find_round(session: Session) -> Round:
        return get_round(session, get_user(session, signed.username).organization, round_id)

    try:
        # checked with no transaction open, stored in one short write: the survey goes on
        report = import_paper_file(
            shared_factory(database_url()),
            find_round,
            upload.text,
            source=name,
            actor_username=signed.username,
        )
    except ImportProblems as problems:
        st.markdown(t("admin.nothing_imported"))
        show_problems(problems.problems)
    except StorageError as error:
        show_refusal(error)
    else:
        upload.fresh_uploader()
        by_unit = ", ".join(f"{code}: {n}" for code, n in sorted(report.by_unit.items()))
        done(tn("admin.paper.imported", report.responses, file=escape(name),
                units=escape(by_unit)))


if __name__ == "__main__":  # st.Page runs this file as __main__
    render()
