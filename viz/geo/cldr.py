"""Countries by their English names (CLDR, through babel), for people to read:
"Syria", not "SY", in the filters, hover labels and legends."""

from __future__ import annotations

from functools import cache


@cache
def country_names() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> CLDR's English name (XK, Kosovo, included;
    CLDR's own groupings such as EU, UN and ZZ "Unknown Region" left out)."""
    import pycountry
    from babel import Locale

    iso = {c.alpha_2 for c in pycountry.countries} | {"XK"}
    return {k: str(v) for k, v in Locale("en").territories.items() if k in iso}


def country_name(cc: object) -> str:
    """The name of a country code, or the code itself when CLDR has none."""
    code = "" if cc is None else str(cc)
    return country_names().get(code.upper(), code)


def country_label(cc: object) -> str:
    """A country as a filter shows it: "Syria (SY)"; nothing for a missing
    code (None, NaN or pandas' NA: a table's empty cell, not "nan")."""
    code = "" if cc is None or str(cc) in ("nan", "<NA>") else str(cc)
    name = country_name(code)
    return f"{name} ({code})" if name != code else code
