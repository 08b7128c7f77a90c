"""The episode list stays fast beside a huge episode: no query reads the large columns or groups by them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import make_episode

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["", "?season=1", "?problems=errors", "?o=6", "?q=huge"])
def test_list_and_filter_queries_leave_the_large_columns_alone(admin_client, query):
    make_episode("huge", title="Huge", season=1, number=1, transcript=[{"line": f"w{n}", "who": "A"} for n in range(3000)])
    make_episode("small", title="Small", season=2, number=1, body="notes", transcript=[{"line": "hi", "who": "A"}])
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(reverse("admin:podcasts_episode_changelist") + query)
    assert response.status_code == 200
    for sql in (captured["sql"] for captured in queries.captured_queries):
        assert '"podcasts_episode"."source_layout"' not in sql and '"podcasts_episode"."body"' not in sql, sql
        assert 'GROUP BY "podcasts_episode"' not in sql, sql
    if not query:
        assert response.context["cl"].result_list.get(slug="huge").transcript_count == 3000
