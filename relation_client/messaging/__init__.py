"""Real channels: mail received (IMAP mailboxes, a Maildir, the public contact form) and
messages sent (answers, acknowledgements, campaigns, invitations, SMS) through one outbox.

Core, not a satellite: the reconquest campaigns and the survey invitations both send
through the outbox, and the satellites may not import each other, so the one sending
mechanism sits below them.
"""
