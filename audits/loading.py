"""Loading the audit templates from config/audits/<slug>.json (made once from the reference by
scripts/convert_audit_checklists.py). Idempotent: a file already loaded changes nothing; a changed
file becomes a new version and the old one is retired, so audits keep the wording they used."""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from cases.models import Authority

from .models import AuditTemplate, TemplateItem, TemplateSection, TemplateVersion

TEMPLATE_DIR = Path(settings.BASE_DIR) / "config" / "audits"


@dataclass
class LoadReport:
    slug: str
    outcome: str
    items: int = 0

    def __str__(self):
        return f"{self.slug}: {self.outcome} ({self.items} items)"


def template_files(directory: Path = TEMPLATE_DIR) -> list[Path]:
    return sorted(directory.glob("*.json"))


def audit_templates_load(directory: Path = TEMPLATE_DIR, slugs=None) -> list[LoadReport]:
    reports = []
    for path in template_files(directory):
        if slugs is not None and path.stem not in slugs:
            continue
        raw = path.read_bytes()
        reports.append(_load_one(json.loads(raw), hashlib.sha256(raw).hexdigest()))
    return reports


@transaction.atomic
def _load_one(data: dict, digest: str) -> LoadReport:
    slug = data["authority"]
    authority = Authority.objects.filter(slug=slug).first()
    if authority is None:
        return LoadReport(slug, "skipped: the authority is not set up (run load_authorities first)")
    template, _ = AuditTemplate.objects.get_or_create(
        authority=authority,
        defaults={"name": data["name"], "source_document": data["source_document"], "source_seed": data["source_seed"]},
    )
    current = template.versions.filter(status=TemplateVersion.Status.PUBLISHED).order_by("-number").first()
    if current is not None and current.content_hash == digest:
        return LoadReport(slug, f"unchanged, version {current.number}", current.items.count())
    number = (template.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    template.versions.filter(status=TemplateVersion.Status.PUBLISHED).update(status=TemplateVersion.Status.RETIRED)
    version = TemplateVersion.objects.create(
        template=template, number=number, source_edition=data.get("source_edition", ""), content_hash=digest,
        grade_scale=data["grade_scale"], response_sets=data["response_sets"],
        change_note="Loaded from the reference" if number == 1 else "The reference data file changed",
    )  # fmt: skip
    count = version_fill(version, data["sections"])
    return LoadReport(slug, f"loaded as version {number}", count)


def version_fill(version: TemplateVersion, sections: list[dict]) -> int:
    """Create a version's sections and items from their data (a file's, or a copied version's)."""
    created = TemplateSection.objects.bulk_create([
        TemplateSection(version=version, code=section["code"], title=section["title"], order=order,
                        audit_subject=section.get("audit_subject", "child_case"),
                        applies_to=section.get("applies_to", []), applies_to_text=section.get("applies_to_text", ""),
                        default_role=section.get("default_role", ""), optional=section.get("optional", False),
                        source_ref=section.get("source_ref", ""))
        for order, section in enumerate(sections, start=1)
    ])  # fmt: skip
    items = [
        TemplateItem(section=section_row, version=version, code=item["code"], order=order, text=item["text"],
                     unacceptable_text=item.get("unacceptable_text", ""), responsible=item.get("responsible", ""),
                     method=item.get("method", "unspecified"), dimensions=item.get("dimensions", []),
                     timescale=item.get("timescale", ""), response_set=item.get("response_set", "met"),
                     applies_to=item.get("applies_to", []), source_ref=item["source_ref"], note=item.get("note", ""))
        for section_row, section in zip(created, sections, strict=True)
        for order, item in enumerate(section["items"], start=1)
    ]  # fmt: skip
    TemplateItem.objects.bulk_create(items, batch_size=500)
    return len(items)


def version_as_data(version: TemplateVersion) -> list[dict]:
    """A version's sections and items as data, to copy into a new version."""
    items_by_section: dict[int, list[dict]] = {}
    for item in version.items.order_by("section__order", "order"):
        items_by_section.setdefault(item.section_id, []).append({
            "code": item.code, "text": item.text, "unacceptable_text": item.unacceptable_text,
            "responsible": item.responsible, "method": item.method, "dimensions": item.dimensions,
            "timescale": item.timescale, "response_set": item.response_set, "applies_to": item.applies_to,
            "source_ref": item.source_ref, "note": item.note,
        })  # fmt: skip
    return [
        {"code": section.code, "title": section.title, "audit_subject": section.audit_subject,
         "applies_to": section.applies_to, "applies_to_text": section.applies_to_text,
         "default_role": section.default_role, "optional": section.optional, "source_ref": section.source_ref,
         "items": items_by_section.get(section.pk, [])}
        for section in version.sections.order_by("order")
    ]  # fmt: skip
