"""The source review's text: normalisation, quote lookup, sections and cited references.

The review's text is not shipped with gerokg (only quotes of it are). These functions take the
text as a string, so that a curator or a test can check quotes, sections and reference numbers
against a local copy (``gerokg build --review PATH``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "Citation",
    "ReviewText",
    "expand_references",
    "normalise",
]

_LINE_END_HYPHEN = re.compile(r"-[ \t]*\n\s*")
_WHITESPACE = re.compile(r"\s+")
# A citation group: reference numbers in superscript, flattened by text extraction to digits
# glued to the preceding punctuation or word, e.g. "therapy.8–18", "mTORC1),1–5", "humans.181,182".
_CITATION = re.compile(
    r"(?:(?<=[.,;:)’”])|(?<=[a-z]{4}))"
    r"(\d{1,3}(?:\s?[–-]\s?\d{1,3})?(?:,\s?\d{1,3}(?:\s?[–-]\s?\d{1,3})?)*)"
    r"(?=[\s.,;:]|$)"
)
_SENTENCE_END = re.compile(r"[.?!](?=\s|\d|$)")


def normalise(text: str) -> str:
    """Normalise text for quote matching.

    A hyphen at the end of a line joins the next line (``cancer-\\npreventive`` becomes
    ``cancer-preventive``), then every run of whitespace becomes one space.

    :param text: raw text
    :returns: the normalised text, stripped

    >>> normalise("mTOr com-\\nplex  1")
    'mTOr com-plex 1'
    """
    text = _LINE_END_HYPHEN.sub("-", text)
    return _WHITESPACE.sub(" ", text).strip()


def expand_references(spec: str | int) -> list[int]:
    """Expand a reference specification such as ``"77-82"`` or ``"77–82"`` into numbers.

    :param spec: one number, or a range written with a hyphen or an en dash
    :returns: the numbers, ascending
    :raises ValueError: when the spec is not a number or a range, or the range runs backwards

    >>> expand_references("77–82")
    [77, 78, 79, 80, 81, 82]
    >>> expand_references(5)
    [5]
    """
    if isinstance(spec, bool):
        raise ValueError(f"not a reference number: {spec!r}")
    if isinstance(spec, int):
        if spec < 1:
            raise ValueError(f"reference numbers start at 1: {spec}")
        return [spec]
    text = str(spec).strip()
    m = re.fullmatch(r"(\d+)\s*(?:[–-]\s*(\d+))?", text)
    if not m:
        raise ValueError(f"not a reference number or range: {spec!r}")
    start = int(m.group(1))
    end = int(m.group(2)) if m.group(2) else start
    if start < 1 or end < start:
        raise ValueError(f"bad reference range: {spec!r}")
    return list(range(start, end + 1))


@dataclass(frozen=True)
class Citation:
    """A group of cited reference numbers at a position of the normalised text."""

    start: int
    end: int
    numbers: tuple[int, ...]


class ReviewText:
    """The normalised review text with its citation groups."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.text = normalise(raw)
        self.citations = self._find_citations()

    @classmethod
    def from_path(cls, path: str | Path) -> ReviewText:
        """Read the review text from a file (UTF-8)."""
        return cls(Path(path).read_text(encoding="utf-8"))

    def _find_citations(self) -> list[Citation]:
        found = []
        for m in _CITATION.finditer(self.text):
            numbers: list[int] = []
            for part in m.group(1).split(","):
                numbers.extend(expand_references(part.replace(" ", "")))
            found.append(Citation(m.start(1), m.end(1), tuple(numbers)))
        return found

    def find(self, quote: str) -> list[int]:
        """Return every start offset of ``quote`` (normalised) in the normalised text."""
        needle = normalise(quote)
        if not needle:
            return []
        out = []
        i = self.text.find(needle)
        while i != -1:
            out.append(i)
            i = self.text.find(needle, i + 1)
        return out

    def sentence_end(self, offset: int) -> int:
        """Offset just past the citation group that closes the sentence containing ``offset``."""
        m = _SENTENCE_END.search(self.text, offset)
        end = m.end() if m else len(self.text)
        for c in self.citations:
            if c.start == end:
                return c.end
        return end

    def citations_between(self, start: int, end: int) -> list[Citation]:
        """Citation groups that start within ``[start, end]``."""
        return [c for c in self.citations if start <= c.start <= end]
