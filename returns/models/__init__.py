from .runs import ReturnRun

__all__ = ["ReturnRun"]
