"""Writing the returns' runs: asked for on the Returns page, then produced and checked (a Celery
task: returns/tasks.py), keeping the file and what the DfE's rules found; and importing an
authority's past returns, previewed before anything is kept."""

import logging
from dataclasses import asdict
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Authority, User
from cases.services.writes import locked
from returns.cin.importer import census_import
from returns.cin.produce import census_checked
from returns.importing import Imported, ImportRefused
from returns.models import ImportRun, ReturnRun, StagedImport
from returns.produced import Produced
from returns.selectors import may_use_returns
from returns.ssda903.importer import files_in_zip, ssda903_import
from returns.ssda903.produce import tables_checked
from returns.years import SUPPORTED, CollectionYear

logger = logging.getLogger(__name__)

PRODUCERS = {ReturnRun.Kind.CIN: census_checked, ReturnRun.Kind.SSDA903: tables_checked}


def return_run_request(*, requested_by: User, kind: str, year_ending: int | None) -> ReturnRun:
    """A run of a return for the person's authority, waiting to be produced."""
    if not may_use_returns(requested_by):
        raise PermissionDenied
    errors = {}
    if kind not in ReturnRun.Kind.values:
        errors["kind"] = "Select the return"
    if year_ending not in SUPPORTED:
        errors["year_ending"] = "Select the collection year"
    if not requested_by.authority.la_number:
        errors["kind"] = f"{requested_by.authority.name} has no DfE LA number, so it makes no returns"
    if errors:
        raise ValidationError(errors)
    return ReturnRun.objects.create(authority=requested_by.authority, kind=kind, year_ending=year_ending,
                                    requested_by=requested_by)  # fmt: skip


def return_run_produce(*, run_id: int) -> ReturnRun:
    """Produce and check the return. Safe to run twice (a retried task): a finished run is left as
    it is. A failure is kept on the run with its reason, so the page can say what happened."""
    run = ReturnRun.objects.select_related("authority").get(pk=run_id)
    if run.status in (ReturnRun.Status.DONE, ReturnRun.Status.FAILED):
        return run

    def progress(percent: int, stage: str) -> None:
        ReturnRun.objects.filter(pk=run.pk).update(status=ReturnRun.Status.RUNNING, progress=percent, stage=stage)

    progress(1, "Starting")
    try:
        produced: Produced = PRODUCERS[run.kind](run.authority, CollectionYear(run.year_ending), progress)
    except Exception as error:
        logger.exception("The %s run %s failed", run.kind, run.pk)
        ReturnRun.objects.filter(pk=run.pk).update(status=ReturnRun.Status.FAILED, finished_at=timezone.now(),
                                                   failure=f"{type(error).__name__}: {error}")  # fmt: skip
        run.refresh_from_db()
        return run
    findings = [asdict(finding) | {"child_id": produced.children.get(finding.la_child_id),
                                   "record": produced.records.get((finding.table, finding.row))}
                for finding in produced.findings]  # fmt: skip
    errors = sum(finding.is_error for finding in produced.findings)
    ReturnRun.objects.filter(pk=run.pk).update(
        status=ReturnRun.Status.DONE, progress=100, stage="Finished", finished_at=timezone.now(),
        document=produced.document, children=len(produced.children), errors=errors,
        queries=sum(not finding.is_error and not finding.could_not_run for finding in produced.findings),
        findings=findings,
    )  # fmt: skip
    run.refresh_from_db()
    return run


def past_returns_user(authority: Authority) -> User:
    """Who the records imported from the command line were recorded by: an account no one can sign
    in to, named for what it is, so every imported record still says where it came from."""
    user, _ = User.objects.get_or_create(
        email=f"past-returns@{authority.slug}.casework.invalid",
        defaults={"full_name": "Imported from a past return", "authority": authority, "is_active": False},
    )
    return user


ZIP_SIGNATURE = b"PK\x03\x04"
# An uploaded return is children's data, needed only to preview and confirm the import: after this
# long its bytes are cleared (the row, with what its preview found, stays).
STAGED_FILE_KEPT = timedelta(days=30)
# Big enough for a large authority's census (about 3 KB a child), small enough to refuse a mistake.
MOST_BYTES = 64 * 1024 * 1024


