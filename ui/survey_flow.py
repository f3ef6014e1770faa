"""The survey's steps and bookkeeping as plain functions, so the page stays thin and this is
tested without Streamlit.

The survey is a row of steps, and a draft remembers the step the person was on
(`storage.survey_service.DraftUpdate.current_page`)::

    0            welcome (why we ask, who sees what, language)
    1 .. n       one domain of the instrument each
    n + 1        the respondent's role (and a closing comment)
    n + 2        review: what is unanswered, then submit

Widget keys are stable (``ans_<item id>``, ``comment_<domain id>``), so a draft can be put back
into them before the widgets are drawn, and a widget keeps its answer while its domain is not
shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from instruments import Instrument
from instruments.model import Domain, Item
from storage.survey_service import CLOSING_COMMENT, NOT_APPLICABLE, RESPONDENT_ROLES
from ui.i18n_survey import SURVEY_STRINGS

StepKind = Literal["welcome", "domain", "role", "review"]

WELCOME = 0
ROLE_KEY = "survey_role"
PREFER_NOT_TO_SAY = "prefer_not"
# The role radio's options: the service's roles, then "prefer not to say" (stored as no role).
ROLE_OPTIONS: tuple[str, ...] = (*RESPONDENT_ROLES, PREFER_NOT_TO_SAY)
# A pause longer than this between two actions counts as this long: a coffee break or a
# phone call is not time spent answering.
MAX_GAP_SECONDS = 120.0


def answer_key(item_id: str) -> str:
    """The key of an item's radio (and of its answer in Session State)."""
    return f"ans_{item_id}"


def comment_key(domain_id: str) -> str:
    """The key of a domain's comment box; `CLOSING_COMMENT` ("") is the closing question."""
    return f"comment_{domain_id or 'closing'}"


@dataclass(frozen=True)
class Steps:
    """The steps of a survey over an instrument with `n_domains` domains."""

    n_domains: int

    @property
    def role(self) -> int:
        return self.n_domains + 1

    @property
    def review(self) -> int:
        return self.n_domains + 2

    def kind(self, step: int) -> StepKind:
        if step == WELCOME:
            return "welcome"
        if 1 <= step <= self.n_domains:
            return "domain"
        if step == self.role:
            return "role"
        if step == self.review:
            return "review"
        raise ValueError(f"step {step} is outside 0..{self.review}")

    def clamp(self, step: object) -> int:
        """A step to resume on: a saved page that no longer fits becomes the nearest step."""
        if isinstance(step, bool) or not isinstance(step, int):
            return WELCOME
        return min(max(step, WELCOME), self.review)

    @staticmethod
    def domain_index(step: int) -> int:
        """The index in ``instrument.domains`` of a domain step."""
        return step - 1

    @staticmethod
    def domain_step(index: int) -> int:
        return index + 1

    def progress(self, step: int) -> float:
        """How far along, for ``st.progress``: domain k of n is k / n; role and review are done."""
        kind = self.kind(step)
        if kind == "welcome":
            return 0.0
        if kind == "domain":
            return step / self.n_domains
        return 1.0


def options(instrument: Instrument, item: Item) -> list[int | str]:
    """An item's answer choices: the points of its scale, then not applicable."""
    return [*instrument.scale_of(item).points, NOT_APPLICABLE]


def option_labels(instrument: Instrument, item: Item, lang: str) -> dict[int | str, str]:
    """The words shown for each choice of `options` in `lang`."""
    scale = instrument.scale_of(item)
    labels: dict[int | str, str] = dict(zip(scale.points, scale.labels[lang], strict=True))
    labels[NOT_APPLICABLE] = instrument.not_applicable[lang]
    return labels


def scale_range(instrument: Instrument, item: Item, lang: str) -> str:
    """How an item is answered, from its scale's lowest to highest label (``From “Strongly
    disagree” to “Strongly agree”``): two scales on one page read differently."""
    labels = instrument.scale_of(item).labels[lang]
    return SURVEY_STRINGS["survey.scale_range"][lang].format(low=labels[0], high=labels[-1])


def answers_from(instrument: Instrument, values: Mapping[str, object]) -> dict[str, int | str]:
    """The answers given so far, read from the widget keys in `values` (Session State):
    item id → point or ``"NA"``; items without an answer are left out."""
    answers: dict[str, int | str] = {}
    for _, item in instrument.items():
        value = values.get(answer_key(item.id))
        if isinstance(value, int | str) and not isinstance(value, bool):
            answers[item.id] = value
    return answers


def comment_domains(instrument: Instrument) -> list[str]:
    """Where a comment can be written: every domain, then the closing question."""
    return [domain.id for domain in instrument.domains] + [CLOSING_COMMENT]


def comments_from(instrument: Instrument, values: Mapping[str, object]) -> dict[str, str]:
    """The comments written so far (domain id → text), blank ones left out."""
    comments: dict[str, str] = {}
    for domain_id in comment_domains(instrument):
        text = values.get(comment_key(domain_id))
        if isinstance(text, str) and text.strip():
            comments[domain_id] = text.strip()
    return comments


def role_from(choice: object) -> str | None:
    """The role to store for the radio's choice; "prefer not to say" and no choice are None."""
    return choice if isinstance(choice, str) and choice in RESPONDENT_ROLES else None


@dataclass(frozen=True)
class Unanswered:
    """The unanswered items of one domain, for the review."""

    domain_index: int
    domain: Domain
    items: tuple[Item, ...]


def unanswered(instrument: Instrument, answers: Mapping[str, object]) -> list[Unanswered]:
    """Per domain, in order, the items without an answer; domains answered in full are left
    out. "Not applicable" is an answer."""
    missing = []
    for index, domain in enumerate(instrument.domains):
        items = tuple(item for item in domain.items if answers.get(item.id) is None)
        if items:
            missing.append(Unanswered(index, domain, items))
    return missing


def widget_values(
    instrument: Instrument,
    answers: Mapping[str, int | str],
    comments: Mapping[str, str],
    role: str | None,
) -> dict[str, object]:
    """What to put into Session State, before any widget is drawn, to resume a draft: every
    item's radio (None where unanswered), every comment box and the role."""
    values: dict[str, object] = {
        answer_key(item.id): answers.get(item.id) for _, item in instrument.items()
    }
    for domain_id in comment_domains(instrument):
        values[comment_key(domain_id)] = comments.get(domain_id, "")
    values[ROLE_KEY] = role if role in RESPONDENT_ROLES else None
    return values


@dataclass(frozen=True)
class ActiveClock:
    """Time spent answering, counted between the person's actions (each one reruns the page),
    with every gap capped at `cap` seconds so a break is not counted. `pending` is the time
    not yet sent with a save."""

    pending: float = 0.0
    last: float | None = None
    cap: float = MAX_GAP_SECONDS

    def tick(self, now: float) -> ActiveClock:
        """The clock after an action at `now` (a monotonic time in seconds)."""
        if self.last is None:
            return ActiveClock(self.pending, now, self.cap)
        gap = min(max(now - self.last, 0.0), self.cap)
        return ActiveClock(self.pending + gap, now, self.cap)

    def whole_seconds(self) -> int:
        """The pending time in whole seconds, the amount a save sends."""
        return int(self.pending)

    def sent(self, seconds: int) -> ActiveClock:
        """The clock after a save sent `seconds` of the pending time."""
        return ActiveClock(max(self.pending - seconds, 0.0), self.last, self.cap)
