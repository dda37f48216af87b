"""marsad: who did what to whom, who said what, where and when, in Arabic news.

The public API::

    import marsad
    doc = marsad.analyze(text, published=datetime.date(2016, 4, 16))
    record = marsad.to_record(doc)      # the marsad.analysis/1 JSON object

Names are imported on first use, so ``import marsad.text.normalize`` does not load the pipeline.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_LAZY = {
    "analyze": "pipeline",
    "default_pipeline": "pipeline",
    "Pipeline": "pipeline",
    "Stage": "pipeline",
    "to_record": "serialize",
    "Document": "document",
    "Span": "document",
    "Token": "document",
    "Sentence": "document",
    "Header": "document",
    "Entity": "document",
    "Mention": "document",
    "Quote": "document",
    "Place": "document",
    "Event": "document",
}

__all__ = [*_LAZY, "__version__"]

if TYPE_CHECKING:
    from .document import Document, Entity, Event, Header, Mention, Place, Quote, Sentence, Span, Token
    from .pipeline import Pipeline, Stage, analyze, default_pipeline
    from .serialize import to_record


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'marsad' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