class _PreviewOnly(Exception):
    """Raised inside the preview's transaction so that everything it wrote is rolled back."""


def _counts(run: ImportRun) -> dict:
    return {"children_created": run.children_created, "children_matched": run.children_matched,
            "episodes_created": run.episodes_created, "episodes_matched": run.episodes_matched,
            "records_created": run.records_created, "queries": run.queries, "notes": run.notes,
            "year_ending": run.year_ending}  # fmt: skip


def kind_of_upload(document: bytes) -> str:
    """Which past return an upload is: a ZIP file is the SSDA903 (one CSV a table, as Casework's own
    download gives it); anything else is read as a CIN census, and refused if it is not one."""
    return ImportRun.Kind.SSDA903 if document.startswith(ZIP_SIGNATURE) else ImportRun.Kind.CIN


def past_return_import(*, authority: Authority, kind: str, document: bytes, file_name: str,
                       imported_by: User) -> Imported:  # fmt: skip
    """Import an uploaded past return of either kind (ImportRefused where it cannot be)."""
    if kind == ImportRun.Kind.SSDA903:
        return ssda903_import(authority=authority, files=files_in_zip(document), imported_by=imported_by,
                              source_name=file_name)  # fmt: skip
    return census_import(authority=authority, document=document, file_name=file_name, imported_by=imported_by)


def import_stage(*, uploaded_by: User, file_name: str, document: bytes) -> StagedImport:
    """Keep an uploaded return with what importing it would do: the import itself, run and then
    rolled back, so the preview is exactly what confirming it creates (or why it is refused)."""
    if not may_use_returns(uploaded_by):
        raise PermissionDenied
    if not document:
        raise ValidationError({"file": "The selected file is empty"})
    if len(document) > MOST_BYTES:
        raise ValidationError({"file": "The selected file must be smaller than 64 MB"})
    staged = StagedImport(authority=uploaded_by.authority, kind=kind_of_upload(document), file_name=file_name[:255],
                          document=document, uploaded_by=uploaded_by)  # fmt: skip
    try:
        with transaction.atomic():
            loaded = past_return_import(authority=uploaded_by.authority, kind=staged.kind, document=document,
                                        file_name=file_name, imported_by=uploaded_by)  # fmt: skip
            if not loaded.created:
                staged.already_imported = loaded.run
            else:
                staged.preview = _counts(loaded.run)
            raise _PreviewOnly
    except _PreviewOnly:
        pass
    except ImportRefused as refused:
        staged.problems = [str(problem) for problem in refused.problems]
    staged.save()
    return staged


def staged_files_clear() -> int:
    """Clear the bytes of every upload older than STAGED_FILE_KEPT (the nightly job), keeping the
    rows; how many were cleared. An empty document is a cleared one: an empty upload is refused."""
    old = StagedImport.objects.filter(uploaded_at__lt=timezone.now() - STAGED_FILE_KEPT).exclude(document=b"")
    return old.update(document=b"")


@transaction.atomic
def import_confirm(*, staged: StagedImport, confirmed_by: User) -> StagedImport:
    """Import the previewed file. Confirming twice imports it once."""
    if not may_use_returns(confirmed_by) or staged.authority_id != confirmed_by.authority_id:
        raise PermissionDenied
    staged = locked(StagedImport, pk=staged.pk)
    if staged.import_run_id is not None:
        return staged
    if staged.problems or staged.already_imported_id or not staged.document:
        return staged  # refused, imported before, or no longer kept: its page says which, and nothing is done
    try:
        loaded = past_return_import(authority=staged.authority, kind=staged.kind, document=bytes(staged.document),
                                    file_name=staged.file_name, imported_by=confirmed_by)  # fmt: skip
    except ImportRefused as refused:
        staged.problems = [str(problem) for problem in refused.problems]
        staged.save(update_fields=["problems"])
        return staged
    staged.import_run = loaded.run
    staged.save(update_fields=["import_run"])
    return staged
