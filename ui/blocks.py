"""Reusable page blocks, so no page repeats them: a chart with its one-line summary, "view as
table" and CSV download; a status tag (word + symbol + colour); URL-backed filters; the
illustrative-data notice. Source columns of tables are links (ui.sources)."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit import dataframe_util

from monitor import chart_style
from monitor.formatting import is_illustrative
from monitor.overview.headlines import as_at_caption, metrics
from monitor.text import plain
from ui.data import derived
from ui.sources import link_sources
from monitor.tidy import Origin, tidy_csv

# Streamlit made its own chart theme the default when imported: the product's template instead.
chart_style.register()

# Status is never colour alone: each has a word, a symbol and a colour.
STATUS_STYLE: dict[str, tuple[str, str]] = {
    "Green": ("green", ":material/check_circle:"),
    "Amber": ("orange", ":material/warning:"),
    "Red": ("red", ":material/error:"),
    "Closed": ("gray", ":material/lock:"),
    "Complete": ("blue", ":material/task_alt:"),
    "No data": ("gray", ":material/help:"),
    # No-detriment verdicts (monitor.no_detriment.verdicts.VERDICTS)
    "Concern now": ("orange", ":material/warning:"),
    "Earlier concern, since recovered": ("violet", ":material/history:"),
    "Improved": ("blue", ":material/thumb_up:"),
    "No significant change": ("green", ":material/check_circle:"),
    "No data since the partnership began": ("gray", ":material/help:"),
    "No concern now": ("green", ":material/check_circle:"),
}


def status_tag(status: str, detail: str = "") -> None:
    """A badge reading e.g. 'Amber — 3 overdue' with an icon and colour."""
    colour, icon = STATUS_STYLE.get(status, ("gray", ":material/info:"))
    # A badge is one line. st.badge escapes [ and ] itself (to keep its directive whole): plain()'s
    # own escapes of those two would turn into an escaped backslash before a live bracket.
    words = plain(detail, one_line=True).replace("\\[", "[").replace("\\]", "]") if detail else ""
    st.badge(f"{status}{' — ' + words if words else ''}", icon=icon, color=colour)


def metric_row(metrics, caption: str | None = None) -> None:
    """Headline metrics side by side (monitor.overview.headlines.Metric: label, value, help)."""
    if caption:
        st.markdown(plain(caption))  # not st.caption: its grey is below 4.5:1 on white
    for column, m in zip(st.columns(len(metrics)), metrics):
        column.metric(m.label, m.value, help=plain(m.help) if m.help else None)


def headline(facts, *keys: str) -> None:
    """A domain page's headline row: the programme's facts as the Overview card shows them
    (ui.facts), worded by monitor.overview.headlines."""
    metric_row(metrics(facts, *keys), as_at_caption(facts))


def download_csv(frame: pd.DataFrame, file_name: str, *, key: str, origin: Origin, label: str = "Download CSV",
                 names: dict | None = None) -> None:
    """Every CSV download of the product, as tidy data (monitor.tidy: numbers numeric, ISO dates,
    each unit in a column beside its measure, human column names, and a first line with `origin`:
    what the figures come from and the page's as-at date). The file is made when the button is
    clicked (Streamlit calls `data` then), not on every rerun of every chart's "view as table"."""
    st.download_button(label, lambda: tidy_csv(frame, source=origin.source, as_at=origin.as_at, names=names),
                       file_name=file_name, mime="text/csv", key=key, icon=":material/download:", on_click="ignore")


_LINK_TAG = re.compile(r"(?i)<(/?a)(?=[\s>])")


def _is_text_array(value) -> bool:
    return isinstance(value, np.ndarray) and value.dtype.kind in "OU"


def _unlinked(value):
    if isinstance(value, str):
        return _LINK_TAG.sub(r"&lt;\1", value)
    if isinstance(value, dict):
        return {k: _unlinked(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)) or _is_text_array(value):
        return [_unlinked(v) for v in value]
    return value


def _has_link(value) -> bool:
    if isinstance(value, str):
        return _LINK_TAG.search(value) is not None
    if isinstance(value, dict):
        return any(_has_link(v) for v in value.values())
    if isinstance(value, (list, tuple)) or _is_text_array(value):
        return any(_has_link(v) for v in value)
    return False


def without_links(fig: go.Figure) -> go.Figure:
    """Plotly reads <a href> in any text of a chart (titles, axis and legend labels, hover) as a link.
    Charts escape the names they draw from data; this is the net under every chart drawn: an <a> tag
    that reached the figure anyway shows as its characters. Figures without one are left as they are."""
    # The figure's own data and layout are read in place (to_plotly_json would copy them first: on a
    # page of charts, that copy was most of the net's cost).
    data, layout = getattr(fig, "_data", None), getattr(fig, "_layout", None)
    if data is not None and layout is not None and not fig.frames and not _has_link(data) and not _has_link(layout):
        return fig
    spec = fig.to_plotly_json()
    if not _has_link(spec):
        return fig
    return go.Figure(_unlinked(spec))


class _Drawn(go.Figure):
    """A finished figure whose spec (what st.plotly_chart sends) is made once: given a figure,
    st.plotly_chart asks for `to_dict()`, a deep copy of the whole figure, on every rerun; given a
    plain dict, it validates the figure again instead. The spec is read-only."""

    def __init__(self, fig: go.Figure | dict):
        spec = fig if isinstance(fig, dict) else fig.to_dict()  # a dict: its own spec, when unpickled
        # Built from its own spec, not validated again: go.Figure(fig) re-validates every property
        # (the template's too), about 10 ms a chart, for a figure that was valid when it was made.
        super().__init__(spec, _validate=False)
        self._spec = spec

    def to_dict(self) -> dict:
        return self._spec

    def __reduce__(self):
        # Pickled or deep-copied (make bench's floor pickles a page's calls): from a copy of the spec.
        # go.Figure's own __reduce__ adds its grid keys to the dict to_dict returns: here, the spec sent.
        return self.__class__, (dict(self._spec),)


def _ready(fig: go.Figure) -> tuple[go.Figure, str]:
    """A figure as drawn (links shown as text, then chart_style.finish) and its title as one line
    for `alt`; made once per figure (ui.data.derived), not on every rerun."""
    fig = without_links(fig)
    return _Drawn(chart_style.finish(fig)), (fig.layout.title.text or "").replace("<br>", " ")


def chart(fig: go.Figure, summary: str, table: pd.DataFrame, *, key: str, file_name: str, origin: Origin) -> None:
    """A chart as every chart must be: a one-line summary above it, the figure (with its title and
    axis labels), and 'View as table' with a CSV of exactly what the chart shows (`origin` as
    download_csv's). The summary is plain text (it names councils, indicators and programmes from
    the data)."""
    st.markdown(plain(summary))
    drawn, title = derived(fig, _ready)
    st.plotly_chart(drawn, key=f"{key}_chart", config=chart_style.PLOT_CONFIG, alt=title or summary.replace("<br>", " "),
                    theme=None)
    with st.expander("View as table", icon=":material/table:"):
        _table(table, key=key, file_name=file_name, origin=origin)


def selectable_chart(fig: go.Figure, summary: str, table: pd.DataFrame, *, key: str, file_name: str,
                     origin: Origin, on_select: Callable, selection_mode: str | Sequence[str] = "points"):
    """`chart`, but the person can click points of the figure: `on_select` (a callback) runs before
    the rerun and reads the selection from `st.session_state[f"{key}_chart"]`. Returns the
    selection event. Always pair it with a labelled widget doing the same (keyboard users)."""
    st.markdown(plain(summary))
    drawn, title = derived(fig, _ready)
    event = st.plotly_chart(drawn, key=f"{key}_chart", config=chart_style.PLOT_CONFIG, alt=title or summary.replace("<br>", " "),
                            theme=None,
                            on_select=on_select, selection_mode=selection_mode)
    with st.expander("View as table", icon=":material/table:"):
        _table(table, key=key, file_name=file_name, origin=origin)
    return event


def _arrow(frame: pd.DataFrame):
    """The table as st.dataframe sends it (Streamlit's own conversion, with its fixes for columns
    Arrow cannot take as they are), made once per frame: a rerun sends the same rows again."""
    return dataframe_util.convert_pandas_df_to_arrow_table(frame)


def _table(frame: pd.DataFrame, *, key: str, file_name: str, origin: Origin, column_config: dict | None = None,
           download: pd.DataFrame | None = None) -> None:
    shown, csv, links = link_sources(frame)
    if download is not None:
        csv = link_sources(download)[1]
    st.dataframe(derived(shown, _arrow), hide_index=True, width="stretch",
                 column_config={**links, **(column_config or {})})
    download_csv(csv, file_name, key=f"{key}_csv", origin=origin)


def table(frame: pd.DataFrame, *, key: str, file_name: str, origin: Origin, column_config: dict | None = None,
          download: pd.DataFrame | None = None) -> None:
    """A table with its CSV download (`origin`: what its figures come from, and as at when; `download`:
    the same rows as tidy data, where the screen shows them formatted for reading). A source column
    ('Source', 'Sources') is shown as links to the cited passage or publisher's page (ui.sources),
    and the CSV gains a 'source link' beside it."""
    _table(frame, key=key, file_name=file_name, origin=origin, column_config=column_config, download=download)


EDITOR_KINDS = {"date": lambda name, **kw: st.column_config.DateColumn(name, format="D MMM YYYY", **kw),
                "boolean": st.column_config.CheckboxColumn, "integer": st.column_config.NumberColumn,
                "number": st.column_config.NumberColumn, "decimal": st.column_config.NumberColumn}


def editor_columns(spec) -> dict:
    """st.data_editor column settings for a table's rules (monitor.imports.spec.TableSpec): allowed
    values as a pick list, dates as dates, required columns required; row_version hidden."""
    config = {"row_version": None}
    for c in spec.importable:
        if c.kind == "enum":
            config[c.name] = st.column_config.SelectboxColumn(c.name, options=list(c.allowed), required=c.required)
        elif c.kind in EDITOR_KINDS:
            config[c.name] = EDITOR_KINDS[c.kind](c.name, required=c.required)
    return config


def illustrative_notice(sources: Sequence[str] | pd.Series, what: str = "figures") -> None:
    """Say so wherever illustrative figures are on screen."""
    # Judged once per distinct source: a large plan's snapshots repeat a handful of them many times.
    counts = Counter(sources)
    n = sum(count for source, count in counts.items() if is_illustrative(source))
    if n:
        st.info(f"**Illustrative data:** {n:,} of the {sum(counts.values()):,} {what} on this page are illustrative — "
                f"made up for the demonstration where no council paper or official file gives the figure. "
                f"See *About this data*.", icon=":material/science:")


def url_select(label: str, options: Sequence[str], *, param: str, format_func: Callable = str,
               default: str | None = None, key: str | None = None, sidebar: bool = False) -> str | None:
    """A selectbox whose value lives in the URL (`?param=value`), so a link reproduces the view."""
    key = key or f"url_{param}"
    options = list(options)
    if not options:
        return None
    wanted = st.query_params.get(param)
    if key not in st.session_state or (wanted in options and wanted != st.session_state[key]
                                       and st.session_state.get(f"{key}_from_url") != wanted):
        st.session_state[key] = wanted if wanted in options else (default if default in options else options[0])
        st.session_state[f"{key}_from_url"] = wanted
    elif st.session_state[key] not in options:
        st.session_state[key] = default if default in options else options[0]
    where = st.sidebar if sidebar else st
    value = where.selectbox(label, options, format_func=format_func, key=key)
    st.query_params[param] = value
    st.session_state[f"{key}_from_url"] = value
    return value


def url_multiselect(label: str, options: Sequence[str], *, param: str, key: str | None = None,
                    format_func: Callable = str, sidebar: bool = False) -> list[str]:
    """A multiselect kept in the URL as a comma-separated list (empty = all)."""
    key = key or f"url_{param}"
    options = list(options)
    if key not in st.session_state:
        wanted = [v for v in (st.query_params.get(param) or "").split(",") if v in options]
        st.session_state[key] = wanted
    else:
        st.session_state[key] = [v for v in st.session_state[key] if v in options]
    where = st.sidebar if sidebar else st
    chosen = where.multiselect(label, options, format_func=format_func, key=key, placeholder="All")
    if chosen:
        st.query_params[param] = ",".join(chosen)
    elif param in st.query_params:
        del st.query_params[param]
    return chosen


def programme_picker(programmes: pd.DataFrame, *, label: str = "Programme", sidebar: bool = False) -> str | None:
    """The selected programme, shared by every page through `?programme=`."""
    names = dict(zip(programmes["programme_id"], programmes["programme_name"]))
    return url_select(label, list(names), param="programme", format_func=lambda p: names.get(p, p),
                      key="programme", sidebar=sidebar)


def flash(key: str, *, origin: Origin) -> None:
    """Show (once) what an action did. Actions run as button callbacks, before the rerun they cause,
    and leave their outcome here: ("ok", text) or ("error", text, problems frame or None, whose CSV
    says `origin`)."""
    outcome = st.session_state.pop(key, None)
    if outcome and outcome[0] == "ok":
        st.success(plain(outcome[1]), icon=":material/check_circle:")
    elif outcome:
        for text in outcome[1]:
            st.error(plain(text), icon=":material/error:")
        if outcome[2] is not None:
            table(outcome[2], key=f"{key}_problems", file_name="problems.csv", origin=origin)


def forget(*keys: str) -> None:
    """Drop one-shot results kept in the session (e.g. a prepared backup)."""
    for key in keys:
        st.session_state.pop(key, None)
