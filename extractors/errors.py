"""The one exception readers raise for input they cannot read, with a message a person understands."""

from schemas.records import Status


class ReaderError(Exception):
    """A file that cannot be read as a report; str(error) is the one-line reason for documents.csv.

    `partial` marks a document that was read but lacks what we need (e.g. an image-only PDF
    without OCR), as opposed to one that could not be opened at all.
    """

    def __init__(self, message: str, *, status: Status = Status.FAILED) -> None:
        super().__init__(message)
        self.status = status


class LimitExceeded(BaseException):
    """A resource limit of the run (time, memory) was hit: a BaseException, so no `except Exception` in a
    reader or a library can swallow it and mislabel the document; only the executor catches it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DocumentTimeout(LimitExceeded):
    """The per-document wall-clock limit (--timeout) ran out."""


def timeout_message(seconds: float) -> str:
    """The one-line reason a document that ran out of time gets in documents.csv."""
    return f"timeout after {seconds:g} s (raise --timeout)"


OUT_OF_MEMORY = "out of memory (raise --max-memory)"


class MemoryLimit(LimitExceeded):
    """The worker's resident memory went over --max-memory."""


def is_out_of_memory(exc: BaseException) -> bool:
    """True for an error that means memory ran out, including a library that could not be mapped under the
    memory cap (an ImportError or OSError saying so), which must not read as a missing reader or a bad file."""
    if isinstance(exc, (MemoryError, MemoryLimit)):
        return True
    text = str(exc).lower()
    return "failed to map segment" in text or "cannot allocate memory" in text
