"""Where uploaded files live, behind a small interface so shared or object storage can replace it.

Names are random (192 bits), so a file's name tells nothing and cannot be guessed.
"""

import os
import secrets

from flask import current_app


class LocalStorage:
    """Files in a folder (instance/uploads by default), two levels of subfolders to keep folders small."""

    def __init__(self, root):
        self.root = root

    def _path(self, key):
        if not key or "/" in key or "\\" in key or key.startswith("."):
            raise KeyError(key)
        return os.path.join(self.root, key[:2], key)

    def save(self, data, suffix=".jpg"):
        """Store bytes under a new random name and return the name."""
        key = secrets.token_urlsafe(24) + suffix
        path = self._path(key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        temporary = path + ".part"
        with open(temporary, "wb") as fh:
            fh.write(data)
        os.replace(temporary, path)  # never a half-written file under the real name
        return key

    def read(self, key):
        with open(self._path(key), "rb") as fh:
            return fh.read()

    def delete(self, key):
        try:
            os.remove(self._path(key))
        except FileNotFoundError:
            pass

    def exists(self, key):
        return os.path.exists(self._path(key))


def storage():
    """The configured store for this app."""
    root = current_app.config["UPLOAD_DIR"] or os.path.join(current_app.instance_path, "uploads")
    return LocalStorage(root)
