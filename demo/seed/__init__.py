"""The demo network of `manage.py seed_demo`: the workspace (network.py), then each
app's story, in the order they need one another's rows.

Each step is idempotent on its own (it skips itself when its data exist), so a second run
adds nothing.
"""

from demo.seed.cycle import demo_seed_cycle
from demo.seed.lines import demo_seed_lines
from demo.seed.messaging import demo_seed_mailboxes
from demo.seed.network import SeedReport, demo_seed
from demo.seed.reconquest import demo_seed_reconquest
from demo.seed.satisfaction import demo_seed_satisfaction


def demo_seed_network(*, customers: int = 300) -> SeedReport:
    report = demo_seed(customers=customers)
    demo_seed_mailboxes()
    demo_seed_lines()
    demo_seed_reconquest()
    demo_seed_satisfaction()
    demo_seed_cycle()
    return report
