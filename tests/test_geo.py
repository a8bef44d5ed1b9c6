"""Geoparsing: precision levels, unknown places kept, transliterations, user places, context, event places.

Real spaCy model and real gazetteer (built once per machine, then loaded from the user cache).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dossier.geo import Gazetteer, Geoparser, geoparse_texts
from dossier.nlp import load_nlp

SHARED = Path(os.environ.get("DOSSIER_SHARED", Path(__file__).resolve().parents[2] / "shared"))
SAMPLE = SHARED / "samples" / "soc-statement.txt"


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.fixture(scope="module")
def parser() -> Geoparser:
    return Geoparser(Gazetteer.load())


def places_of(nlp, parser, text):
    doc = nlp(text)
    return doc, parser.places(doc)


def by_name(places, name):
    found = [p for p in places if p.name == name]
    assert found, f"{name!r} not among {[p.name for p in places]}"
    return found[0]


def km(a_lat, a_lon, b_lat, b_lon):
    import math

    p1, p2 = math.radians(a_lat), math.radians(b_lat)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b_lon - a_lon) / 2) ** 2
    )
    return 12742 * math.asin(math.sqrt(h))


def test_country_level(nlp, parser):
    _, places = places_of(nlp, parser, "The talks on Syria resumed on Monday.")
    syria = by_name(places, "Syria")
    assert (syria.precision, syria.country) == ("country", "SYR")
    assert syria.lat is not None and syria.lon is not None


@pytest.mark.parametrize("name", ["Idlib province", "Idlib Governorate"])
def test_admin1_level(nlp, parser, name):
    _, places = places_of(nlp, parser, f"Government forces shelled towns in {name} on Monday.")
    idlib = by_name(places, name)
    assert (idlib.precision, idlib.country) == ("admin1", "SYR")
    assert km(idlib.lat, idlib.lon, 35.93, 36.63) < 100


def test_city_level(nlp, parser):
    _, places = places_of(nlp, parser, "Shelling continued in Aleppo overnight.")
    aleppo = by_name(places, "Aleppo")
    assert (aleppo.precision, aleppo.country, aleppo.geonameid) == ("city", "SYR", 170063)


def test_unknown_place_kept_with_its_span(nlp, parser):
    text = "Clashes were reported in Qaryat Zzyx on Monday."
    _, places = places_of(nlp, parser, text)
    unknown = by_name(places, "Qaryat Zzyx")
    assert unknown.precision == "unresolved"
    assert (unknown.lat, unknown.lon, unknown.geonameid) == (None, None, None)
    assert text[unknown.start : unknown.end] == "Qaryat Zzyx"


def test_one_bad_place_does_not_drop_the_others(nlp, parser):
    _, places = places_of(
        nlp, parser, "Clashes were reported in Qaryat Zzyx, near Saraqib and Aleppo in Syria."
    )
    # a name the gazetteer lacks is kept as unresolved (no geonameid), with the point of the town named
    # nearest to it
    unknown = by_name(places, "Qaryat Zzyx")
    assert unknown.precision == "unresolved" and unknown.geonameid is None
    assert unknown.country == "SYR" and km(unknown.lat, unknown.lon, 35.86, 36.80) < 30
    assert by_name(places, "Saraqib").country == "SYR"
    assert by_name(places, "Aleppo").precision == "city"
    assert by_name(places, "Syria").precision == "country"


def test_sample_statement_towns():
    if not SAMPLE.is_file():
        pytest.skip(f"shared sample not found: {SAMPLE}")
    text = SAMPLE.read_text(encoding="utf-8")
    [(doc_id, places)] = list(geoparse_texts([("soc", text)]))
    assert doc_id == "soc"
    douma, saraqib = by_name(places, "Douma"), by_name(places, "Saraqib")
    assert douma.country == saraqib.country == "SYR"
    assert km(douma.lat, douma.lon, 33.57, 36.40) < 10
    assert km(saraqib.lat, saraqib.lon, 35.86, 36.80) < 10
    # not in the gazetteer: kept, with its span
    lataminah = by_name(places, "Al-Lataminah")
    assert lataminah.precision == "unresolved" and lataminah.geonameid is None and lataminah.country == "SYR"
    assert text[lataminah.start : lataminah.end] == "Al-Lataminah"


def test_transliteration_variants(nlp, parser):
    gaz = parser.gazetteer
    douma = max(gaz.lookup("Dūmā"), key=lambda c: c.population)
    assert any(c.geonameid == douma.geonameid for c in gaz.lookup("Duma"))
    assert any(c.geonameid == douma.geonameid for c in gaz.lookup("Douma"))
    _, places = places_of(
        nlp, parser, "Fighters withdrew from al-Raqqa. Later they left Raqqa and fought in Duma."
    )
    assert by_name(places, "al-Raqqa").geonameid == by_name(places, "Raqqa").geonameid
    assert by_name(places, "Raqqa").country == "SYR"
    assert by_name(places, "Duma").country == "SYR"


def test_user_places_file(tmp_path, monkeypatch, nlp):
    f = tmp_path / "villages.tsv"
    f.write_text("name\tlat\tlon\tcountry\tadmin1\nKafr Zzyxa\t35.5\t36.5\tSY\tIdlib\n", encoding="utf-8")
    gaz = Gazetteer.load(f)
    [village] = gaz.lookup("Kafr Zzyxa")
    assert (village.lat, village.lon, village.country, village.admin1) == (35.5, 36.5, "SYR", "Idlib")
    assert not Gazetteer.load().lookup("Kafr Zzyxa")  # the shared gazetteer is untouched
    csv_file = tmp_path / "more.csv"
    csv_file.write_text("Tall Zzyxb,36.1,37.2,SYR,Aleppo\n", encoding="utf-8")
    monkeypatch.setenv("DOSSIER_PLACES", str(csv_file))
    _, places = places_of(nlp, Geoparser(Gazetteer.load()), "Shelling was reported in Tall Zzyxb.")
    assert by_name(places, "Tall Zzyxb").precision == "city"


def test_document_context_picks_the_right_tripoli(nlp, parser):
    _, lebanon = places_of(
        nlp, parser, "Protesters gathered in Tripoli, north of Beirut, as Lebanon's cabinet met."
    )
    _, libya = places_of(
        nlp, parser, "Militias fought in Tripoli as Libya's rival governments met in Benghazi."
    )
    assert by_name(lebanon, "Tripoli").country == "LBN"
    assert by_name(libya, "Tripoli").country == "LBY"


def test_event_location(nlp, parser):
    doc, places = places_of(
        nlp, parser, "Rebels attacked a checkpoint in Saraqib, while talks went on in Geneva."
    )
    trigger = next(t.i for t in doc if t.text == "attacked")
    target = next(t.i for t in doc if t.text == "checkpoint")
    assert parser.event_location(doc, places, trigger, [target]).name == "Saraqib"
    # no place attached: the nearest place in the sentence
    doc, places = places_of(
        nlp, parser, "Aleppo was quiet. The Syrian army shelled rebel positions near the town."
    )
    trigger = next(t.i for t in doc if t.text == "shelled")
    # "Syrian" names who shelled, not where: the nationality word is never the place; the document's
    # focus country is
    loc = parser.event_location(doc, places, trigger, [])
    assert (loc.name, loc.precision) == ("Syria", "country")
    doc, places = places_of(nlp, parser, "Israeli jets struck targets near Gaza City overnight.")
    trigger = next(t.i for t in doc if t.text == "struck")
    assert parser.event_location(doc, places, trigger, []).name == "Gaza City"
    # no place in the sentence: the document's focus country, at one of its mentions
    doc, places = places_of(
        nlp, parser, "Syria rejected the plan. Syria's allies agreed. Officials met on Monday."
    )
    trigger = next(t.i for t in doc if t.text == "met")
    focus = parser.event_location(doc, places, trigger, [])
    assert (focus.precision, focus.country) == ("country", "SYR")
    assert doc.text[focus.start : focus.end] == "Syria"


def test_no_places():
    [(_, places)] = list(geoparse_texts([("empty", "Nothing happened here, they said.")]))
    assert places == []


def test_former_countries_and_hyphenated_compounds(nlp, parser):
    _, places = places_of(
        nlp, parser, "The UK-based charity worked in the Soviet Union, in Yugoslavia and in Czechoslovakia."
    )
    assert by_name(places, "UK").country == "GBR"
    assert by_name(places, "Soviet Union").country == "RUS"
    assert by_name(places, "Yugoslavia").country == "SRB"
    assert by_name(places, "Czechoslovakia").country == "CZE"


def test_country_initials_when_the_country_is_named(nlp, parser):
    _, places = places_of(nlp, parser, "Many South Africans say SA needs new leaders. In SA, the debate goes on.")
    assert [p.country for p in places if p.name == "SA"] == ["ZAF", "ZAF"]
    _, places = places_of(nlp, parser, "The SA team met on Monday.")  # no country named: no guess
    assert not [p for p in places if p.name == "SA"]


def test_dateline_after_a_byline(nlp, parser):
    _, places = places_of(nlp, parser, "By JANE DOE and JOHN ROE, Associated Press CAIRO (AP) — Talks resumed.")
    assert by_name(places, "CAIRO").country == "EGY"


def test_state_named_by_its_abbreviation_beats_the_capital(nlp, parser):
    text = (
        "The trip took them to Nevada and Washington, D.C., before the team, based in Tacoma, Wash., "
        "went home. Work in Washington went on."
    )
    _, places = places_of(nlp, parser, text)
    washingtons = [p for p in places if p.name == "Washington"]
    assert washingtons[0].admin1 == "District of Columbia"  # "Washington, D.C."
    assert (washingtons[-1].precision, washingtons[-1].admin1) == ("admin1", "Washington")


def test_a_big_city_beats_a_village_near_another_named_place(nlp, parser):
    _, places = places_of(nlp, parser, "Fans in Columbus, Ohio, cheered as the team beat Louisville.")
    louisville = by_name(places, "Louisville")
    assert km(louisville.lat, louisville.lon, 38.25, -85.76) < 30


def test_building_named_after_a_town_at_its_end(nlp, parser):
    _, places = places_of(nlp, parser, "Japanese officials met staff at the British Embassy Tokyo on Monday.")
    embassy = next(p for p in places if "Embassy" in p.name)
    assert km(embassy.lat, embassy.lon, 35.69, 139.69) < 30


def test_one_sense_per_document(nlp, parser):
    text = (
        "The team flew to Spokane on Friday. Gonzaga then beat Spokane rivals, and fans said Spokane had "
        "never seen such a night."
    )
    _, places = places_of(nlp, parser, text)
    spokanes = [p for p in places if p.name == "Spokane"]
    assert len(spokanes) == 3 and {p.admin1 for p in spokanes} == {"Washington"}


def test_surname_of_a_person_named_in_full_is_no_place(nlp, parser):
    text = "White House chief of staff John Kelly met reporters in Washington. Kelly said the talks went well."
    _, places = places_of(nlp, parser, text)
    # "Kelly" is no place; "White House" is one, at Washington's point (a seat of government named for its city)
    assert [p.name for p in places] == ["White House", "Washington"]
    assert {(p.lat, p.lon) for p in places} == {(places[1].lat, places[1].lon)}


def test_county_is_placed_locally_not_at_a_namesake_town(nlp, parser):
    _, places = places_of(nlp, parser, "Voters in Clinton County, Pennsylvania, near Lock Haven, went to the polls.")
    county = by_name(places, "Clinton County")
    assert county.admin1 == "Pennsylvania"


def test_features_and_quarters_are_not_the_places_they_are_named_after(nlp, parser):
    _, places = places_of(nlp, parser, "Pilgrims were baptised in the Jordan River near Jericho.")
    assert all(p.country != "JOR" for p in places)
    text = "An extension of the French Quarter street grid reached Esplanade Avenue in New Orleans."
    _, places = places_of(nlp, parser, text)
    quarter = by_name(places, "French Quarter")
    assert quarter.country == "USA" and all(p.country != "FRA" for p in places)


def test_place_before_based_or_led(nlp, parser):
    _, places = places_of(nlp, parser, "The Kenya-based group and a Saudi-led coalition met.")
    assert by_name(places, "Kenya").country == "KEN"


def test_gazetteer_builds_of_other_versions_are_pruned_only_when_stale(tmp_path: Path) -> None:
    """Two checkouts sharing one cache directory keep each other's builds; a build unused for a week goes."""
    from dossier.geo._gazetteer import STALE_BUILD_SECONDS, prune_builds

    now = 1_000_000_000.0
    mine, other, stale = (tmp_path / f"gazetteer-{k}.pickle" for k in ("aaaa", "bbbb", "cccc"))
    for p in (mine, other, stale):
        p.write_bytes(b"x")
    os.utime(mine, (now - 2 * STALE_BUILD_SECONDS, now - 2 * STALE_BUILD_SECONDS))  # this one is in use
    os.utime(other, (now - 3600, now - 3600))
    os.utime(stale, (now - STALE_BUILD_SECONDS - 1, now - STALE_BUILD_SECONDS - 1))
    assert prune_builds(mine, now=now) == [stale]
    assert sorted(p.name for p in tmp_path.iterdir()) == [mine.name, other.name]


