"""A small workspace for the detail-pane tests, built through the Store (the real write path).

It holds one of each situation the pane must explain, modelled on the
reference report: a Telegram breach claim relayed by an outlet (one assertion),
contradicted by the General Staff, addressed neutrally by a think tank, echoed
by a milblogger of the same network (same group) and by a second post of the
same channel (same origin), and an unrelated claim a think tank supports from
the unaligned side.
"""

from __future__ import annotations

import datetime as dt

from desktop.core.store import Store

HOSTILE_TEXT = "<b>html</b> \u200fבחמוט\u200f — بخموت · Бахмут & <script>alert(1)</script>"


def build(store: Store) -> dict[str, int]:
    """Create the workspace; returns name → internal id for sources (``src:…``), places, reports, claims."""
    ids: dict[str, int] = {}

    def source(key: str, name: str, **fields: object) -> None:
        ids[f"src:{key}"] = store.create_source(name, **fields).value

    source(
        "rybar",
        "Rybar",
        kind="telegram-channel",
        side="russia",
        group_label="milbloggers",
        reliability="C",
        url="https://t.me/rybar",
        aliases=["Рыбарь"],
    )
    source("outlet", "Pro-Russian outlet", kind="news-outlet", side="russia", reliability="D")
    source("genstaff", "General Staff of Ukraine", kind="government", side="ukraine", reliability="B")
    source("isw", "Institute for the Study of War", kind="think-tank", reliability="B")
    source("mbc", "Milblogger C", kind="microblogger", side="russia", group_label="milbloggers", reliability="D")
    ids["place:bakhmut"] = store.create_place(
        "Bakhmut", aliases=["Бахмут", "Artemivsk", "Артёмовск"], region="Donetsk Oblast", lat=48.595, lon=38.0
    ).value
    ids["place:soledar"] = store.create_place("Soledar", aliases=["Соледар"], region="Donetsk Oblast").value
    ids["place:opytne"] = store.create_place("Opytne", aliases=["Опитне"]).value
    ids["report:rybar"] = store.create_report(
        "Rybar: situation on the Bakhmut direction",
        source_id=ids["src:rybar"],
        url="https://t.me/rybar/1",
        published=dt.date(2022, 12, 14),
    ).value
    ids["report:isw"] = store.create_report(
        "ISW assessment", source_id=ids["src:isw"], published=dt.date(2022, 12, 15)
    ).value

    def claim(key: str, text: str, src: str, **fields: object) -> None:
        ids[key] = store.create_claim(text, ids[f"src:{src}"], claimed=dt.date(2022, 12, 14), **fields).value

    claim(
        "breach",
        "Russian troops have broken through Bakhmut's eastern defences.",
        "rybar",
        report_id=ids["report:rybar"],
        places=[ids["place:bakhmut"]],
        tags=["breakthrough"],
        credibility=4,
    )
    claim("relay", "Moscow's forces pierced Bakhmut's eastern line.", "outlet")
    claim("repelled", "Ukrainian units beat back assaults around Bakhmut.", "genstaff", kind="statement")
    claim("isw-neutral", "ISW can neither confirm nor deny the breach.", "isw", kind="assessment")
    claim("mbc-echo", "Wagner fighters engaged on Bakhmut's eastern fringe.", "mbc")
    claim("rybar-again", "Rybar repeats: the eastern line is broken.", "rybar")
    claim("offensive", "Russian offensive operations around Bakhmut continued.", "isw", kind="assessment")
    claim("assaults", "Russian forces attacked north-east of Bakhmut.", "mbc")
    claim("hostile", HOSTILE_TEXT, "outlet", notes="notes with <i>markup</i>")
    claim("lonely", "Fighting reported near Opytne.", "mbc", places=[ids["place:opytne"]])

    store.set_link(ids["relay"], ids["breach"], "repeats", "Outlet A carries Rybar's story without attribution")
    store.set_link(ids["repelled"], ids["breach"], "contradicts", "Kyiv says the line holds")
    store.set_link(ids["isw-neutral"], ids["breach"], "neutral", "")
    store.set_link(ids["mbc-echo"], ids["breach"], "corroborates", "same network")
    store.set_link(ids["rybar-again"], ids["breach"], "corroborates", "")
    store.set_link(ids["offensive"], ids["assaults"], "corroborates", "ISW draws on the same reporting")
    ids["outreach:mod"] = store.create_outreach(
        "Ministry of Defence", about=[ids["breach"], ids["repelled"]], contacted=dt.date(2022, 12, 15)
    ).value
    return ids
