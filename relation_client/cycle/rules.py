"""The guards on a round's moves, shared by the services (which check them under the
round's lock) and the round page (which tells what each move needs)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from relation_client.cycle.models import STAGE_ORDER, Round, Stage
from socle.errors import DomainError

# what each guarded stage needs, as shown beside the button before anyone tries
REQUIREMENTS = {
    Stage.CONTROL: gettext_lazy("au moins une action de privilège enregistrée"),
    Stage.EVOLVE: gettext_lazy("au moins un contrôle avec une valeur mesurée"),
}


def _stage_label(code: str) -> str:
    return str(Stage(code).label)


def advance_refusal(*, round: Round, to_stage: str) -> DomainError | None:
    """Why the round may not move to `to_stage`, or None when it may."""
    if not round.is_open:
        return DomainError("round_closed", _("Ce tour est clos : il ne change plus d'étape."))
    if to_stage not in STAGE_ORDER:
        return DomainError("unknown_stage", _("Étape inconnue."), field="to_stage")
    current, target = round.stage_index, STAGE_ORDER.index(to_stage)
    if target == current:
        return DomainError(
            "same_stage",
            _("Le tour est déjà à l'étape « %(stage)s ».") % {"stage": _stage_label(to_stage)},
            field="to_stage",
        )
    if target < current:
        return DomainError(
            "backwards",
            _(
                "Le cycle ne revient pas en arrière : complétez l'étape « %(current)s », "
                "puis repartez à Identifier au tour suivant."
            )
            % {"current": _stage_label(round.stage)},
            field="to_stage",
        )
    if target > current + 1:
        return DomainError(
            "skipped_stage",
            _("Pas de saut d'étape : passez d'abord par « %(next)s ».")
            % {"next": _stage_label(STAGE_ORDER[current + 1])},
            field="to_stage",
        )
    if to_stage == Stage.CONTROL and not round.privilege_actions.exists():
        return DomainError(
            "no_privilege_action",
            _(
                "Impossible de passer à Contrôler : enregistrez d'abord au moins une action "
                "de privilège (offre, interlocuteur dédié ou traitement prioritaire)."
            ),
            field="to_stage",
        )
    if (
        to_stage == Stage.EVOLVE
        and not round.controls.filter(measured_value__isnull=False).exists()
    ):
        return DomainError(
            "no_measured_control",
            _(
                "Impossible de passer à Évoluer : aucun contrôle n'a encore de valeur mesurée. "
                "Mesurez au moins un indicateur."
            ),
            field="to_stage",
        )
    return None


def close_refusal(*, round: Round) -> DomainError | None:
    """Why Évoluer may not be closed (starting the next round), or None."""
    if not round.is_open:
        return DomainError("round_closed", _("Ce tour est déjà clos."))
    if round.stage != Stage.EVOLVE:
        return DomainError(
            "not_evolve",
            _("Un tour se clôt depuis l'étape Évoluer ; il est à « %(stage)s ».")
            % {"stage": _stage_label(round.stage)},
        )
    if not round.decisions.exists():
        return DomainError(
            "no_decision",
            _(
                "Impossible de clore le tour : enregistrez au moins une décision tirée "
                "des contrôles."
            ),
        )
    return None


def record_refusal(*, round: Round, stage: str) -> DomainError | None:
    """Records of a stage may be added once the round has reached it, while it is open."""
    if not round.is_open:
        return DomainError("round_closed", _("Ce tour est clos : son dossier ne change plus."))
    if round.stage_index < STAGE_ORDER.index(stage):
        return DomainError(
            "stage_not_reached",
            _(
                "Cette étape n'est pas encore atteinte : ceci s'enregistre à partir de « %(stage)s »."
            )
            % {"stage": _stage_label(stage)},
        )
    return None
