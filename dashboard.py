"""Improvement Monitor — the entry point: page config, who the user is, and the navigation of the
pages that user may see. Nothing else (each page does its own set-up: see ui/setup.py)."""
import streamlit as st

from ui import identity
from ui.pages import pages_for
from ui.setup import configure, require_database

configure()
require_database()
identity.demo_picker()
actor = identity.current_actor()
role = actor.role if actor else "scrutiny member"
# A flat list: Streamlit's sectioned menu puts <div>s inside its <ul>, which axe-core flags.
pages = [st.Page(spec.path, title=spec.title, url_path=spec.url_path, icon=spec.icon,
                 default=spec.url_path == "overview") for spec in pages_for(role)]
st.navigation(pages).run()
