"""The baseline: a one-route Flask app, served by the same gunicorn settings as Ondo in bench/serve.py."""
from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello() -> str:
    return "hello"
