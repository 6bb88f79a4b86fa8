"""Improvement Monitor — the entry point: page config, who the user is, and the navigation of the
pages that user may see. Nothing else (each page does its own set-up and access check: see
ui/setup.py)."""
import streamlit as st

from ui import identity
from ui.setup import configure, navigation, require_database

configure()
require_database()
who = identity.who()
identity.sidebar(who)
# A flat list: Streamlit's sectioned menu puts <div>s inside its <ul>, which axe-core flags.
# Expanded: past a dozen pages Streamlit would fold the last ones under "View more".
st.navigation(navigation(who), expanded=True).run()
