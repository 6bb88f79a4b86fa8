"""The Ofsted page's logic: which council to show and what to say about it, the judgement grids
(each framework with its own judgement areas, in Ofsted's wording), the trajectory of overall
effectiveness with visits on the same time axis, neighbours' and England's latest grades as context,
and the intervention timeline of a programme. Plain functions over the frames of the `ofsted_*`,
`statutory_directions` and `ofsted_timeline_*` queries; chart builders return go.Figure.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from monitor.formatting import format_date
from monitor.loaders.ofsted import GRADED_KINDS, ILACS_JUDGEMENTS, OVERALL, WIDE_BLOCKS

# The four-point scale, best first, in Ofsted's words.
GRADES = ("Outstanding", "Good", "Requires improvement to be good", "Inadequate")
GRADE_SCORE = {"Outstanding": 4, "Good": 3, "Requires improvement to be good": 2, "Inadequate": 1}
# Grades are always words on screen; colour and marker shape only repeat them.
GRADE_COLOUR = {"Outstanding": "#00703c", "Good": "#5d9c2f", "Requires improvement to be good": "#b25e00",
                "Inadequate": "#c0281b"}
GRADE_SYMBOL = {"Outstanding": "star", "Good": "circle", "Requires improvement to be good": "diamond",
                "Inadequate": "x"}
VISIT_KINDS = ("focused visit", "monitoring visit")
STAT_NEIGHBOURS = "statistical neighbours"
MAX_COMPARE = 10


def _areas(*frameworks: str) -> tuple[str, ...]:
    """Judgement areas of the wide file's blocks for these frameworks, in the file's order."""
    out: list[str] = []
    for block in WIDE_BLOCKS:
        if block.framework in frameworks:
            out += [area for _, area in block.judgements if area not in out]
    return tuple(out)


@dataclass(frozen=True)
class Family:
    """Inspection frameworks that share judgement areas: one grid each."""

    key: str
    title: str
    frameworks: tuple[str, ...]
    areas: tuple[str, ...]


FAMILIES = (
    Family("ILACS", "Inspections of local authority children's services (ILACS), 2018 onwards", ("ILACS",),
           ILACS_JUDGEMENTS),
    Family("SIF", "Single inspection framework (SIF) and re-inspections, 2013 to 2018", ("SIF", "SIF re-inspection"),
           _areas("SIF", "SIF re-inspection")),
    Family("TLAC", "Targeted looked after children inspections (TLAC), 2013", ("TLAC",), _areas("TLAC")),
    Family("CPI", "Child protection inspections and re-inspections (CPI, CPRI), 2012 to 2013", ("CPI", "CPRI"),
           _areas("CPI", "CPRI")),
    Family("SLAC", "Safeguarding and looked after children inspections (SLAC) and re-inspections, 2009 to 2012",
           ("SLAC", "SLAC re-inspection"), _areas("SLAC", "SLAC re-inspection")),
)
# SLAC had no single overall judgement: its safeguarding judgement is the headline.
HEADLINE = {"SLAC": "Safeguarding overall effectiveness", "SLAC re-inspection": "Safeguarding overall effectiveness"}


def headline_area(framework: str) -> str:
    return HEADLINE.get(framework, OVERALL)


def ofsted_region(text) -> str:
    """Ofsted's region as it reads on screen (its files spell one region two ways)."""
    return "" if text is None or pd.isna(text) else str(text).replace("and The Humber", "and the Humber")


def event_date(frame: pd.DataFrame) -> pd.Series:
    """The date an inspection is placed at: when it happened, or when published if that is all we know."""
    return frame["inspection_date"].fillna(frame["published_date"])


# ---- which council ---------------------------------------------------------------------------

def council_labels(councils: pd.DataFrame) -> dict[str, str]:
    """ons_code -> label, ordered by name: every council, so a district can be chosen and told why
    there is nothing to show."""
    ordered = councils.sort_values(["authority_name", "ons_code"])
    district = ~ordered["is_childrens_services"].astype(bool)
    former = ordered["abolished_date"].notna()
    labels = (ordered["authority_name"] + district.map({True: " (district: no children's services)", False: ""})
              + former.map({True: " (no longer exists)", False: ""}))
    return dict(zip(ordered["ons_code"], labels))


