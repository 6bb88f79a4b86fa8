"""The net under every chart drawn (ui.blocks.without_links): an <a> tag from data in any text of a
figure shows as its characters, never as a link; a figure without one is drawn as it is."""
import plotly.graph_objects as go

from ui.blocks import without_links


def test_a_link_in_a_hover_text_a_title_or_an_axis_label_shows_as_text():
    evil = "<a href='https://evil.example'>sign in</a>"
    for fig in (go.Figure(go.Scatter(x=[1], y=[2], text=[evil])),
                go.Figure(go.Scatter(x=[1], y=[2]), layout={"title": {"text": evil}}),
                go.Figure(go.Bar(x=[evil], y=[2]))):
        shown = without_links(fig).to_plotly_json()
        assert "<a" not in str(shown) and "&lt;a href='https://evil.example'>sign in&lt;/a>" in str(shown)


def test_a_figure_without_a_link_is_drawn_as_it_is():
    fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4], text=["<b>Milestone</b>", "plain"]),
                    layout={"title": {"text": "Savings by year (£)"}})
    assert without_links(fig) is fig
