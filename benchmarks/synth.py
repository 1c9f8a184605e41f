"""Synthetic events and articles at any size, for benchmarks (not the demo).

    python benchmarks/synth.py acled 1000000 out.csv
    python benchmarks/synth.py articles 1000 out_dir/

Deterministic for a seed.  Places, actors and types are drawn from small
lists with a skew, as real event data repeat their places.
"""

from __future__ import annotations

import csv
import random
import sys
from datetime import date, timedelta
from pathlib import Path

PLACES = [
    ("Idlib", "Syria", 760, "Idlib", 35.9306, 36.6339),
    ("Saraqib", "Syria", 760, "Idlib", 35.8645, 36.8059),
    ("Aleppo", "Syria", 760, "Aleppo", 36.2021, 37.1343),
    ("Kharkiv", "Ukraine", 804, "Kharkiv", 49.9808, 36.2527),
    ("Bakhmut", "Ukraine", 804, "Donetsk", 48.5956, 37.9999),
    ("Kherson", "Ukraine", 804, "Kherson", 46.6354, 32.6169),
    ("Khartoum", "Sudan", 729, "Khartoum", 15.5518, 32.5324),
    ("El Fasher", "Sudan", 729, "North Darfur", 13.6279, 25.3494),
    ("Mogadishu", "Somalia", 706, "Banadir", 2.0371, 45.3438),
    ("Gao", "Mali", 466, "Gao", 16.2717, -0.0447),
    ("Tripoli", "Libya", 434, "Tripoli", 32.8872, 13.1913),
    ("Sanaa", "Yemen", 887, "Amanat al Asimah", 15.3547, 44.2067),
    ("Mandalay", "Myanmar", 104, "Mandalay", 21.9747, 96.0836),
    ("Kabul", "Afghanistan", 4, "Kabul", 34.5281, 69.1723),
]
TYPES = [
    ("Battles", "Armed clash"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Violence against civilians", "Attack"),
    ("Protests", "Peaceful protest"),
    ("Riots", "Violent demonstration"),
    ("Strategic developments", "Looting/property destruction"),
]
ACTORS = [
    "Military Forces of Syria (2000-)",
    "HTS: Hayat Tahrir al Sham",
    "Military Forces of Russia (2000-)",
    "Military Forces of Ukraine (2019-)",
    "RSF: Rapid Support Forces",
    "Military Forces of Sudan (2019-)",
    "Al Shabaab",
    "JNIM: Group for Support of Islam and Muslims",
    "Civilians",
    "Protesters",
    "Rioters",
]
HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,"
    "inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
    "location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp"
).split(",")


def acled_csv(n: int, path: Path, seed: int = 1, spread: float = 0.05) -> Path:
    """``spread``: degrees of jitter around each place (wider for map benchmarks)."""
    rng = random.Random(seed)
    start = date(2018, 1, 1)
    weights = [1 / (i + 1) for i in range(len(PLACES))]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for i in range(n):
            place, country, iso, admin1, lat, lon = rng.choices(PLACES, weights)[0]
            etype, sub = rng.choice(TYPES)
            d = start + timedelta(days=rng.randrange(2500))
            a1, a2 = rng.sample(ACTORS, 2)
            fat = rng.choice([0, 0, 0, 1, 2, 3, 5, 10])
            w.writerow(
                [
                    f"X{i}",
                    d.strftime("%d %B %Y"),
                    d.year,
                    1,
                    "Political violence",
                    etype,
                    sub,
                    a1,
                    "",
                    1,
                    a2,
                    "",
                    2,
                    12,
                    "",
                    iso,
                    "Region",
                    country,
                    admin1,
                    "",
                    "",
                    place,
                    round(max(-89.0, min(89.0, lat + rng.uniform(-spread, spread))), 4),
                    round(lon + rng.uniform(-spread, spread), 4),
                    1,
                    "Local media",
                    "National",
                    f"On {d:%d %B %Y}, {a1} and {a2} clashed near {place}. [size=no report]",
                    fat,
                    "",
                    1600000000,
                ]
            )
    return path


SENTENCES = [
    "{a} forces shelled {p} on {wd}, killing {n} civilians, officials said.",
    "Fighting between {a} and {b} continued near {p} in {month}.",
    "Thousands protested in {p} against {a} this week.",
    "{a} and {b} agreed to a ceasefire in {p} on {wd}, the UN said.",
    "Troops were deployed to {p2} after the clashes in {p}.",
    "The president said {a} would not withdraw from {p2}.",
]
ACTOR_NAMES = [
    "Russia",
    "Turkey",
    "Syria",
    "Ukraine",
    "the RSF",
    "Sudanese Armed Forces",
    "al-Shabaab",
    "Hamas",
    "Israel",
    "Houthis",
    "Taliban",
    "the Libyan National Army",
]
PLACE_NAMES = [p[0] for p in PLACES] + [
    "Homs",
    "Mariupol",
    "Omdurman",
    "Kismayo",
    "Timbuktu",
    "Benghazi",
    "Aden",
    "Yangon",
    "Kandahar",
    "Deir ez-Zor",
    "Ras al-Ain",
    "Kiev",
    "Zaporozhye",
]


def articles(n: int, folder: Path, seed: int = 2, sentences: int = 8) -> list[Path]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        d = date(2019, 1, 1) + timedelta(days=rng.randrange(2000))
        p = rng.choice(PLACE_NAMES)
        lines = [f"date {d.isoformat()} Clashes reported near {p}", ""]
        for _ in range(sentences):
            lines.append(
                rng.choice(SENTENCES).format(
                    a=rng.choice(ACTOR_NAMES),
                    b=rng.choice(ACTOR_NAMES),
                    p=rng.choice(PLACE_NAMES),
                    p2=rng.choice(PLACE_NAMES),
                    n=rng.randrange(1, 40),
                    wd=rng.choice(["Monday", "Tuesday", "Saturday"]),
                    month=rng.choice(["January", "March", "October"]),
                )
            )
            lines.append("")
        path = folder / f"article_{i:05d}.txt"
        path.write_text("\n".join(lines), encoding="utf-8")
        out.append(path)
    return out


if __name__ == "__main__":
    kind, n, dest = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    if kind == "acled":
        acled_csv(n, dest)
    else:
        articles(n, dest)