def childrens_services_codes(councils: pd.DataFrame, *, current_only: bool = False) -> list[str]:
    keep = councils["is_childrens_services"].astype(bool)
    if current_only:
        keep &= councils["abolished_date"].isna()
    return list(councils.loc[keep].sort_values("authority_name")["ons_code"])


ROLE_ORDER = ("supported council", "lead", "partner", "improvement partner", "commissioner")


def default_council(parties: pd.DataFrame, programme_id: str | None) -> str | None:
    """The supported council of the programme; else its lead, else its first partner."""
    if programme_id is None or parties.empty:
        return None
    mine = parties[parties["programme_id"] == programme_id]
    for role in ROLE_ORDER:
        hit = mine[mine["role"] == role]
        if not hit.empty:
            return str(hit.sort_values("authority_name")["ons_code"].iloc[0])
    return None


@dataclass(frozen=True)
class Note:
    """Something the page must say plainly about the chosen council, with where to look instead."""

    level: str  # "info" or "warning"
    text: str
    link_code: str | None = None
    link_label: str | None = None


def council_notes(council: pd.Series, has_inspections: bool) -> list[Note]:
    """What to say about a council that has no children's services or no longer exists."""
    name = council["authority_name"]
    notes: list[Note] = []
    if pd.notna(council["abolished_date"]):
        text = (f"{name} no longer exists: it was abolished on {format_date(council['abolished_date'])}. "
                "Its history is kept here as Ofsted published it.")
        link = None
        if isinstance(council["successor_name"], str):
            text += f" Its area is now served by {council['successor_name']}."
            link = (council["successor_ons_code"], f"Ofsted for {council['successor_name']}")
        notes.append(Note("warning", text, *(link or (None, None))))
    if not council["is_childrens_services"]:
        text = (f"{name} is a district council: it has no children's services, so Ofsted does not inspect it "
                "and there are no judgements to show.")
        code, upper = council["upper_tier_ons_code"], council["upper_tier_name"]
        if isinstance(upper, str):
            if pd.notna(council["upper_tier_abolished_date"]) and isinstance(council["upper_tier_successor_ons_code"], str):
                code = council["upper_tier_successor_ons_code"]
                text += (f" Children's services for its area were run by {upper}, which no longer exists; "
                         f"its inspections are listed under its successor ({code}).")
            else:
                text += f" Children's services for its area are run by {upper}."
            notes.append(Note("info", text, code, "Ofsted for the council that runs children's services here"))
        else:
            notes.append(Note("info", text))
    elif not has_inspections:
        notes.append(Note("info", f"Ofsted's published files list no inspection of {name} under its code "
                                  f"{council['ons_code']}."))
    return notes


def council_facts(council: pd.Series, inspections: pd.DataFrame) -> str:
    """One line: tier, codes, ONS region, and Ofsted's region (Ofsted's regions are not ONS's)."""
    parts = [f"**{council['authority_name']}**", f"{council['tier']} council", f"ONS code {council['ons_code']}"]
    if isinstance(council["dfe_code"], str):
        parts.append(f"DfE code {council['dfe_code']}")
    if isinstance(council["region_name"], str):
        parts.append(f"region (ONS) {council['region_name']}")
    mine = inspections[inspections["ons_code"] == council["ons_code"]]
    regions = mine.sort_values("published_date")["ofsted_region"].dropna()
    if not regions.empty:
        parts.append(f"Ofsted region {ofsted_region(regions.iloc[-1])}")
    return " · ".join(parts)


def compare_codes(choices: list[str], neighbours: pd.DataFrame, code: str) -> list[str]:
    """The councils to compare with: the chosen ones, the statistical neighbours expanded in DfE's
    order, the selected council itself left out, each once."""
    out: list[str] = []
    for choice in choices:
        if choice == STAT_NEIGHBOURS:
            mine = neighbours[neighbours["ons_code"] == code].sort_values("neighbour_rank")
            out += list(mine["neighbour_ons_code"])
        else:
            out.append(choice)
    seen: set[str] = {code}
    return [c for c in out if not (c in seen or seen.add(c))]


# ---- judgement grids -------------------------------------------------------------------------

