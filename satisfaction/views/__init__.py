"""Pages of the satisfaction app: the customer's survey (public), the dashboard, and the
staff's own pages (incivility, pulse, barometer)."""
