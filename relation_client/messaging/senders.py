"""What a channel's sender (outbox.SENDERS) promises: called with one claimed message, it
returns "" when the message was handed over, or the error to retry on with the outbox's
backoff; it raises SendRefused when retrying cannot help."""


class SendRefused(Exception):
    """An error retrying cannot fix (a number the provider refuses, no provider
    configured): the message is failed at once."""