@pytest.mark.parametrize(
    ("text", "name", "town"),
    [
        # an organisation or event put in a town is a place there
        ("He studied at the Royal Academy of Music in London before moving to Berlin.", "Royal Academy of Music",
         "London"),
        ("Delegates gathered at the World Economic Forum in Davos.", "World Economic Forum", "Davos"),
        # one someone is at is a place in the town the text is about
        ("Police in Leeds said the man had worked at the Royal Armouries for ten years.", "Royal Armouries", "Leeds"),
        ("Police in Nairobi said crowds gathered outside the National Assembly on Monday.", "National Assembly",
         "Nairobi"),
    ],
)
def test_an_organisation_or_event_in_or_at_a_town_is_a_place_there(nlp, parser, text, name, town):
    _, places = places_of(nlp, parser, text)
    site, host = by_name(places, name), by_name(places, town)
    assert site.precision == "unresolved" and site.geonameid is None
    assert (site.lat, site.lon, site.country) == (host.lat, host.lon, host.country)


@pytest.mark.parametrize(
    ("text", "name", "town"),
    [
        ("Shoppers in Gainesville and Manassas crowd the Shops at Stonewall every weekend.", "Stonewall", "Manassas"),
        ("Fans from Leeds and Bradford went to the Pioneer cinema in Dewsbury.", "Pioneer", "Dewsbury"),
    ],
)
def test_a_village_far_from_every_town_of_the_text_is_a_local_namesake(nlp, parser, text, name, town):
    # the gazetteer's Stonewall is in Mississippi and its Pioneer in Queensland: small and far from all the
    # text names, the name is taken for a local place and placed in the text's town
    _, places = places_of(nlp, parser, text)
    local, host = by_name(places, name), by_name(places, town)
    assert local.precision == "unresolved" and local.geonameid is None
    assert (local.lat, local.lon, local.country) == (host.lat, host.lon, host.country)