def _when(rec: dict):
    return rec["inspection_date"] if pd.notna(rec["inspection_date"]) else rec["published_date"]


def grid(inspections: pd.DataFrame, judgements: pd.DataFrame, codes: list[str], family: Family,
         *, names: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per graded inspection of `codes` under `family`'s frameworks (councils in the order
    given, newest inspection first), one column per judgement area in Ofsted's wording; a blank
    where the judgement did not exist. A "Council" column when more than one council is shown;
    no "Inspected" column when the file gives publication dates only."""
    order = {c: i for i, c in enumerate(codes)}
    recs = [r for r in inspections.to_dict("records")
            if r["ons_code"] in order and r["framework"] in family.frameworks and r["kind"] in GRADED_KINDS]
    if not recs:
        return pd.DataFrame(columns=["Inspected", "Published", "Inspection", "Ofsted region", "Report", *family.areas])
    recs.sort(key=lambda r: (order[r["ons_code"]], -_when(r).value))
    ids = {r["inspection_id"] for r in recs}
    grade = {(i, a): g for i, a, g in zip(judgements["inspection_id"], judgements["judgement_area"], judgements["grade"])
             if i in ids}
    lookup = names or {}
    out: dict[str, list] = {}
    if len(codes) > 1:
        out["Council"] = [lookup.get(r["ons_code"], r["authority_name"]) for r in recs]
    if any(pd.notna(r["inspection_date"]) for r in recs):
        out["Inspected"] = [format_date(r["inspection_date"]) for r in recs]
    out["Published"] = [format_date(r["published_date"]) for r in recs]
    out["Inspection"] = [r["inspection_type"] for r in recs]
    out["Ofsted region"] = [ofsted_region(r["ofsted_region"]) for r in recs]
    out["Report"] = [r["web_link"] if isinstance(r["web_link"], str) else None for r in recs]
    for area in family.areas:
        out[area] = [grade.get((r["inspection_id"], area), "") for r in recs]
    return pd.DataFrame(out)


def grids(inspections: pd.DataFrame, judgements: pd.DataFrame, codes: list[str],
          names: dict[str, str] | None = None) -> list[tuple[Family, pd.DataFrame]]:
    """The grids that have rows, newest framework first."""
    ins = inspections[inspections["ons_code"].isin(codes)]
    j = judgements[judgements["inspection_id"].isin(ins["inspection_id"])]
    out = []
    for family in FAMILIES:
        g = grid(ins, j, codes, family, names=names)
        if not g.empty:
            out.append((family, g))
    return out


def grids_long(tables: list[tuple[Family, pd.DataFrame]]) -> pd.DataFrame:
    """Every grid in one table for the CSV download: one row per inspection, the framework named,
    each framework's judgement areas as columns (blank where that framework did not judge it)."""
    head = ["Council", "Framework", "Inspected", "Published", "Inspection", "Ofsted region", "Report"]
    records, columns = [], []
    for family, frame in tables:
        for c in frame.columns:
            if c not in columns:
                columns.append(c)
        records += [{**r, "Framework": family.key} for r in frame.to_dict("records")]
    order = [c for c in head if c == "Framework" or c in columns] + [c for c in columns if c not in head]
    return pd.DataFrame([{c: r.get(c) if r.get(c) is not None else "" for c in order} for r in records], columns=order)


# Grade cells in the grid: the word itself, with Streamlit's light background colour behind it
# (dark text on a light background keeps the contrast; Outstanding is also bold to tell it from Good).
GRADE_MARKDOWN = {"Outstanding": ":green-background[**Outstanding**]", "Good": ":green-background[Good]",
                  "Requires improvement to be good": ":orange-background[Requires improvement to be good]",
                  "Inadequate": ":red-background[Inadequate]"}
_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]<>()#+-.!|:$~"})


def md_escape(text) -> str:
    """Text shown literally inside Streamlit markdown (no links, emphasis, directives or HTML)."""
    return str(text).replace("\n", " ").translate(_MD_SPECIAL)


ON_SCREEN_HIDDEN = ("Report", "Ofsted region")  # in the CSV; on screen the link sits on the inspection's name


