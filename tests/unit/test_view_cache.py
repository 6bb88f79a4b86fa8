"""The views' cache (ui.data): a page's view is built once per database, data version and key, and
every session gets the very same object; two pages' functions of one name never share an entry; a
view being built is built once however many sessions ask, and one started ahead of its page
(start_shared) is the one the page gets; a failure is not kept; and what the
drawing derives from a view's frame is made once per frame, while the frame lives."""
from __future__ import annotations

import gc
import json
import threading
import time

import pandas as pd

from ui import data


def _counted(calls: list):
    def view(*args):
        calls.append(args)
        return {"args": args}
    return view


def test_a_view_is_built_once_and_every_caller_gets_the_same_object(demo_db):
    calls: list = []
    view = _counted(calls)
    first = data.shared(view, "south-somerset-sedgemoor", ("a", "b"))
    again = data.shared(view, "south-somerset-sedgemoor", ("a", "b"))
    other = data.shared(view, "east-west-sussex", ("a", "b"))
    assert first is again and first is not other
    assert calls == [("south-somerset-sedgemoor", ("a", "b")), ("east-west-sussex", ("a", "b"))]


def test_two_pages_functions_of_one_name_keep_their_own_views(demo_db):
    # Streamlit runs every page as __main__: the same name in two files must not share an entry.
    made = {}
    for page in ("pages/risks.py", "pages/savings.py"):
        namespace: dict = {}
        exec(compile(f"def page_view(p):\n    return ('{page}', p)\n", page, "exec"), namespace)
        made[page] = data.shared(namespace["page_view"], "x")
    assert made == {"pages/risks.py": ("pages/risks.py", "x"), "pages/savings.py": ("pages/savings.py", "x")}


