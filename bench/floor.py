"""Ondo's own floor, served like the app in bench/serve.py: the app with two routes added that do nothing a page does.

``/bench/signed-in`` answers a signed-in user with two bytes: what every request pays before a view runs (session,
user load, throttling, security headers, request log). ``/bench/layout`` renders an empty page in ``base.html``: that
plus the layout every page shares (navigation, language switch, footer). A page's ratio to these says how much of its
cost is its own; their ratio to the bare hello app is the part no page can win back.
"""
from flask import render_template
from flask_login import login_required

from app import create_app

app = create_app("production")
EMPTY_PAGE = app.jinja_env.from_string('{% extends "base.html" %}{% block content %}{% endblock %}')  # compiled once


@app.route("/bench/signed-in")
@login_required
def signed_in() -> str:
    return "ok"


@app.route("/bench/layout")
@login_required
def layout() -> str:
    return render_template(EMPTY_PAGE)