def _link(text: str, url) -> str:
    if isinstance(url, str) and url.startswith("https://"):
        return f"[{md_escape(text)}]({url.replace(')', '%29').replace(' ', '%20')})"
    return md_escape(text)


def grid_cells(frame: pd.DataFrame, areas: tuple[str, ...]) -> pd.DataFrame:
    """A judgement grid as st.table shows it (a real HTML table a screen reader can walk; its cells
    are markdown): the grade as its word with a colour behind it, the inspection's name linking to
    Ofsted's report page, a blank where no judgement existed, everything else shown literally."""
    columns = [c for c in frame.columns if c not in ON_SCREEN_HIDDEN]
    out: dict[str, list[str]] = {}
    for column in columns:
        values = list(frame[column])
        if column in areas:
            cells = [GRADE_MARKDOWN.get(v, md_escape(v or "")) for v in values]
        elif column == "Inspection":
            cells = [_link(v, url) for v, url in zip(values, frame["Report"] if "Report" in frame else [None] * len(frame))]
        else:
            cells = [md_escape(v if isinstance(v, str) else "") for v in values]
        out[md_escape(column)] = cells
    return pd.DataFrame(out)


# ---- trajectory, visits and context ----------------------------------------------------------

def trajectory(inspections: pd.DataFrame, judgements: pd.DataFrame, code: str) -> pd.DataFrame:
    """The headline grade of every graded inspection of a council, oldest first: Overall
    effectiveness (SLAC: safeguarding overall effectiveness) on the four-point scale."""
    recs = [r for r in inspections[inspections["ons_code"] == code].to_dict("records") if r["kind"] in GRADED_KINDS]
    ids = {r["inspection_id"] for r in recs}
    mine = judgements[judgements["inspection_id"].isin(ids)]
    grade = dict(zip(zip(mine["inspection_id"], mine["judgement_area"]), mine["grade"]))
    rows = []
    for r in recs:
        area = headline_area(r["framework"])
        g = grade.get((r["inspection_id"], area))
        if g is None:
            continue
        rows.append({"date": _when(r), "date_basis": "inspected" if pd.notna(r["inspection_date"]) else "published",
                     "framework": r["framework"], "inspection_type": r["inspection_type"], "judgement_area": area,
                     "grade": g, "score": GRADE_SCORE[g], "inspection_id": r["inspection_id"]})
    cols = ["date", "date_basis", "framework", "inspection_type", "judgement_area", "grade", "score", "inspection_id"]
    out = pd.DataFrame(rows, columns=cols)
    out["date"] = pd.to_datetime(out["date"])
    return out.sort_values("date", kind="stable").reset_index(drop=True)


def trajectory_table(traj: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Date": [format_date(d) for d in traj["date"]],
        "Date is": list(traj["date_basis"]),
        "Framework": list(traj["framework"]),
        "Inspection": list(traj["inspection_type"]),
        "Judgement": list(traj["judgement_area"]),
        "Grade": list(traj["grade"]),
    })


def trajectory_summary(traj: pd.DataFrame, name: str) -> str:
    if traj.empty:
        return f"{name} has no graded Ofsted inspection in the published files."
    first, last = traj.iloc[0], traj.iloc[-1]
    if len(traj) == 1:
        return f"{name}: one graded inspection, {last['grade']} ({format_date(last['date'])}, {last['framework']})."
    return (f"{name}: {len(traj)} graded inspections since {first['date'].year}, from {first['grade']} "
            f"({format_date(first['date'])}, {first['framework']}) to {last['grade']} "
            f"({format_date(last['date'])}, {last['framework']}).")


def visits(inspections: pd.DataFrame, code: str) -> pd.DataFrame:
    """Monitoring and focused visits of a council (ungraded), oldest first."""
    v = inspections[(inspections["ons_code"] == code) & inspections["kind"].isin(VISIT_KINDS)]
    return v.sort_values("inspection_date").reset_index(drop=True)


def visits_table(v: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Visited": [format_date(d) for d in v["inspection_date"]],
        "Published": [format_date(d) for d in v["published_date"]],
        "Visit": [k.capitalize() for k in v["kind"]],
        "Theme": [t if isinstance(t, str) else "" for t in v["visit_theme"]],
        "Report": [w if isinstance(w, str) else None for w in v["web_link"]],
    })