def test_sessions_asking_for_a_view_being_built_wait_for_it(demo_db):
    calls: list = []

    def slow(key):
        calls.append(key)
        time.sleep(0.2)
        return object()

    got = []
    threads = [threading.Thread(target=lambda: got.append(data.shared(slow, "same"))) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == ["same"] and len(got) == 6 and all(g is got[0] for g in got)


def test_a_view_that_failed_is_built_again_next_time(demo_db):
    attempts: list = []

    def flaky(key):
        attempts.append(key)
        if len(attempts) == 1:
            raise RuntimeError("database busy")
        return "built"

    try:
        data.shared(flaky, "k")
    except RuntimeError:
        pass
    assert data.shared(flaky, "k") == "built" and len(attempts) == 2


def test_a_view_started_ahead_is_made_once_on_its_own_thread_and_the_page_gets_that_one(demo_db):
    calls: list = []
    started = threading.Event()

    def slow(key):
        calls.append((key, threading.current_thread().name))
        started.set()
        time.sleep(0.2)
        return object()

    data.start_shared(slow, "ahead")
    assert started.wait(5)
    data.start_shared(slow, "ahead")  # being made: not started twice
    got = data.shared(slow, "ahead")  # waits for the one being made
    data.start_shared(slow, "ahead")  # kept: nothing to start
    assert data.shared(slow, "ahead") is got
    assert [key for key, _ in calls] == ["ahead"] and calls[0][1].startswith("views")


def test_a_view_started_ahead_that_fails_fails_for_the_page_that_asks_and_is_not_kept(demo_db):
    attempts: list = []

    def failing(key):
        attempts.append(key)
        raise RuntimeError("database busy")

    data.start_shared(failing, "k")
    try:
        data.shared(failing, "k")
    except RuntimeError as exc:
        raised = str(exc)
    else:
        raised = None
    # Started once ahead, made again by the page, which sees the failure itself.
    assert raised == "database busy" and attempts == ["k", "k"]


def test_the_cache_keeps_at_most_its_limit_the_least_used_going_first(demo_db, monkeypatch):
    monkeypatch.setattr(data._views, "limit", 3)
    data.clear()
    calls: list = []
    view = _counted(calls)
    for n in range(3):
        data.shared(view, n)
    data.shared(view, 0)        # used again: now the most recent
    data.shared(view, 3)        # evicts 1, the least recently used
    assert len(data._views) == 3
    data.shared(view, 0)
    data.shared(view, 1)
    assert calls == [(0,), (1,), (2,), (3,), (1,)]
    data.clear()


def test_what_is_derived_from_a_frame_is_made_once_while_the_frame_lives(demo_db):
    calls: list = []

    def linked(frame):
        calls.append(len(frame))
        return frame.assign(link="x")

    frame = pd.DataFrame({"source": ["003 §9", "illustrative"]})
    first = data.derived(frame, linked)
    assert data.derived(frame, linked) is first
    twin = frame.copy()  # equal, but another object: made for it too
    assert data.derived(twin, linked) is not first
    assert calls == [2, 2]
    kept = len(data._derived)
    del frame, twin, first
    gc.collect()
    assert len(data._derived) == kept - 2


def test_a_table_kept_for_reruns_is_sent_exactly_as_streamlit_would_send_its_frame():
    from streamlit import dataframe_util

    from ui.blocks import _arrow

    frames = [
        pd.DataFrame({"Programme": ["A", "B"], "Saving (£)": [750_000.0, None],
                      "Due": pd.to_datetime(["2026-03-31", None]), "Status": pd.Categorical(["on track", "late"])}),
        pd.DataFrame({"mixed": [1, "two", None], "flag": [True, False, None]}),  # Arrow refuses it as it is
        pd.DataFrame({"x": [3, 1]}, index=[5, 9]),
        pd.DataFrame(),
    ]
    for frame in frames:
        assert (dataframe_util.convert_arrow_table_to_arrow_bytes(_arrow(frame))
                == dataframe_util.convert_pandas_df_to_arrow_bytes(frame))


def test_each_caller_of_a_query_gets_its_own_copy_of_the_same_rows(demo_db):
    first = data.query("programmes/all")
    first.loc[:, "programme_name"] = "changed by a page"
    again = data.query("programmes/all")
    assert not again["programme_name"].eq("changed by a page").any()
    assert again.equals(data.query("programmes/all")) and len(again) == len(first)


def test_clearing_forgets_rows_and_views(demo_db):
    calls: list = []
    view = _counted(calls)
    data.shared(view, "k")
    data.clear()
    data.shared(view, "k")
    assert calls == [("k",), ("k",)]


def test_a_chart_kept_for_reruns_is_sent_exactly_as_streamlit_would_send_its_figure():
    import copy

    import plotly.graph_objects as go
    import plotly.io
    import plotly.tools

    from monitor import chart_style
    from ui.blocks import _ready, without_links

    def sent(figure):  # what st.plotly_chart puts in its message, read back (the same, whatever its keys' order)
        return json.loads(plotly.io.to_json(
            plotly.tools.return_figure_from_figure_or_data(figure, validate_figure=True), validate=False))

    fig = go.Figure(go.Scatter(x=pd.to_datetime(["2024-03-31", "2024-06-30"]), y=[1.5, 2.0], name="<a href='x'>A</a>"))
    fig.update_layout(title="Savings delivered against plan by financial year for a very long programme name indeed",
                      xaxis_title="Quarter", yaxis_title="£")
    empty = go.Figure().update_layout(title="No milestones recorded")  # drawn as before: no error
    for figure in (fig, empty):
        expected = sent(chart_style.finish(without_links(copy.deepcopy(figure))))
        drawn, title = _ready(figure)
        assert sent(drawn) == expected and expected["layout"]["title"]["text"]
        assert title and "<br>" not in title
    text = json.dumps(sent(_ready(fig)[0]))
    assert "&lt;a href" in text and "<a href" not in text  # the link net ran


def test_a_chart_kept_for_reruns_survives_pickling_and_copying_and_is_not_changed_by_them():
    """Pickled (make bench's floor pickles a page's calls) or copied, it is the same chart, and the
    spec every rerun sends is left as it was."""
    import copy
    import pickle

    import plotly.graph_objects as go

    from ui.blocks import _ready

    drawn, _title = _ready(go.Figure(go.Bar(x=["2024/25", "2025/26"], y=[750_000, 500_000]))
                           .update_layout(title="Savings by financial year", yaxis_title="£"))
    sent = json.dumps(drawn.to_dict(), sort_keys=True, default=str)
    for again in (pickle.loads(pickle.dumps(drawn)), copy.deepcopy(drawn), copy.copy(drawn)):
        assert type(again) is type(drawn)
        assert json.dumps(again.to_dict(), sort_keys=True, default=str) == sent
    assert json.dumps(drawn.to_dict(), sort_keys=True, default=str) == sent
    assert "_grid_str" not in drawn.to_dict()


def test_queries_read_side_by_side_are_kept_for_the_views_that_ask_for_them_next(demo_db):
    import queries
    data.clear()
    asked = {"risks": ("risks/all", {"programme_id": "east-west-sussex"}), "references": ("sources/references", {}),
             "values": ("no_detriment/values", {"programme_id": "east-west-sussex"})}
    read = data.query_many(asked)
    for key, (name, params) in asked.items():
        pd.testing.assert_frame_equal(read[key], queries.run(name, **params))
    assert len(data._rows) == len(asked)  # each kept once, under the key `query` reads it by
    read["risks"].loc[:, "description"] = "changed by a page"  # each caller's own copy, as query's
    again = data.query("risks/all", programme_id="east-west-sussex")
    assert len(data._rows) == len(asked) and "changed by a page" not in set(again["description"])
    pd.testing.assert_frame_equal(again, queries.run("risks/all", programme_id="east-west-sussex"))


def test_rows_two_views_read_ahead_are_read_once_and_kept_for_both(demo_db):
    import queries
    data.clear()
    one = {"programme_id": "south-somerset-sedgemoor"}
    data.read_ahead({"risks": ("risks/all", one), "history": ("risks/snapshots_by_programme", one)},
                    {"facts": ("risks/all", one)})  # the same rows, asked for by a second view
    assert len(data._rows) == 2
    pd.testing.assert_frame_equal(data.query("risks/all", **one), queries.run("risks/all", **one))
    assert len(data._rows) == 2  # found kept, not read again
