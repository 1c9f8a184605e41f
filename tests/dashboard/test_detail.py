"""The event detail's evidence, its places marked."""

from __future__ import annotations

import pandas as pd

from viz.dashboard.detail import evidence_parts


def frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["event_id", "place", "source", "text"])


def test_every_place_of_the_sentence_is_marked():
    text = "Rebels seized Kidal, Gao and Timbuktu on Tuesday."
    df = frame(
        [
            {"event_id": "a", "place": "Kidal", "source": "mali.txt", "text": text},
            {"event_id": "b", "place": "Gao", "source": "mali.txt", "text": text},
            {"event_id": "c", "place": "Timbuktu", "source": "mali.txt", "text": text},
            {"event_id": "d", "place": "Rebels", "source": "other.txt", "text": text},  # another source
        ]
    )
    parts = evidence_parts(df.iloc[1], df)
    assert "".join(t for t, _ in parts) == text  # nothing lost, nothing added
    assert [t for t, marked in parts if marked] == ["Kidal", "Gao", "Timbuktu"]


def test_untrusted_text_is_returned_as_plain_parts():
    text = "<script>alert(1)</script> clashes in [Homs](javascript:x)"
    df = frame([{"event_id": "a", "place": "Homs", "source": None, "text": text}])
    parts = evidence_parts(df.iloc[0], df)
    assert "".join(t for t, _ in parts) == text and ("Homs", True) in parts


def test_no_place_in_the_text():
    df = frame([{"event_id": "a", "place": "Aleppo", "source": "s", "text": "Shelling went on."}])
    assert evidence_parts(df.iloc[0], df) == [("Shelling went on.", False)]
    empty = frame([{"event_id": "a", "place": "Aleppo", "source": "s", "text": None}])
    assert evidence_parts(empty.iloc[0], empty) == []
