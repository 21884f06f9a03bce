"""Every reconquest snapshot row, comparable from one run to the next."""

from reconquete.models import ReconquestSnapshot


def snapshot_values():
    return sorted(
        ReconquestSnapshot.objects.values_list(
            "period",
            "agency_id",
            "dimension",
            "key",
            "label",
            "lost",
            "targeted",
            "contacted",
            "reached",
            "accepted",
            "won_back",
            "cohort",
            "won_back_30",
            "won_back_90",
            "median_days",
            "trips",
            "baseline_trips",
            "new_customers",
        ),
        key=str,
    )
