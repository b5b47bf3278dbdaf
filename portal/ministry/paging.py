"""Page numbers for long lists (?page=2), sized by REVIEW_PAGE_SIZE."""

from dataclasses import dataclass

from flask import current_app, request


@dataclass
class Page:
    items: list
    number: int
    total: int
    size: int

    @property
    def pages(self):
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_next(self):
        return self.number < self.pages


def paginate(query, total=None):
    """The requested page of a query (a bad or too large number gives the nearest real page)."""
    size = current_app.config["REVIEW_PAGE_SIZE"]
    total = query.count() if total is None else total
    pages = max(1, -(-total // size))
    number = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    return Page(list(query.paginate(number, size)), number, total, size)