def test_a_name_after_the_kind_of_place_it_is_is_a_place(nlp, parser):
    # no preposition before it, and the model calls it a person: "the village of" says it is a place
    text = "Soldiers burned the village of Umm Qasrayn before dawn, residents of Aleppo said."
    _, places = places_of(nlp, parser, text)
    village = by_name(places, "Umm Qasrayn")
    assert village.precision == "unresolved" and village.country == "SYR"


def test_name_index_reads_as_the_dict_it_replaces():
    import pickle

    from dossier.geo._gazetteer import NameIndex

    plain = {"aleppo": (8, 13), "~alepo": (10,), "homs": (4,), "zürich": (1, 2, 3)}
    idx = pickle.loads(pickle.dumps(NameIndex.from_dict(plain)))
    for k, v in plain.items():
        assert idx.get(k) == v and idx[k] == v and k in idx
    for k in ("", "a", "aleppoo", "zz", "~"):
        assert idx.get(k) == () and idx.get(k, None) is None and k not in idx
        with pytest.raises(KeyError):
            idx[k]
    assert dict(idx) == plain and len(idx) == len(plain)
    other = idx.copy()
    other["homs"] = (20, *other.get("homs"))  # a user place is read before the build's own hits
    other["new place"] = (24,)
    assert other.get("homs") == (20, 4) and "new place" in other and len(other) == 5
    assert idx.get("homs") == (4,) and "new place" not in idx  # the copy's additions are its own
    assert dict(other) == {**plain, "homs": (20, 4), "new place": (24,)}
    assert pickle.loads(pickle.dumps(other)).get("new place") == (24,)
