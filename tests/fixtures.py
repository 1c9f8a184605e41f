"""Small input files in the shapes real exports have (written by the tests)."""

from __future__ import annotations

from pathlib import Path

from viz.events.formats import GDELT_COLUMNS

ACLED_HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,"
    "inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
    "location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp"
)
ACLED_ROWS = [
    "SYR1,29 February 2020,2020,1,Political violence,Battles,Armed clash,Military Forces of Syria (2000-),,1,"
    "HTS: Hayat Tahrir al Sham,,2,12,,760,Middle East,Syria,Idlib,Ariha,Saraqab,Saraqab,35.8623,36.8041,1,"
    'SOHR,Other,"Clashes between regime forces and HTS near Saraqab, Idlib.",12,,1583000000',
    "SYR2,2020-02-28,2020,1,Political violence,Explosions/Remote violence,Air/drone strike,"
    "Military Forces of Russia (2000-),,8,Civilians (Syria),,7,78,,760,Middle East,Syria,Idlib,Idlib,Idlib,"
    "Idlib,35.9306,36.6339,1,Reuters,International,Airstrikes hit the city of Idlib.,3,,1583000000",
    "UKR1,24 February 2022,2022,1,Political violence,Battles,Armed clash,Military Forces of Russia (2000-),,8,"
    "Military Forces of Ukraine (2019-),,1,18,,804,Europe,Ukraine,Kharkiv,Kharkivskyi,Kharkiv,Kharkiv,"
    "49.9808,36.2527,1,BBC,International,Fighting on the outskirts of Kharkiv.,,,1645700000",
]
UCDP_HEADER = (
    "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,conflict_name,"
    "dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,side_b_dset_id,side_b_new_id,side_b,"
    "number_of_sources,source_article,source_office,source_date,source_headline,source_original,where_prec,"
    "where_coordinates,where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,country_id,"
    "region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,"
    "high,low,gwnoa,gwnob"
)
UCDP_ROWS = [
    "1,SUD-2023-1,2023,1,Clear,1,1,1,Sudan: Government,1,1,Government of Sudan - RSF,1,1,Government of Sudan,2,2,"
    'RSF,3,"Reuters 2023-04-16",Reuters,2023-04-16,Fighting in Khartoum,,1,Khartoum town,Khartoum,'
    "Khartoum state,,15.5518,32.5324,POINT (32.5324 15.5518),1,Sudan,625,Africa,1,1,2023-04-15,2023-04-16,"
    "10,12,20,5,47,60,40,625,",
    "2,SUD-2023-2,2023,1,Clear,3,2,2,RSF - civilians,2,2,RSF - civilians,2,2,RSF,3,3,Civilians,1,"
    '"AFP 2023-06-15",AFP,2023-06-15,Killings in El Geneina,,2,El Geneina town,El Geneina,West Darfur state,,'
    ",,,2,Sudan,625,Africa,1,1,2023-06-14,2023-06-14,0,0,30,0,30,50,25,,",
]


def gdelt_row(**values: str) -> str:
    cells = {c: "" for c in GDELT_COLUMNS}
    cells.update(values)
    return "\t".join(cells[c] for c in GDELT_COLUMNS)


GDELT_ROWS = [
    gdelt_row(
        GLOBALEVENTID="1000001",
        SQLDATE="20200229",
        MonthYear="202002",
        Year="2020",
        Actor1Code="TUR",
        Actor1Name="TURKEY",
        Actor2Code="SYRGOV",
        Actor2Name="SYRIA",
        IsRootEvent="1",
        EventCode="195",
        EventBaseCode="195",
        EventRootCode="19",
        QuadClass="4",
        ActionGeo_Type="4",
        ActionGeo_FullName="Saraqib, Idlib, Syria",
        ActionGeo_CountryCode="SY",
        ActionGeo_Lat="35.8645",
        ActionGeo_Long="36.8059",
        DATEADDED="20200229120000",
        SOURCEURL="https://www.example-news.org/2020/02/29/idlib",
    ),
    gdelt_row(
        GLOBALEVENTID="1000002",
        SQLDATE="20200301",
        Actor1Name="RUSSIA",
        Actor2Name="TURKEY",
        EventCode="043",
        EventBaseCode="043",
        EventRootCode="04",
        ActionGeo_Type="4",
        ActionGeo_FullName="Moscow, Moskva, Russia",
        ActionGeo_CountryCode="RS",
        ActionGeo_Lat="55.7522",
        ActionGeo_Long="37.6156",
        SOURCEURL="https://news.example.com/a",
    ),
    gdelt_row(
        GLOBALEVENTID="1000003",
        SQLDATE="20200301",
        Actor1Name="TURKEY",
        EventCode="141",
        EventBaseCode="141",
        EventRootCode="14",
        ActionGeo_Type="1",
        ActionGeo_FullName="Turkey",
        ActionGeo_CountryCode="TU",
        ActionGeo_Lat="39",
        ActionGeo_Long="35",
        SOURCEURL="https://news.example.com/b",
    ),
]


def write(path: Path, text: str, encoding: str = "utf-8", bom: bool = False) -> Path:
    data = text.encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def acled(path: Path, rows: list[str] | None = None, **kw) -> Path:
    return write(path, "\n".join([ACLED_HEADER, *(rows or ACLED_ROWS)]) + "\n", **kw)


def ucdp(path: Path) -> Path:
    return write(path, "\n".join([UCDP_HEADER, *UCDP_ROWS]) + "\n")


def gdelt(path: Path) -> Path:
    return write(path, "\n".join(GDELT_ROWS) + "\n")
