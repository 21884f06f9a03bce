#!/usr/bin/env python
"""Django's command-line utility, with a clear message when the database is unreachable."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relation_client.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.core.management import execute_from_command_line
        from django.db.utils import OperationalError

        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        sys.exit(f"Configuration error: {error}")
    except OperationalError as error:
        from relation_client.dbcheck import describe_unreachable, is_unreachable

        if not is_unreachable(error):
            raise
        sys.exit(describe_unreachable(error))


if __name__ == "__main__":
    main()
