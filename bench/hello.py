"""A bare Flask hello-world: the yardstick the portal's pages are measured against, under the same gunicorn."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "Hello, World!"