def visits_coverage(inspections: pd.DataFrame) -> str:
    """The period Ofsted's published visit list covers (it is one year's list)."""
    v = inspections[inspections["kind"].isin(VISIT_KINDS)]
    if v.empty:
        return "Ofsted's files loaded here list no monitoring or focused visits."
    return (f"Ofsted's published list of monitoring and focused visits loaded here runs from "
            f"{format_date(v['inspection_date'].min())} to {format_date(v['inspection_date'].max())}; "
            "earlier visits are not in it.")


def trajectory_figure(traj: pd.DataFrame, visit_rows: pd.DataFrame, name: str) -> go.Figure:
    """Overall effectiveness over time on the four-point scale, visits below on the same time axis.
    (Two stacked y-axes sharing one x-axis, laid out by hand: make_subplots is slow.)"""
    data: list[dict] = []
    if not traj.empty:
        data.append({"type": "scatter", "x": list(traj["date"]), "y": list(traj["score"]), "mode": "lines",
                     "line": {"color": "#8a8a8a", "width": 1.5}, "hoverinfo": "skip", "showlegend": False})
    for grade in GRADES:
        pts = traj[traj["grade"] == grade]
        if pts.empty:
            continue
        data.append({
            "type": "scatter", "x": list(pts["date"]), "y": list(pts["score"]), "mode": "markers+text",
            "name": grade, "text": list(pts["framework"]), "textposition": "top center",
            "marker": {"color": GRADE_COLOUR[grade], "symbol": GRADE_SYMBOL[grade], "size": 13,
                       "line": {"color": "#0b0c0c", "width": 1}},
            "customdata": [list(t) for t in zip([format_date(d) for d in pts["date"]], pts["date_basis"],
                                                pts["inspection_type"], pts["judgement_area"])],
            "hovertemplate": "%{customdata[2]}<br>%{customdata[1]} %{customdata[0]}<br>%{customdata[3]}: "
                             + grade + "<extra></extra>"})
    for kind, symbol in zip(VISIT_KINDS, ("triangle-up-open", "square-open")):
        pts = visit_rows[visit_rows["kind"] == kind]
        if pts.empty:
            continue
        data.append({
            "type": "scatter", "x": list(pts["inspection_date"]), "y": [kind.capitalize()] * len(pts),
            "xaxis": "x2", "yaxis": "y2", "mode": "markers", "name": f"{kind.capitalize()} (not graded)",
            "marker": {"color": "#1d70b8", "symbol": symbol, "size": 12, "line": {"width": 2}},
            "customdata": [list(t) for t in zip([format_date(d) for d in pts["inspection_date"]],
                                                [t if isinstance(t, str) else "no theme given" for t in pts["visit_theme"]])],
            "hovertemplate": kind.capitalize() + " %{customdata[0]}<br>Theme: %{customdata[1]}<extra></extra>"})
    annotations = []
    if visit_rows.empty:
        annotations.append({"text": "No monitoring or focused visits listed", "xref": "x2 domain", "yref": "y2 domain",
                            "x": 0.5, "y": 0.5, "showarrow": False, "font": {"color": "#505a5f"}})
    layout = {
        "title": {"text": f"Ofsted overall effectiveness over time: {name}"}, "height": 470,
        "legend": {"orientation": "h", "y": -0.28}, "margin": {"t": 60, "l": 10, "r": 10},
        "xaxis": {"domain": [0, 1], "anchor": "y", "matches": "x2", "showticklabels": False, "type": "date"},
        "yaxis": {"domain": [0.3, 1], "anchor": "x", "title": {"text": "Overall effectiveness"}, "range": [0.5, 4.6],
                  "tickvals": [4, 3, 2, 1],
                  "ticktext": ["Outstanding", "Good", "Requires improvement<br>to be good", "Inadequate"]},
        "xaxis2": {"domain": [0, 1], "anchor": "y2", "type": "date",
                   "title": {"text": "Date inspected or visited (publication date before 2018)"}},
        "yaxis2": {"domain": [0, 0.2], "anchor": "x2", "title": {"text": "Visits"}, "type": "category",
                   "categoryorder": "array", "categoryarray": [k.capitalize() for k in VISIT_KINDS],
                   "range": [-0.5, 1.5]},
        "annotations": annotations,
    }
    return go.Figure({"data": data, "layout": layout})


