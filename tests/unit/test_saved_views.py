"""Saved views as kept in the settings: read back as saved, and unreadable ones skipped."""

from __future__ import annotations

from flexdesk.api.models import CustomerType
from flexdesk.listing.layout import ColumnLayout
from flexdesk.listing.paging import ListScope, StatusScope
from flexdesk.listing.views import MAX_VIEWS, SavedView, views_from_json, views_to_json


def test_a_view_reads_back_as_saved() -> None:
    scope = ListScope(StatusScope.ALL, CustomerType.BUSINESS)
    view = SavedView.of("  Dutch businesses ", scope, "nl", ColumnLayout())
    [back] = views_from_json(views_to_json([view]))
    assert back == view and back.name == "Dutch businesses"
    assert back.scope() == scope
    assert back.layout() == ColumnLayout()


def test_what_cannot_be_read_is_skipped_not_fatal() -> None:
    assert views_from_json("not json") == []
    assert views_from_json('{"name": "x"}') == []
    text = '[{"name": "ok"}, {"nom": "?"}, {"name": "  "}, {"name": "odd", "status": "GONE"}]'
    assert [v.name for v in views_from_json(text)] == ["ok", "odd"]
    assert views_from_json(text)[1].scope().status is StatusScope.ACTIVE


def test_no_more_views_than_there_are_keys_for() -> None:
    many = [SavedView(f"v{n}") for n in range(MAX_VIEWS + 3)]
    assert len(views_from_json(views_to_json(many))) == MAX_VIEWS
