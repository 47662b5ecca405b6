"""Pages for tourists: home with the search form, results, listing, community and its QR poster."""

from datetime import date, timedelta

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import force_locale, get_locale
from markupsafe import Markup

from .. import labels
from ..clock import business_today
from ..gateways import qr
from ..models import ListingKind
from ..services.booking import cancellation_policy
from ..services.catalogue import availability, catalogue, search, search_query
from ..services.shared.errors import ServiceError

bp = Blueprint("public", __name__)


@bp.app_context_processor
def _labels():
    return {"labels": labels, "label": labels.label}


def _parse(args, **kwargs) -> tuple[search_query.SearchQuery, dict[str, str]]:
    """The query and, when the input is bad, {field: message} for the form (query then empty)."""
    try:
        return search_query.parse_query(args, **kwargs), {}
    except ServiceError as exc:
        return search_query.SearchQuery(), {exc.field or "": exc.message}


def _form_context(query: search_query.SearchQuery, errors: dict) -> dict:
    return {
        "query": query,
        "errors": errors,
        "raw": request.args,
        "communities": catalogue.communities_with_counts(),
        "today": business_today().isoformat(),
    }


@bp.get("/")
def home():
    return render_template("public/home.html", **_form_context(search_query.SearchQuery(), {}))


@bp.get("/search")
def results():
    """Results for the query in the URL; bad input shows the form with its message (400)."""
    query, errors = _parse(request.args)
    page = None if errors else search.search(query)
    status = 400 if errors else 200
    return render_template("public/results.html", page=page, **_form_context(query, errors)), status


@bp.get("/l/<key>")
def listing(key: str):
    """A listing with rooms or departures for the chosen dates. 404 unless published."""
    found = search.published_listing(key)
    if found is None:
        abort(404)
    query, errors = _parse(request.args, dates_only=True)
    offer = search.offer_for(found, query)
    text, fallback = found.text_for(str(get_locale()))
    alternatives = []
    if query.dated and found.kind == ListingKind.STAY and not offer.available:
        alternatives = search.alternatives(found, query)
    calendar = None
    if found.kind == ListingKind.STAY:
        month = _month(request.args.get("month"), query.check_in)
        calendar = {
            "month": month,
            "weeks": availability.month_view(found, month, query.guests),
            "previous": _shift(month, -1),
            "next": _shift(month, 1),
            "weekdays": [month - timedelta(days=month.weekday() - n) for n in range(7)],
        }
    return render_template(
        "public/listing.html",
        listing=found,
        offer=offer,
        text=text,
        fallback=fallback,
        alternatives=alternatives,
        calendar=calendar,
        policy=cancellation_policy.describe(found.cancellation_policy),
        query=query,
        errors=errors,
        raw=request.args,
        today=business_today().isoformat(),
    )


def _month(raw: str | None, check_in: date | None) -> date:
    today = business_today().replace(day=1)
    try:
        month = date.fromisoformat(f"{raw}-01") if raw else (check_in or today).replace(day=1)
    except ValueError:
        month = today
    return max(month, today)


def _shift(month: date, by: int) -> str:
    index = month.year * 12 + month.month - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _community_or_404(slug: str):
    community = catalogue.community_by_slug(slug)
    if community is None:
        abort(404)
    return community


@bp.get("/c/<slug>")
def community(slug: str):
    """A village's page: story, certifications, listings, attractions. 404 for an unknown slug."""
    found = _community_or_404(slug)
    listings = search.search(
        search_query.SearchQuery(community=slug, per_page=search_query.MAX_PER_PAGE)
    )
    return render_template("public/community.html", community=found, page=listings)


@bp.get("/c/<slug>/poster")
def poster(slug: str):
    """An A4 poster with a QR code of the village's page; the page opens in the scanner's
    language because the link carries none. 404 for an unknown slug."""
    found = _community_or_404(slug)
    link = url_for("public.community", slug=found.slug, _external=True)
    return render_template(
        "public/poster.html",
        community=found,
        link=link,
        qr_svg=qr.render_svg(link),
        languages=current_app.config["LANGUAGES"],
    )


@bp.get("/c/<slug>/poster/all")
def poster_all(slug: str):
    """The poster with its words in every language of the site on one A4 sheet, one QR code
    for all (the page opens in the scanner's language). 404 for an unknown slug."""
    found = _community_or_404(slug)
    link = url_for("public.community", slug=found.slug, _external=True)
    blocks = []
    for lang in current_app.config["LANGUAGES"]:
        with force_locale(lang):  # each block in its own language, whatever the page's
            blocks.append(
                Markup(render_template("public/_poster_block.html", community=found, lang=lang))
            )
    return render_template(
        "public/poster_all.html",
        community=found,
        link=link,
        qr_svg=qr.render_svg(link),
        blocks=blocks,
        languages=current_app.config["LANGUAGES"],
    )
