"""Writes of the satisfaction app, split by sub-domain; import the use cases from here."""

from satisfaction.services.closed_loop import closed_loop_open
from satisfaction.services.compliments import compliment_record
from satisfaction.services.estimates import barometer_record, climate_record, estimate_record
from satisfaction.services.incivility import (
    incivility_acknowledge,
    incivility_close,
    incivility_offer_support,
    incivility_report,
)
from satisfaction.services.indicators import indicators_compute, recompute_request
from satisfaction.services.invitations import (
    invitation_after_touchpoint,
    invitation_send,
    survey_answer_submit,
)
from satisfaction.services.partner import AnswerRow, BatchRejected, survey_answers_upsert
from satisfaction.services.pulse import pulse_submit

__all__ = [
    "AnswerRow",
    "BatchRejected",
    "barometer_record",
    "climate_record",
    "closed_loop_open",
    "compliment_record",
    "estimate_record",
    "incivility_acknowledge",
    "incivility_close",
    "incivility_offer_support",
    "incivility_report",
    "indicators_compute",
    "invitation_after_touchpoint",
    "invitation_send",
    "pulse_submit",
    "recompute_request",
    "survey_answer_submit",
    "survey_answers_upsert",
]
