"""The flat JSON shapes stored on a process (and a change plan's stakeholders) read back
what they wrote: the object is the fields by name, a missing optional key takes its
default, a missing required one is refused, and unknown keys are ignored."""

from __future__ import annotations

import pytest

from tenants.models import Checkpoint, EscalationLevel, Tool, WorkflowStep
from tenants.models.process_shapes import JsonShape
from tenants.services.change_plans import Stakeholder

SHAPES: list[JsonShape] = [
    Checkpoint("Payment release", "approval", "Finance lead", "over 10k"),
    EscalationLevel(1, "accuracy below 95%", "ops@example.com", 4),
    Tool("Segmenter", "Acme", "customer segments"),
    WorkflowStep("Extract", "drafts", None),
    Stakeholder("Claims team", "users", "high"),
]


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: type(s).__name__)
def test_a_shape_reads_back_what_it_wrote(shape: JsonShape) -> None:
    assert type(shape).from_json(shape.to_json()) == shape


def test_the_object_is_the_fields_by_name() -> None:
    assert Tool("Segmenter").to_json() == {"name": "Segmenter", "vendor": None, "purpose": None}


def test_a_missing_optional_key_takes_its_default_and_unknown_keys_are_ignored() -> None:
    doc = {"name": "Review", "stage": "output", "reviewer_role": "Analyst", "later": 1}
    assert Checkpoint.from_json(doc) == Checkpoint("Review", "output", "Analyst", None)


def test_a_missing_required_key_is_refused() -> None:
    with pytest.raises(KeyError, match="stage"):
        Checkpoint.from_json({"name": "Review", "reviewer_role": "Analyst"})
