"""The project's errors.  Each also inherits the builtin it refines, so callers
may catch ``ValueError`` or ``OSError`` without importing this module, and the
geocoder's errors are geopy's, so geopy habits (``except GeocoderQueryError``)
apply."""

from __future__ import annotations

from geopy.exc import GeocoderQueryError, GeopyError


class VizError(Exception):
    """Base of every error raised on purpose by ``viz``."""


class IndexError_(VizError, FileNotFoundError):
    """The gazetteer index is missing or could not be built."""


class QueryError(VizError, GeocoderQueryError, ValueError):
    """A geocoding query that cannot be answered as asked (empty, wrong type,
    a malformed country code)."""


class OnlineError(VizError, GeopyError):
    """The online fallback was asked for but cannot run (unknown provider,
    missing configuration)."""


class InputError(VizError, ValueError):
    """Input data that cannot be read; the message names file, row and column."""


class ConfigurationError(VizError, RuntimeError):
    """A setting names something this machine does not have (a spaCy pipeline
    that is not installed)."""
