"""The three sizes of the generated network. Customers, touchpoints, ridership months and
survey answers are exact counts; the other tables follow from them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Size:
    customers: int
    touchpoints: int
    ridership_months: int
    answers: int
    agencies: int
    agents: int

    @property
    def invitations(self) -> int:
        # about 62 % of the invited customers answer
        return self.answers * 8 // 5


SIZES = {
    "small": Size(
        customers=2_000,
        touchpoints=20_000,
        ridership_months=24_000,
        answers=4_000,
        agencies=4,
        agents=40,
    ),
    "medium": Size(
        customers=100_000,
        touchpoints=1_000_000,
        ridership_months=1_200_000,
        answers=200_000,
        agencies=20,
        agents=400,
    ),
    "large": Size(
        customers=1_000_000,
        touchpoints=10_000_000,
        ridership_months=12_000_000,
        answers=2_000_000,
        agencies=60,
        agents=1_500,
    ),
}
