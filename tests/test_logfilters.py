import logging

from relation_client.logfilters import StripQueryString


def test_request_lines_lose_their_query_string():
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /clients/?q=h%C3%A9l%C3%A8ne+dupont HTTP/1.1", 200, 5120),
        None,
    )
    assert StripQueryString().filter(record)
    assert record.getMessage() == '"GET /clients/?… HTTP/1.1" 200 5120'


def test_server_log_is_filtered_in_settings(settings):
    assert "no_query" in settings.LOGGING["handlers"]["console"]["filters"]
