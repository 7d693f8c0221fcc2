"""The one exception readers raise for input they cannot read, with a message a person understands."""


class ReaderError(Exception):
    """A file that cannot be read as a report; str(error) is the one-line reason for documents.csv.

    `partial` marks a document that was read but lacks what we need (e.g. an image-only PDF
    without OCR), as opposed to one that could not be opened at all.
    """

    def __init__(self, message: str, *, status: str = "failed") -> None:
        super().__init__(message)
        self.status = status