def neighbours_latest(neighbours: pd.DataFrame, latest: pd.DataFrame, code: str) -> pd.DataFrame:
    """The council's statistical neighbours in DfE's order with their latest overall grade."""
    mine = neighbours[neighbours["ons_code"] == code].sort_values("neighbour_rank")
    known = dict(zip(latest["ons_code"], zip(latest["grade"], latest["date"])))
    rows = []
    for r in mine.to_dict("records"):
        grade, date = known.get(r["neighbour_ons_code"], (None, None))
        rows.append({"Neighbour (DfE order)": r["neighbour_rank"], "Council": r["neighbour_name"],
                     "Closeness": r["closeness"] if isinstance(r["closeness"], str) else "",
                     "Latest overall effectiveness": grade or "no graded inspection", "Inspected": format_date(date)})
    return pd.DataFrame(rows, columns=["Neighbour (DfE order)", "Council", "Closeness", "Latest overall effectiveness",
                                       "Inspected"])


def grade_distribution(latest: pd.DataFrame, groups: dict[str, list[str]]) -> pd.DataFrame:
    """For each group of councils (label -> codes): how many have each latest grade, and the share."""
    rows = []
    for label, codes in groups.items():
        grades = latest[latest["ons_code"].isin(codes)]["grade"]
        total = len(grades)
        for grade in GRADES:
            n = int((grades == grade).sum())
            rows.append({"Group": label, "Grade": grade, "Councils": n,
                         "Per cent": round(100 * n / total, 1) if total else 0.0})
    return pd.DataFrame(rows, columns=["Group", "Grade", "Councils", "Per cent"])


def context_figure(dist: pd.DataFrame, name: str) -> go.Figure:
    """Share of councils at each latest grade: statistical neighbours beside England. Context, not
    a ranking: no council is placed above another."""
    data = []
    for label, colour, pattern in zip(dist["Group"].unique(), ("#1d70b8", "#6f777b"), ("", "/")):
        part = dist[dist["Group"] == label]
        data.append({
            "type": "bar", "orientation": "h", "name": label, "y": list(part["Grade"]), "x": list(part["Per cent"]),
            "text": [f"{p:.0f}% ({n})" for p, n in zip(part["Per cent"], part["Councils"])], "textposition": "outside",
            "marker": {"color": colour, "pattern": {"shape": pattern}},
            "hovertemplate": "%{y}: %{x:.1f}% of " + label + "<extra></extra>"})
    layout = {
        "title": {"text": f"Latest grades beside {name}"}, "barmode": "group", "height": 470,
        "legend": {"orientation": "h", "y": -0.2}, "margin": {"t": 60, "l": 10, "r": 10},
        "xaxis": {"title": {"text": "Per cent of councils"}, "range": [0, 100]},
        "yaxis": {"title": {"text": "Latest overall effectiveness"}, "categoryorder": "array",
                  "categoryarray": list(reversed(GRADES)), "tickvals": list(reversed(GRADES)),
                  "ticktext": ["Inadequate", "Requires improvement<br>to be good", "Good", "Outstanding"]},
    }
    return go.Figure({"data": data, "layout": layout})


def context_summary(name: str, own: pd.DataFrame, dist: pd.DataFrame) -> str:
    """E.g. 'West Sussex's latest grade is Requires improvement to be good; 6 of its 10 statistical
    neighbours and 58% of councils in England are Good or better.'"""
    parts = []
    if own.empty:
        parts.append(f"{name} has no overall effectiveness grade")
    else:
        parts.append(f"{name}'s latest overall effectiveness is {own['grade'].iloc[0]} ({format_date(own['date'].iloc[0])})")
    for label in dist["Group"].unique():
        part = dist[dist["Group"] == label]
        good = part[part["Grade"].isin(GRADES[:2])]
        total = int(part["Councils"].sum())
        if total:
            parts.append(f"{int(good['Councils'].sum())} of {total} {label.split(' (')[0]} are Good or Outstanding")
    return "; ".join(parts) + "."


# ---- intervention timeline -------------------------------------------------------------------

