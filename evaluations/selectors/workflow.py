"""What the workflow panel shows one user on an evaluation's pages: the state, the submission
time, the steps this user may take, what blocks them (each linked to its section and field), the
latest return's reason and comments, and the last transition."""

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.urls import NoReverseMatch, reverse

from departments.roles import Role
from evaluations.models import Evaluation, ReviewComment, Transition
from evaluations.selectors.comments import every_section, latest_return, place_label
from evaluations.services.workflow import approval_blockers, last_transition, submission_blockers
from evaluations.tables.registry import Section
from evaluations.workflow import Step, allowed_steps

# Steps that ask "are you sure?" before they are taken; reopen and withdraw ask for a reason.
CONFIRMED = frozenset({"submit", "approve", "publish"})


@dataclass(frozen=True)
class PanelStep:
    step: Step
    url: str
    # Shown disabled: what blocks it is listed above the buttons.
    blocked: bool = False

    @property
    def name(self) -> str:
        return self.step.name

    @property
    def confirmed(self) -> bool:
        return self.step.name in CONFIRMED


@dataclass
class WorkflowPanel:
    evaluation: Evaluation
    roles: frozenset[Role]

    @cached_property
    def steps(self) -> list[PanelStep]:
        return [
            PanelStep(step, self._step_url(step), blocked=self._blocked(step))
            for step in allowed_steps(self.evaluation, self.roles)
        ]

    def _blocked(self, step: Step) -> bool:
        if step.name == "submit":
            return bool(self.submission_blockers)
        if step.name == "approve":
            return bool(self.approval_blockers)
        return False

    def _step_url(self, step: Step) -> str:
        kwargs = {"department": self.evaluation.department.slug, "pk": self.evaluation.pk}
        if step.name == "return":
            return reverse("department:evaluation_return", kwargs=kwargs)
        return reverse("department:evaluation_transition", kwargs={**kwargs, "name": step.name})

    def _may(self, name: str) -> bool:
        return any(step.name == name for step in allowed_steps(self.evaluation, self.roles))

    @cached_property
    def submission_blockers(self) -> list[dict[str, str]]:
        """For the head, before submitting: the errors and unexplained warnings, linked."""
        if not self._may("submit"):
            return []
        return self._linked(submission_blockers(self.evaluation))

    @cached_property
    def approval_blockers(self) -> list[dict[str, str]]:
        if not self._may("approve"):
            return []
        return self._linked(approval_blockers(self.evaluation))

    def _linked(self, blockers: list[dict[str, str]]) -> list[dict[str, str]]:
        return blocker_links(self.evaluation, blockers)

    @cached_property
    def last(self) -> Transition | None:
        return last_transition(self.evaluation)

    @cached_property
    def latest_return(self) -> Transition | None:
        return latest_return(self.evaluation)

    @cached_property
    def return_comments(self) -> list[dict[str, Any]]:
        """The latest return's comments, each with its section's title, where it sits in words,
        and a link to its field."""
        if self.latest_return is None:
            return []
        comments = list(ReviewComment.objects.filter(transition=self.latest_return).order_by("pk"))
        return comment_notes(self.evaluation, comments)

    @cached_property
    def publishing(self) -> Any:
        """The publication panel (publishing.services): each publication's state and progress,
        its code and downloads, a failure's message, a withdrawal's reason."""
        from publishing.services import publication_panel

        return publication_panel(evaluation=self.evaluation, roles=self.roles)

    @cached_property
    def changes_url(self) -> str:
        """「与上次提交比较」, once there is a submission to compare with."""
        if self.evaluation.first_submitted_at is None:
            return ""
        try:
            return reverse(
                "department:evaluation_changes",
                kwargs={"department": self.evaluation.department.slug, "pk": self.evaluation.pk},
            )
        except NoReverseMatch:  # the changes page is another screen's; absent, no link
            return ""


def workflow_panel(*, evaluation: Evaluation, roles: frozenset[Role]) -> WorkflowPanel:
    """The panel's parts, each read the first time the template shows it."""
    return WorkflowPanel(evaluation=evaluation, roles=roles)


def comment_notes(evaluation: Evaluation, comments: list[ReviewComment]) -> list[dict[str, Any]]:
    index = {section.key: section for section in every_section(evaluation)}
    forms: dict[str, Any] = {}
    notes = []
    for comment in comments:
        section = index.get(comment.section)
        note: dict[str, Any] = {
            "comment": comment,
            "title": comment.section,
            "where": "",
            "href": "",
        }
        if section is not None:
            if section.key not in forms:
                forms[section.key] = section.form(evaluation)
            field = "-".join(str(p) for p in (comment.row, comment.field) if p not in (None, ""))
            note.update(_where(evaluation, section, {"field": field}))
            note["where"] = place_label(forms[section.key], comment.row, comment.field)
        notes.append(note)
    return notes


def blocker_links(evaluation: Evaluation, blockers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each blocker with `href` (its section's page, at its field) and `title` (the section's)."""
    index = {section.key: section for section in every_section(evaluation)}
    return [
        {**blocker, **_where(evaluation, index.get(blocker.get("section", "")), blocker)}
        for blocker in blockers
    ]


def _where(
    evaluation: Evaluation, section: Section | None, blocker: dict[str, Any]
) -> dict[str, str]:
    if section is None:
        return {"href": "", "title": ""}
    page = section.url or reverse(
        "department:evaluation_table",
        kwargs={
            "department": evaluation.department.slug,
            "pk": evaluation.pk,
            "table": section.table,
        },
    )
    field = blocker.get("field")
    anchor = f"id_{section.prefix}-{field}" if field else section.prefix
    return {"href": f"{page}#{anchor}", "title": section.title}
