"""Audit templates: every shipped authority's checklist loads with the reference's item counts,
loading again changes nothing, and an admin's edit is a new version that leaves used ones alone."""

import json
import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audits.checks import ITEM_CHECKS
from audits.loading import TEMPLATE_DIR
from audits.models import AuditTemplate, TemplateItem, TemplateSection, TemplateVersion
from audits.services import current_version, template_item_revise
from cases.roles import Role
from tests.audits.helpers import load_templates, started
from tests.factories import staff

pytestmark = pytest.mark.django_db

# The reference's own table (audit-checklists.md §0, "Item counts"): 1,359 in all.
REFERENCE_COUNTS = {"wiltshire": 132, "barnet": 644, "st-helens": 378, "leeds": 93, "york": 112}


def test_every_shipped_authority_loads_with_the_references_item_counts(timescales_loaded):
    load_templates()
    counts = {template.authority.slug: TemplateItem.objects.filter(version__template=template).count()
              for template in AuditTemplate.objects.select_related("authority")}  # fmt: skip
    assert counts == REFERENCE_COUNTS
    assert sum(counts.values()) == 1359
    assert not AuditTemplate.objects.filter(authority__slug="england").exists()  # the reference gives none


def test_loading_again_changes_nothing(timescales_loaded):
    load_templates()
    load_templates()
    assert TemplateVersion.objects.count() == 5 and TemplateItem.objects.count() == 1359


def test_items_keep_their_code_source_and_the_common_model(timescales_loaded):
    load_templates()
    item = TemplateItem.objects.get(code="wilts-1.4")
    assert item.method == "system" and item.source_ref == "seed 003_b83c6d9c6d169404.txt L14"
    assert "24 hours" in item.timescale and item.responsible == "ATM; MASH/EDS SW"
    rubric = TemplateItem.objects.get(code="leeds-t2.6")
    assert rubric.response_set == "leeds_rubric" and rubric.unacceptable_text
    options = [o["label"] for o in rubric.version.options("leeds_rubric")]
    assert options == ["Acceptable", "Unacceptable", "Not applicable"]
    section = TemplateSection.objects.get(version__template__authority__slug="barnet", code="9.9")
    assert section.applies_to == ["cp"] and section.audit_subject == "child_case"
    leadership = TemplateSection.objects.get(version__template__authority__slug="barnet", code="9.1")
    assert leadership.audit_subject == "practitioner_or_team"
    grades = [label for _, label in item.version.grades()]
    assert grades == ["Outstanding", "Good", "Requires improvement to be good", "Inadequate"]


# What an auditor reads never cites the source by line, file or another item's code (DESIGN §8).
NOT_PLAIN = re.compile(r"\bL\d{2,5}\b|\.txt\b|\bseed\b|\b[a-z]+-s?\d+\.[a-z0-9.]+\b|\bs\d+\.e\d+\b|§"
                       r"|\b(?:in|from) (?:the )?source\b|\bsource (?:says|has|sentence|table)", re.IGNORECASE)


def test_no_shown_word_cites_the_source_by_line_file_or_code(timescales_loaded):
    load_templates()
    shown = [(item.code, field, getattr(item, field)) for item in TemplateItem.objects.all()
             for field in ("text", "unacceptable_text", "responsible", "timescale")]
    shown += [(section.code, field, getattr(section, field)) for section in TemplateSection.objects.all()
              for field in ("title", "applies_to_text", "default_role")]
    shown += [(template.name, "document", template.source_document) for template in AuditTemplate.objects.all()]
    assert [entry for entry in shown if NOT_PLAIN.search(entry[2])] == []
    assert TemplateItem.objects.get(code="york-s1.e1").timescale == ("Statutory visits at least as often as Standard 4 "
                                                                     "sets for the child's plan")
    assert TemplateSection.objects.get(version__template__authority__slug="york", code="s2").title == (
        "Standards 2 and 3 — Assessing need")


def test_items_about_one_status_carry_it(timescales_loaded):
    load_templates("york", "leeds")
    tags = dict(TemplateItem.objects.filter(code__in=["york-s4.e19", "york-s4.e22", "york-s4.e27", "york-s4.e3",
                                                      "leeds-fa.6"]).values_list("code", "applies_to"))
    assert tags == {"york-s4.e19": ["cp"], "york-s4.e22": ["cin"], "york-s4.e27": ["cla"], "york-s4.e3": [],
                    "leeds-fa.6": ["cla"]}


def test_every_system_check_names_an_item_that_exists():
    codes = {item["code"] for path in Path(TEMPLATE_DIR).glob("*.json")
             for section in json.loads(path.read_text())["sections"] for item in section["items"]}  # fmt: skip
    assert set(ITEM_CHECKS) <= codes


def test_an_admins_edit_is_a_new_version_and_an_audit_keeps_its_own(people, case, leeds):
    audit = started(people, case)
    used = audit.version
    item = TemplateItem.objects.get(version=used, code="leeds-fa.2")
    admin = people[Role.AUTHORITY_ADMIN]
    with pytest.raises(ValidationError) as refused:
        template_item_revise(admin=admin, item=item, text="", timescale="", change_note="")
    assert set(refused.value.message_dict) == {"text", "change_note"}
    assert TemplateVersion.objects.filter(template=used.template).count() == 1
    version = template_item_revise(admin=admin, item=item, text="The chronology is current (last month).",
                                   timescale="Monthly", change_note="Our QA panel's wording")  # fmt: skip
    assert version.number == 2 and current_version(leeds) == version
    assert TemplateItem.objects.get(version=version, code="leeds-fa.2").text.endswith("(last month).")
    assert TemplateItem.objects.filter(version=version).count() == 93
    item.refresh_from_db()
    assert item.text == "Chronology is current." and TemplateVersion.objects.get(pk=used.pk).status == "retired"
    audit.refresh_from_db()
    assert audit.version_id == used.pk
    with pytest.raises(ValidationError):  # the retired version is never edited again
        template_item_revise(admin=admin, item=item, text="x", timescale="", change_note="y")
    york_admin = staff(Role.AUTHORITY_ADMIN, authority=leeds.__class__.objects.get(slug="york"))
    with pytest.raises(PermissionDenied):
        template_item_revise(admin=york_admin, item=TemplateItem.objects.get(version=version, code="leeds-fa.2"),
                             text="x", timescale="", change_note="y")  # fmt: skip
    with pytest.raises(PermissionDenied):
        template_item_revise(admin=people[Role.QA_AUDITOR], item=TemplateItem.objects.get(version=version,
                             code="leeds-fa.2"), text="x", timescale="", change_note="y")  # fmt: skip
