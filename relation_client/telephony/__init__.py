"""Telephony (CTI): the phone system asks where to put a caller (their usual contact
first) and tells us what happened to the call; the agent's browser gets the screen pop."""
