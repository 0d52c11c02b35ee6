"""Whatever a person types in the search box, the directory answers: never a server error."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.loading import load_directory
from directory.search import SearchOutcome, search_directory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def directory():
    load_directory()


typed_text = st.one_of(
    st.text(max_size=120),
    st.from_regex(r"\A[0-9]{1,6}\Z"),
    st.from_regex(r"\A(97|20)[0-9]{3}\Z"),
    st.sampled_from(["2a", "2B", "974", " Lyon ", "saint-étienne", "ÎLE", "d'Or", "%", "\x00"]),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=typed_text)
def test_search_always_gives_a_known_outcome(text):
    assert search_directory(text).outcome in set(SearchOutcome)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=typed_text)
def test_search_page_never_fails(client, text):
    response = client.get(reverse("directory:search"), {"q": text})
    assert response.status_code in {200, 302}
