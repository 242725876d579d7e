"""Counting a page's queries, so a test can show the count does not grow with the data."""

MAX_QUERIES_PER_PAGE = 40


def page_query_counts(client, paths, assert_max_num_queries, limit: int = MAX_QUERIES_PER_PAGE) -> dict[str, int]:
    """Each page's query count; every page must answer 200 within `limit` queries. Each page is
    opened once first, so a process-wide cache filled on first use (content types) does not make
    the count depend on which tests ran before."""
    counts = {}
    for path in paths:
        client.get(path)
        with assert_max_num_queries(limit) as captured:
            assert client.get(path).status_code == 200, path
        counts[path] = len(captured)
    return counts
