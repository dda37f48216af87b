"""The actor knowledge base: countries, places, organisations, armed groups, people, role nouns.

>>> kb = KnowledgeBase.load()
>>> kb.lookup("سيرجيه لافروف")[0].actor_at(datetime.date(2016, 4, 15))
'RUSGOV'
>>> kb.adjective("الأميركية").id
'country:USA'

The data files in ``data/`` are built by ``tools/build_kb.py`` from the PETRARCH2 and
UniversalPetrarch dictionaries, pycountry, Babel (CLDR) and GeoNames, and from the hand-curated
sources in ``tools/kb_sources/``; ``data/README.md`` records provenance and licences.
"""

from .base import KnowledgeBase
from .model import Code, Country, KBEntry, Role, alias_key
from .validate import validate

__all__ = ["Code", "Country", "KBEntry", "KnowledgeBase", "Role", "alias_key", "validate"]
