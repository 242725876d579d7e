from .imports import ImportedRecord, ImportRun, ReturnIdentity, StagedImport
from .runs import ReturnRun

__all__ = ["ImportRun", "ImportedRecord", "ReturnIdentity", "ReturnRun", "StagedImport"]