LANES = ("Ofsted inspections", "Ofsted visits", "DfE statutory directions", "Commissioner reports", "Key milestones")


def timeline_window(programme: pd.Series, today: dt.date) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The inspections worth showing: from 18 months before the programme to a year after its end."""
    start = pd.Timestamp(programme["start_date"])
    end = pd.Timestamp(programme["end_date"]) if pd.notna(programme["end_date"]) else pd.Timestamp(today)
    return start - pd.DateOffset(months=18), end + pd.DateOffset(months=12)


def intervention_events(programme: pd.Series, code: str | None, inspections: pd.DataFrame,
                        judgements: pd.DataFrame, directions: pd.DataFrame, reports: pd.DataFrame,
                        milestones: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Every event of a programme's intervention on one axis: the council's inspections and visits
    around the programme, DfE's directions to it, the commissioner's reports and the key milestones.
    Columns: date, lane, event, detail, source."""
    rows: list[dict] = []
    lo, hi = timeline_window(programme, today)
    if code is not None:
        ins = inspections[inspections["ons_code"] == code]
        ins = ins.assign(when=event_date(ins))
        ins = ins[(ins["when"] >= lo) & (ins["when"] <= hi)]
        mine = judgements[judgements["inspection_id"].isin(ins["inspection_id"])]
        overall = mine[mine["judgement_area"].isin([OVERALL, *HEADLINE.values()])]
        grade_of = dict(zip(overall["inspection_id"], overall["grade"]))
        for r in ins.itertuples():
            if r.kind in VISIT_KINDS:
                theme = r.visit_theme if isinstance(r.visit_theme, str) else "no theme given"
                rows.append({"date": r.when, "lane": "Ofsted visits", "event": r.kind.capitalize(),
                             "detail": f"Theme: {theme}; not graded", "source": r.source})
            else:
                grade = grade_of.get(r.inspection_id, "no overall grade")
                rows.append({"date": r.when, "lane": "Ofsted inspections", "event": f"{r.inspection_type}: {grade}",
                             "detail": f"Published {format_date(r.published_date)}", "source": r.source})
        for r in directions[directions["ons_code"] == code].itertuples():
            rows.append({"date": r.direction_date, "lane": "DfE statutory directions",
                         "event": f"Direction {r.action}", "detail": r.summary, "source": r.source})
    for r in reports.itertuples():
        version = f" (version {r.version})" if r.version > 1 else ""
        confidence = f"delivery confidence {r.confidence}" if isinstance(r.confidence, str) else "no confidence given"
        rows.append({"date": r.reporting_date, "lane": "Commissioner reports",
                     "event": f"Quarterly report {r.quarter_label}{version}", "detail": f"{r.status}; {confidence}",
                     "source": r.source})
    for r in milestones.itertuples():
        if pd.notna(r.completed_date):
            when, how = r.completed_date, "completed"
        else:
            when = r.forecast_due_date if pd.notna(r.forecast_due_date) else r.baseline_due_date
            how = f"{r.status}, due"
        rows.append({"date": when, "lane": "Key milestones", "event": r.milestone_title,
                     "detail": f"{how} {format_date(when)} ({r.workstream_name})", "source": r.source})
    out = pd.DataFrame(rows, columns=["date", "lane", "event", "detail", "source"])
    out["date"] = pd.to_datetime(out["date"])
    out["_lane"] = out["lane"].map({lane: i for i, lane in enumerate(LANES)})
    return out.sort_values(["date", "_lane"]).drop(columns="_lane").reset_index(drop=True)


def timeline_table(events: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"Date": [format_date(d) for d in events["date"]], "What": list(events["lane"]),
                         "Event": list(events["event"]), "Detail": list(events["detail"]),
                         "Source": list(events["source"])})


LANE_WORDS = {  # (one, several) as a sentence says them
    "Ofsted inspections": ("Ofsted inspection", "Ofsted inspections"),
    "Ofsted visits": ("Ofsted visit", "Ofsted visits"),
    "DfE statutory directions": ("DfE direction (issued, revised or lifted)", "DfE directions (issued, revised or lifted)"),
    "Commissioner reports": ("commissioner's report", "commissioner's reports"),
    "Key milestones": ("key milestone", "key milestones"),
}
LANE_STYLE = {  # marker symbol, colour
    "Ofsted inspections": ("diamond", "#0b0c0c"),
    "Ofsted visits": ("triangle-up-open", "#1d70b8"),
    "DfE statutory directions": ("square", "#912b88"),
    "Commissioner reports": ("circle-open", "#505a5f"),
    "Key milestones": ("star", "#b25e00"),
}


