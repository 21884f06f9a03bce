"""Keep personal data out of the application logs.

Searches and caller lookups carry names and phone numbers in the query string
(`/clients/?q=helene+dupont`, `/api/v1/customers/lookup/?phone=…`): request lines are
logged without it.
"""

import logging
import re

QUERY = re.compile(r"\?[^\s\"]*")


class StripQueryString(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "?" in message:
            record.msg = QUERY.sub("?…", message)
            record.args = ()
        return True
