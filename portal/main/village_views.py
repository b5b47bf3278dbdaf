"""GET /wilayah/desa: find a village by typing part of its name (issue 9), as a page or an htmx fragment."""

import re

from flask import request

from portal.htmx import is_partial
from portal.main.views import bp
from portal.navigation import local_path
from portal.rendering import render_block, render_page
from portal.services import villages

REGION_CODE = re.compile(r"\d\d(\.\d\d){0,2}")
NAME = re.compile(r"[a-z_-]{1,20}")


@bp.app_template_global("village_label")
def village_label(village):
    return villages.label(village)


@bp.route("/wilayah/desa")
def village_search():
    """Villages matching ?q=, for anyone: the results block for htmx active search, else the whole page.

    ?pick=<path> is where a chosen village goes (links to pick?desa=CODE; with mode=form, buttons posting
    there, for the search box inside an address form); ?near=<region code> ranks its villages first;
    ?field=<name> reads the query from that parameter (the box's own name) instead of q; ?choose=<name> names
    the result buttons (default "desa") and ?action=<value> the action they post with htmx (default "region").
    """
    args = request.args
    field = args.get("field", "q")
    text = args.get(field if field.endswith("q") else "q")
    pick = local_path(args.get("pick"), "")
    near = args.get("near", "")
    near = near if REGION_CODE.fullmatch(near) else ""
    found = villages.search(text, near=near) if text is not None else None
    choose, action = args.get("choose", "desa"), args.get("action", "region")
    context = {"found": found, "pick": pick, "near": near, "in_form": args.get("mode") == "form" and bool(pick),
               "choose": choose if NAME.fullmatch(choose) else "desa",
               "action": action if NAME.fullmatch(action) else "region"}
    if is_partial():
        return render_block("main/village_search.html", "results", **context)
    return render_page("main/village_search.html", **context)
