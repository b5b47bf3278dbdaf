"""Static files as browsers get them: content-hashed copies, precompressed, served by WhiteNoise for a year.

`make assets` (run by `make run` and `make test`) copies each file of static/ into instance/static under a
name carrying its content hash (app.css -> app.1a2b3c4d5e6f.css), with .br and .gz beside the text files;
WhiteNoise serves the variant the browser accepts, cached as immutable: a changed file gets a new name.
`url_for('static', filename='app.css')` gives the hashed URL.
"""

import gzip
import hashlib
import json
import os

import brotli
from whitenoise import WhiteNoise

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = os.path.join(ROOT, "static")
BUILD = os.path.join(ROOT, "instance", "static")
# Outside the served folder: it is for url_for, not for browsers.
MANIFEST = os.path.join(ROOT, "instance", "static.json")
PREFIX = "/static/"
YEAR = 365 * 24 * 3600
COMPRESSIBLE = (".css", ".js", ".svg", ".txt", ".json", ".html")
# Notes about the files (VENDORED.md) are for developers, not browsers.
SKIPPED = (".md",)


def sources(source=SOURCE):
    """The names of the files to publish, relative to static/."""
    found = []
    for folder, _, files in os.walk(source):
        for name in files:
            if not name.endswith(SKIPPED):
                found.append(os.path.relpath(os.path.join(folder, name), source).replace(os.sep, "/"))
    return sorted(found)


def hashed_name(name, data):
    """app.css -> app.<12 hex of sha256>.css"""
    stem, ext = os.path.splitext(name)
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:12]}{ext}"


def write(path, data):
    """Write a file whole or not at all, so a server starting meanwhile never serves half of one."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "wb") as fh:
        fh.write(data)
    os.replace(temporary, path)


def build(source=SOURCE, target=BUILD, manifest_path=MANIFEST):
    """Publish static/ into `target`: hashed copies, their .br and .gz, and the manifest; returns it."""
    manifest = {}
    for name in sources(source):
        with open(os.path.join(source, name), "rb") as fh:
            data = fh.read()
        published = hashed_name(name, data)
        manifest[name] = published
        path = os.path.join(target, published)
        compressible = name.endswith(COMPRESSIBLE)
        if os.path.exists(path + ".gz" if compressible else path):
            continue  # published before: the name is its content
        write(path, data)
        if compressible:
            # Both at their smallest: compressed once here, sent many times.
            write(path + ".br", brotli.compress(data, quality=11))
            write(path + ".gz", gzip.compress(data, 9, mtime=0))
    write(manifest_path, json.dumps(manifest, indent=1, sort_keys=True).encode())
    return manifest


def load(source=SOURCE, target=BUILD, manifest_path=MANIFEST):
    """The manifest, built afresh when missing or older than a file of static/ (so `flask run` straight
    from a checkout, or an edited stylesheet, needs no `make assets` first)."""
    names = sources(source)
    try:
        built = os.path.getmtime(manifest_path)
        with open(manifest_path) as fh:
            manifest = json.load(fh)
    except (OSError, ValueError):
        return build(source, target, manifest_path)
    if sorted(manifest) != names or any(os.path.getmtime(os.path.join(source, n)) > built for n in names):
        return build(source, target, manifest_path)
    return manifest


def add_headers(headers, path, url):
    """Static answers skip Flask's after_request hooks: the one header they need is set here."""
    headers["X-Content-Type-Options"] = "nosniff"


def init_app(app):
    """Serve the build with WhiteNoise and make url_for('static', ...) give the hashed names."""
    manifest = load()
    app.static_folder = BUILD
    app.wsgi_app = WhiteNoise(app.wsgi_app, root=BUILD, prefix=PREFIX, max_age=YEAR,
                              immutable_file_test=lambda path, url: True,
                              add_headers_function=add_headers)

    def hashed_url(endpoint, values):
        if endpoint == "static" and values.get("filename") in manifest:
            values["filename"] = manifest[values["filename"]]

    app.url_defaults(hashed_url)


def main():
    """Build instance/static (what `make assets` runs)."""
    manifest = build()
    for name, published in manifest.items():
        print(f"static/{name} -> {os.path.relpath(os.path.join(BUILD, published), ROOT)}")