def timeline_figure(events: pd.DataFrame, programme: pd.Series, council_name: str | None) -> go.Figure:
    """Every event on one time axis, one row per kind of event; the programme's period shaded."""
    data: list[dict] = []
    for lane in reversed(LANES):
        pts = events[events["lane"] == lane]
        if pts.empty:
            continue
        symbol, colour = LANE_STYLE[lane]
        labelled = lane == "DfE statutory directions"
        trace = {
            "type": "scatter", "x": list(pts["date"]), "y": [lane] * len(pts), "name": lane,
            "mode": "markers+text" if labelled else "markers", "textposition": "top center",
            "marker": {"symbol": symbol, "color": colour, "size": 12, "line": {"width": 1.5, "color": colour}},
            "customdata": [list(t) for t in zip([format_date(d) for d in pts["date"]], pts["event"],
                                                pts["detail"].str.slice(0, 120))],
            "hovertemplate": "%{customdata[0]}<br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>"}
        if labelled:
            trace["text"] = [e.replace("Direction ", "") for e in pts["event"]]
        data.append(trace)
    start = pd.Timestamp(programme["start_date"])
    end = pd.Timestamp(programme["end_date"]) if pd.notna(programme["end_date"]) else None
    until = end if end is not None else (max(events["date"].max(), start) if not events.empty else start)
    blue = "#1d70b8"
    shapes = [{"type": "rect", "xref": "x", "yref": "paper", "x0": start, "x1": until, "y0": 0, "y1": 1,
               "fillcolor": blue, "opacity": 0.07, "line": {"width": 0}, "layer": "below"}]
    annotations = []
    for when, label, anchor in ((start, "Programme starts", "left"), (end, "Programme ends", "right")):
        if when is None:
            continue
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": when, "x1": when, "y0": 0, "y1": 1,
                       "line": {"color": blue, "dash": "dash", "width": 1}})
        annotations.append({"x": when, "y": 1.02, "xref": "x", "yref": "paper", "text": label, "showarrow": False,
                            "xanchor": anchor, "yanchor": "bottom", "font": {"color": blue}})
    who = f" ({council_name})" if council_name else ""
    layout = {
        "title": {"text": f"Intervention timeline: {programme['programme_name']}{who}"}, "height": 420,
        "showlegend": False, "margin": {"t": 90, "l": 10, "r": 10}, "shapes": shapes, "annotations": annotations,
        "xaxis": {"title": {"text": "Date"}, "type": "date"},
        "yaxis": {"title": {"text": "Event"}, "type": "category", "categoryorder": "array",
                  "categoryarray": [lane for lane in reversed(LANES) if lane in set(events["lane"])]},
    }
    return go.Figure({"data": data, "layout": layout})


def timeline_summary(events: pd.DataFrame, programme: pd.Series, council_name: str | None) -> str:
    counts = events["lane"].value_counts()
    start = format_date(programme["start_date"])
    span = f"from {start} to {format_date(programme['end_date'])}" if pd.notna(programme["end_date"]) else f"since {start}"
    bits = [f"{int(counts[lane])} {LANE_WORDS[lane][0] if counts[lane] == 1 else LANE_WORDS[lane][1]}"
            for lane in LANES if counts.get(lane, 0)]
    directions = events[events["lane"] == "DfE statutory directions"]
    text = f"{programme['programme_name']} ran {span}" if pd.notna(programme["end_date"]) else \
        f"{programme['programme_name']} has run {span}"
    if council_name:
        text += f" for {council_name}"
    text += ": " + (", ".join(bits) if bits else "no events recorded") + "."
    if not directions.empty:
        text += " DfE's direction: " + "; ".join(f"{e.replace('Direction ', '')} {format_date(d)}"
                                                for d, e in zip(directions["date"], directions["event"])) + "."
    return text
