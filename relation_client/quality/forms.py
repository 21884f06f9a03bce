from django import forms
from django.utils.translation import gettext_lazy as _

from relation_client.quality.models import Quality

YES_NO = [("oui", _("Oui")), ("non", _("Non"))]


class ReviewForm(forms.Form):
    quality = forms.ChoiceField(
        label=_("Qualité de la réponse"), choices=Quality.choices, widget=forms.RadioSelect
    )
    deadline_kept = forms.ChoiceField(
        label=_("Délai tenu"), choices=YES_NO, widget=forms.RadioSelect
    )
    deadline_reason = forms.CharField(
        label=_("Si vous corrigez le délai : pourquoi"),
        max_length=300,
        required=False,
    )
    customer_named = forms.ChoiceField(
        label=_("Client nommé (salué par son nom)"), choices=YES_NO, widget=forms.RadioSelect
    )
    follow_up_done = forms.ChoiceField(
        label=_("Suite donnée"), choices=YES_NO, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    @staticmethod
    def initial_for(item) -> dict:
        def word(value):
            return None if value is None else ("oui" if value else "non")

        kept = item.deadline_kept if item.is_reviewed else item.deadline_kept_data
        return {
            "quality": item.quality or None,
            "deadline_kept": word(kept),
            "deadline_reason": item.deadline_reason,
            "customer_named": word(item.customer_named),
            "follow_up_done": word(item.follow_up_done),
            "comment": item.comment,
        }

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "quality": data["quality"],
            "deadline_kept": data["deadline_kept"] == "oui",
            "deadline_reason": data["deadline_reason"],
            "customer_named": data["customer_named"] == "oui",
            "follow_up_done": data["follow_up_done"] == "oui",
            "comment": data["comment"],
        }
